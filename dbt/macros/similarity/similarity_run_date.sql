{#
    The date an incremental similarity run works on, or none for a full build.

    Incremental when all of these hold: the run has a `run_date` var, it is
    not `--full-refresh`, the article_similarity mart already exists (the
    very first build has nothing to add to, so it does every date), and no
    later date has been built (a rerun or backfill of an earlier date may
    collect articles that pair with a later date's, in batches the run does
    not own: only a full build gives what a full refresh would). Every
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
    {%- set window = adapter.get_relation(
        database=target.database, schema='intermediate', identifier='int_similarity__articles'
    ) -%}
    {%- if existing is none or window is none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set later = run_query(
        "select count(*) from " ~ window ~ " where first_partition_date > date '" ~ run_date ~ "'"
    ) -%}
    {{ return(run_date if later.columns[0].values()[0] == 0 else none) }}
{%- endmacro %}
