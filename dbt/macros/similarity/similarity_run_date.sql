{#
    The date an incremental similarity run works on, or none for a full build.

    Incremental when all of these hold: the run has a `run_date` var, it is
    not `--full-refresh`, and the article_similarity mart already exists (the
    very first build has nothing to add to, so it does every date). Every
    similarity model asks this same question, so the working tables and the
    mart always agree on what the run covers.
#}
{% macro similarity_run_date() -%}
    {%- set run_date = var('run_date', none) -%}
    {%- if not execute or run_date is none or flags.FULL_REFRESH -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set existing = adapter.get_relation(
        database=target.database, schema=target.schema, identifier='article_similarity'
    ) -%}
    {{ return(run_date if existing is not none else none) }}
{%- endmacro %}
