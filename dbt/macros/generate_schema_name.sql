{#
    Use a model's custom schema name as-is (`staging`, `intermediate`,
    `reference`) instead of dbt's default `<target schema>_<custom schema>`,
    so the warehouse reads raw -> staging -> intermediate -> main (marts).
#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
