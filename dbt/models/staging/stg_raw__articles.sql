-- A table, filled incrementally: the text is cleaned once, when its
-- partition is loaded, not on every read of every later run. A partition is
-- (re)staged whole when raw holds a load of it newer than the staged one; the
-- pre-hook drops the articles a load took out, also from a partition it emptied.
-- New record fields become new columns of a warehouse built before them
-- (null for the rows staged then), rather than failing its next build.
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='partition_date',
    on_schema_change='append_new_columns',
    pre_hook="{{ drop_departed_articles(
        key='(partition_date, source_id, url)', departed_key='partition_date, source_id, url', watermark='staged_at'
    ) }}"
) }}

with
{% if is_incremental() %}
raw_loads as (

    select partition_date, max(loaded_at) as loaded_at
    from {{ source('raw', 'articles') }}
    group by partition_date

),

staged_loads as (

    select partition_date, max(loaded_at) as loaded_at
    from {{ this }}
    group by partition_date

),

unstaged_partitions as (

    select raw_loads.partition_date
    from raw_loads
    left join staged_loads on raw_loads.partition_date = staged_loads.partition_date
    where staged_loads.loaded_at is null or raw_loads.loaded_at > staged_loads.loaded_at

),
{% endif %}
source as (

    select * from {{ source('raw', 'articles') }}
    {%- if is_incremental() %}
    where partition_date in (select partition_date from unstaged_partitions)
    {%- endif %}

),

cleaned as (

    select
        -- ids
        {{ clean_text('source_id') }} as source_id,
        {{ clean_text('url') }} as url,
        {{ clean_text('guid') }} as guid,
        lower({{ clean_text('content_hash') }}) as content_hash,

        -- text (already plain text from the parser; only whitespace is tidied)
        {{ clean_text('title') }} as title,
        {{ clean_text('summary') }} as summary,
        {{ clean_multiline_text('body') }} as body,
        {{ clean_text('author') }} as author,

        -- descriptors
        {{ normalize_language('language') }} as language,
        {{ clean_text('category') }} as category,
        {{ clean_text('image_url') }} as image_url,
        {{ clean_text('feed_url') }} as feed_url,
        -- where the values came from: lineage of the record's fields
        {{ clean_text('feed_link') }} as feed_link,
        lower({{ clean_text('media_kind') }}) as media_kind,
        {{ normalize_language('language_declared') }} as language_declared,
        {{ normalize_language('language_detected') }} as language_detected,
        {{ clean_text('published_at_source') }} as published_at_source,
        {{ clean_text('body_source') }} as body_source,

        -- timestamps, UTC
        cast(published_at as timestamp) as published_at,
        cast(updated_at as timestamp) as updated_at,
        cast(fetched_at as timestamp) as fetched_at,

        -- lineage
        cast(partition_date as date) as partition_date,
        {{ clean_text('run_id') }} as run_id,
        cast(loaded_at as timestamp) as loaded_at,
        -- when this build staged the row: later for every build, whatever
        -- loaded_at the rows carry, so the models after it know what is new
        timezone('UTC', now()) as staged_at

    from source

)

select * from cleaned
