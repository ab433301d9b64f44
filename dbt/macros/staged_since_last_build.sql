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
        {{ column }} > {{ last_build_watermark() }}
    {%- endif -%}
{%- endmacro %}

{#
    The greatest `column` in the model's own table, read when the model is
    compiled, as a timestamp literal ('-infinity' for an empty table): a
    literal reaches the table scan, which then reads only the files and row
    groups that can hold later rows (a subquery is compared after every row
    is read). Read before the model's pre-hooks delete any row: rows staged
    up to it were taken by the last build whatever the pre-hooks drop.
#}
{% macro last_build_watermark(column='last_staged_at') -%}
    {%- if execute -%}
        {%- set found = run_query(
            "select coalesce(max(" ~ column ~ "), '-infinity'::timestamp)::varchar from " ~ this
        ) -%}
        '{{ found.columns[0].values()[0] }}'::timestamp
    {%- else -%}
        '-infinity'::timestamp
    {%- endif -%}
{%- endmacro %}
