-- What each source's fetches and items did on each loaded day: the counts the
-- reliability component of a publisher score sums over its window.

with

fetches as (

    select
        source_id,
        partition_date,
        count(*) as fetch_count,
        count(*) filter (where status in ('ok', 'not_modified')) as successful_fetch_count

    from {{ ref('stg_raw__fetches') }}
    group by all

),

records as (

    select
        source_id,
        partition_date,
        count(*) as record_count

    from {{ ref('stg_raw__articles') }}
    group by all

),

-- A story a source lists in two of its feeds is recorded once; the repeat is
-- rejected by design, not for bad input, so it does not count against it.
rejects as (

    select
        source_id,
        partition_date,
        count(*) as rejected_count

    from {{ ref('stg_raw__rejected_items') }}
    where reason is distinct from 'repeated in another feed'
    group by all

),

source_days as (

    select source_id, partition_date from fetches
    union
    select source_id, partition_date from records
    union
    select source_id, partition_date from rejects

),

final as (

    select
        source_days.source_id,
        source_days.partition_date,
        coalesce(fetches.fetch_count, 0) as fetch_count,
        coalesce(fetches.successful_fetch_count, 0) as successful_fetch_count,
        coalesce(records.record_count, 0) as record_count,
        coalesce(rejects.rejected_count, 0) as rejected_count

    from source_days
    left join fetches
        on source_days.source_id = fetches.source_id
        and source_days.partition_date = fetches.partition_date
    left join records
        on source_days.source_id = records.source_id
        and source_days.partition_date = records.partition_date
    left join rejects
        on source_days.source_id = rejects.source_id
        and source_days.partition_date = rejects.partition_date

)

select * from final
