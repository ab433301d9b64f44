with

source as (

    select * from {{ source('raw', 'sources') }}

),

cleaned as (

    select
        {{ clean_text('source_id') }} as source_id,
        {{ clean_text('name') }} as source_name,
        upper({{ clean_text('country') }}) as country,
        {{ normalize_language('language') }} as language,
        {{ clean_text('homepage') }} as homepage,
        cast(local as boolean) as is_local,
        cast(fetch_pages as boolean) as fetches_pages,
        cast(feed_count as integer) as feed_count

    from source

)

select * from cleaned
