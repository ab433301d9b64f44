{#
    The look-back window of an incremental similarity run: the dates whose
    articles a run's new articles are compared with. Used as a filter on
    first_partition_date, and by the working tables' post-hook that drops
    what falls out of the window, so they hold a window's worth of rows
    and a daily run's cost does not grow with the archive.
#}
{% macro similarity_window_filter(run_date, column='first_partition_date') -%}
    {{ column }} between date '{{ run_date }}' - {{ var('similarity_lookback_days') }} and date '{{ run_date }}'
{%- endmacro %}

{% macro similarity_prune_window() -%}
    {%- set run_date = similarity_run_date() -%}
    {%- if run_date is not none -%}
        delete from {{ this }}
        where first_partition_date < date '{{ run_date }}' - {{ var('similarity_lookback_days') }}
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
