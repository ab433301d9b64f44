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
