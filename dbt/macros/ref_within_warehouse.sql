{#
    References without the database name: a view stores the SQL it was made
    with, and DuckDB names a database after its file (build.duckdb while dbt
    builds, newsdesk.duckdb once published) or after the alias a client
    attaches it as. Unqualified, a view reads its own database wherever it is
    opened.
#}
{% macro ref() -%}
    {{ return(builtins.ref(*varargs, **kwargs).include(database=False)) }}
{%- endmacro %}

{% macro source() -%}
    {{ return(builtins.source(*varargs, **kwargs).include(database=False)) }}
{%- endmacro %}
