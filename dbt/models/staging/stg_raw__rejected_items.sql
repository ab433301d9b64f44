with

source as (

    select * from {{ source('raw', 'rejected_items') }}

),

cleaned as (

    select
        {{ clean_text('source_id') }} as source_id,
        {{ clean_text('feed_url') }} as feed_url,
        {{ clean_text('item_ref') }} as item_ref,
        {{ clean_text('reason') }} as reason,
        {{ clean_text('detail') }} as detail,

        cast(partition_date as date) as partition_date,
        {{ clean_text('run_id') }} as run_id,
        cast(loaded_at as timestamp) as loaded_at

    from source

)

select * from cleaned
