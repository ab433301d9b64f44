{#
    The rows an incremental model has not taken yet: those whose staging time
    (`column`: staged_at on staging rows, last_staged_at after the dedup) is
    later than the greatest last_staged_at already in the model's own table.
    The dedup, the word counts and the articles mart all start after it. A
    table made before it kept last_staged_at has taken none of them.
#}
{% macro staged_since_last_build(column='last_staged_at') -%}
    {%- if execute and 'last_staged_at' not in adapter.get_columns_in_relation(this) | map(attribute='name') | list -%}
        true
    {%- else -%}
        {{ column }} > (select coalesce(max(last_staged_at), '-infinity'::timestamp) from {{ this }})
    {%- endif -%}
{%- endmacro %}
