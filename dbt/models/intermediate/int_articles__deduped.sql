-- One row per canonical URL across every partition: the latest version of the
-- article, plus what the history says about it.

with

articles as (

    select * from {{ ref('stg_raw__articles') }}

),

ranked as (

    select
        *,
        row_number() over (
            partition by url
            order by
                updated_at desc nulls last,
                published_at desc nulls last,
                fetched_at desc nulls last,
                partition_date desc nulls last,
                -- identical timestamps, different text: pick one the same way every run
                content_hash desc
        ) as recency_rank,
        min(fetched_at) over (partition by url) as first_seen_at,
        min(partition_date) over (partition by url) as first_partition_date,
        count(distinct content_hash) over (partition by url) as version_count

    from articles

),

latest_version as (

    select * exclude (recency_rank)
    from ranked
    where recency_rank = 1

)

select * from latest_version
