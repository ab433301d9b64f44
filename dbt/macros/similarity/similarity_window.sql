{#
    The look-back window of an incremental similarity run: the dates whose
    articles a run's new articles are compared with. Used as a filter on
    first_partition_date, and by the working tables' post-hook that drops
    what falls out of the window, so they hold a window's worth of rows
    and a daily run's cost does not grow with the archive.
#}
{% macro similarity_window_filter(run_date, column='first_partition_date') -%}
    {{ column }} between {{ similarity_window_start("date '" ~ run_date ~ "'") }} and date '{{ run_date }}'
{%- endmacro %}

{#- The first date of the window that ends on `latest` (a SQL date expression). -#}
{% macro similarity_window_start(latest) -%}
    {{ latest }} - {{ var('similarity_lookback_days') }}
{%- endmacro %}

{% macro similarity_prune_window() -%}
    {%- set run_date = similarity_run_date() -%}
    {%- if run_date is not none -%}
        delete from {{ this }}
        where first_partition_date < {{ similarity_window_start("date '" ~ run_date ~ "'") }}
    {%- endif -%}
{%- endmacro %}

{#
    Pre-hook of a working table keyed by article: an article a backfill or a
    rerun collected on an earlier date than before has moved to this run's
    date, so its rows under the later date go before the run adds it again.
    `batch_model` holds the run's articles (first_partition_date = run date).
    (The per-day token counts of the later date keep it: a small bias in
    document frequencies, which only the later date's own rerun redoes.)
#}
{% macro similarity_drop_moved_articles(batch_model) -%}
    {%- set run_date = similarity_run_date() -%}
    {%- if is_incremental() and run_date is not none -%}
        delete from {{ this }}
        where first_partition_date <> date '{{ run_date }}'
          and article_key in (
              select article_key from {{ ref(batch_model) }} where first_partition_date = date '{{ run_date }}'
          )
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}

{#
    on-run-end: a full build fills the working tables with every date (the
    pairs of all dates need them), which the next daily run would then read,
    delete from and, on a lake, keep reading (a delete of part of a data file
    leaves the file in place). So each working table the run built that holds
    dates before its latest date's window is rewritten to that window, as the
    daily runs leave it. On a daily run nothing is outside: the post-hook
    pruned already, and this only counts.
#}
{% macro similarity_prune_windows_after_build(results) -%}
    {%- if execute -%}
    {%- for result in results
          if result.node.resource_type == 'model'
          and 'similarity_window' in result.node.fqn
          and result.status == 'success' -%}
        {%- set relation = adapter.get_relation(
            database=result.node.database, schema=result.node.schema, identifier=result.node.alias
        ) -%}
        {%- set window_start = similarity_window_start(
            "(select max(first_partition_date) from " ~ relation ~ ")"
        ) -%}
        {%- set outside = run_query(
            "select count(*) from " ~ relation ~ " where first_partition_date < " ~ window_start
        ).columns[0].values()[0] -%}
        {%- if outside > 0 -%}
            {%- do run_query(
                "create or replace table " ~ relation ~ " as select * from " ~ relation
                ~ " where first_partition_date >= " ~ window_start
            ) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- endif -%}
    select 1
{%- endmacro %}
