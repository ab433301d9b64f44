with

source as (

    select * from {{ source('raw', 'articles') }}

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

        -- timestamps, UTC
        cast(published_at as timestamp) as published_at,
        cast(updated_at as timestamp) as updated_at,
        cast(fetched_at as timestamp) as fetched_at,

        -- lineage
        cast(partition_date as date) as partition_date,
        {{ clean_text('run_id') }} as run_id,
        cast(loaded_at as timestamp) as loaded_at

    from source

)

select * from cleaned
