{#
    Pre-hook of an incremental model whose rows follow the keys of an
    upstream model: delete the rows whose `key` the upstream no longer holds
    (among its rows where `condition` holds). A delete+insert run replaces
    the keys it writes and cannot see those that left.
#}
{% macro drop_rows_not_in(upstream, key, condition='true') -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where {{ key }} not in (select {{ key }} from {{ upstream }} where {{ condition }})
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}
