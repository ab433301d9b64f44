with

source as (

    select * from {{ source('raw', 'fetches') }}

),

cleaned as (

    select
        {{ clean_text('source_id') }} as source_id,
        {{ clean_text('kind') }} as kind,
        {{ clean_text('feed_kind') }} as feed_kind,
        {{ clean_text('category') }} as category,
        {{ clean_text('url') }} as url,
        {{ clean_text('final_url') }} as final_url,
        {{ clean_text('status') }} as status,
        cast(http_status as integer) as http_status,
        {{ clean_text('content_type') }} as content_type,
        {{ clean_text('content_language') }} as content_language,
        {{ clean_text('etag') }} as etag,
        {{ clean_text('last_modified') }} as last_modified,
        cast(bytes as bigint) as bytes,
        cast(items as integer) as items,
        cast(duration_ms as double) as duration_ms,
        {{ clean_text('error_class') }} as error_class,
        {{ clean_text('error_message') }} as error_message,
        cast(fetched_at as timestamp) as fetched_at,
        {{ clean_text('payload_file') }} as payload_file,

        cast(partition_date as date) as partition_date,
        {{ clean_text('run_id') }} as run_id,
        cast(loaded_at as timestamp) as loaded_at

    from source

)

select * from cleaned
