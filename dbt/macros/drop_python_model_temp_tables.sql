{#
    Post-hook of an incremental Python model: dbt-duckdb writes the model's
    new rows to a table named <model>__dbt_tmp<time> in the default schema
    and, taking it for a temporary table, never drops it, so every run would
    leave one in the warehouse. This drops it (and any an earlier run left)
    in the run's own transaction.
#}
{% macro drop_python_model_temp_tables() -%}
    {%- set prefix = this.identifier ~ '__dbt_tmp' -%}
    {%- set found = run_query(
        "select table_schema, table_name from information_schema.tables"
        ~ " where table_catalog = current_database() and starts_with(table_name, '" ~ prefix ~ "')"
    ) if execute else none -%}
    {%- for row in (found.rows if found is not none else []) %}
        drop table {{ adapter.quote(row[0]) }}.{{ adapter.quote(row[1]) }};
    {%- endfor %}
    select 1
{%- endmacro %}
