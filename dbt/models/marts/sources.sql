with

registry as (

    select * from {{ ref('stg_raw__sources') }}

),

articles as (

    select * from {{ ref('articles') }}

),

-- The most recent day any run collected articles for; on a daily run, that
-- run's logical date.
last_day as (

    select max(partition_date) as last_partition_date
    from {{ ref('stg_raw__articles') }}

),

article_stats as (

    select
        articles.source_id,
        count(*) as article_count,
        count(*) filter (
            where articles.first_partition_date = last_day.last_partition_date
        ) as article_count_last_day,
        min(articles.published_at) as first_published_at,
        max(articles.published_at) as last_published_at,
        count(distinct articles.category) as category_count

    from articles
    cross join last_day
    group by articles.source_id

),

-- A source dropped from the registry keeps its articles, so it keeps a row.
final as (

    select
        coalesce(registry.source_id, article_stats.source_id) as source_id,
        registry.source_name,
        registry.country,
        registry.language,
        registry.homepage,
        registry.is_local,
        registry.fetches_pages,
        registry.feed_count,
        registry.source_id is not null as is_in_registry,
        coalesce(article_stats.article_count, 0) as article_count,
        coalesce(article_stats.article_count_last_day, 0) as article_count_last_day,
        last_day.last_partition_date,
        article_stats.first_published_at,
        article_stats.last_published_at,
        coalesce(article_stats.category_count, 0) as category_count

    from registry
    full outer join article_stats on registry.source_id = article_stats.source_id
    cross join last_day

)

select * from final
