{#
    Articles a load took out of a partition (raw.departed_articles: a replay
    after a parser fix, a rule that now quarantines a record) after the
    greatest `watermark` in the model's own table, i.e. since its last build.
    The incremental models redo or drop them, so they equal a full refresh
    also when rows leave, not only when rows arrive.
#}
{% macro departed_since_last_build(watermark='last_staged_at') -%}
    select partition_date, source_id, url, departed_at
    from {{ source('raw', 'departed_articles') }}
    where departed_at > {{ last_build_watermark(watermark) }}
{%- endmacro %}

{#
    Pre-hook of an incremental model keyed by article: delete the rows of the
    articles departed since its last build (`key` is the model's column,
    `departed_key` the same value computed from the departed row), before the
    model's own run adds back those still held by another partition.
#}
{% macro drop_departed_articles(key='url', departed_key='url', watermark='last_staged_at') -%}
    {%- if is_incremental() -%}
    delete from {{ this }}
    where {{ key }} in (select {{ departed_key }} from ({{ departed_since_last_build(watermark) }}))
    {%- else -%}
    select 1
    {%- endif -%}
{%- endmacro %}
