-- One row per canonical URL across every partition: the latest version of the
-- article, plus what the history says about it. Incremental: a run redoes
-- the URLs of the rows staged since its last build and of the articles a load
-- took out of a partition (dropped first by the pre-hook, added back if
-- another partition still holds them), from all their versions, so its cost
-- follows the day's articles, not the archive's.
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='url',
    on_schema_change='append_new_columns',
    pre_hook="{{ drop_departed_articles() }}"
) }}

with
{% if is_incremental() %}
{#- read once: each call looks the table's columns and watermark up again #}
{%- set staged_now_filter = staged_since_last_build('staged_at') %}
departed as (

    select url, max(departed_at) as departed_at
    from ({{ departed_since_last_build() }})
    group by url

),

staged_now as (

    select * from {{ ref('stg_raw__articles') }} where {{ staged_now_filter }}

),

redone_urls as (

    select url from staged_now
    union
    select url from departed

),

-- The earlier versions of the redone URLs the table holds: every one lies in
-- or after the earliest first_partition_date among them, so a literal floor
-- lets the scan skip the older files (a URL list cannot: URLs are spread
-- over every file).
{%- set earliest = run_query(
    "select min(first_partition_date)::varchar from " ~ this ~ " where url in (select url from "
    ~ ref('stg_raw__articles') ~ " where " ~ staged_now_filter ~ " union select url from ("
    ~ departed_since_last_build() ~ "))"
).columns[0].values()[0] if execute else none %}
staged_before as (

    select * from {{ ref('stg_raw__articles') }}
    where not ({{ staged_now_filter }})
    {%- if earliest is none %}
      and false
    {%- else %}
      and partition_date >= '{{ earliest }}'::date
      and url in (select url from redone_urls)
    {%- endif %}

),
{% endif %}
articles as (

    {%- if is_incremental() %}
    select staged.*, departed.departed_at
    from (select * from staged_now union all select * from staged_before) as staged
    left join departed on staged.url = departed.url
    {%- else %}
    select *, null::timestamp as departed_at from {{ ref('stg_raw__articles') }}
    {%- endif %}

),

ranked as (

    select
        * exclude (departed_at),
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
        count(distinct content_hash) over (partition by url) as version_count,
        -- the latest staging of a row of this URL, or its departure from a
        -- partition if later: what the models after it start after
        greatest(max(staged_at) over (partition by url), max(departed_at) over (partition by url)) as last_staged_at

    from articles

),

latest_version as (

    select * exclude (recency_rank)
    from ranked
    where recency_rank = 1

)

select * from latest_version
