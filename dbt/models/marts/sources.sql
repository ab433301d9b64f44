{#- The score window ends on the run's date when the run passes it
    (--vars '{run_date: YYYY-MM-DD}'), else on the latest loaded day. -#}
{%- set run_date = var('run_date', none) -%}

with

registry as (

    select * from {{ ref('stg_raw__sources') }}

),

articles as (

    select * from {{ ref('articles') }}

),

daily_reliability as (

    select * from {{ ref('int_sources__daily_reliability') }}

),

-- The most recent day any run collected articles for; on a daily run, that
-- run's logical date.
last_day as (

    select max(partition_date) as last_partition_date
    from {{ ref('stg_raw__articles') }}

),

-- The publisher score covers the 30 days up to and including its end day.
score_window as (

    select
        window_end - 29 as window_start,
        window_end

    from (
        select cast(coalesce(
            {{ "date '" ~ run_date ~ "'" if run_date else "null" }},
            last_partition_date
        ) as date) as window_end
        from last_day
    )

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

window_article_stats as (

    select
        articles.source_id,
        count(*) as window_article_count,
        -- summed as exact decimals: a double sum depends on row order, and a
        -- rerun must give the same score to the last bit
        avg(cast(articles.quality_score as decimal(4, 1))) as mean_quality_score,
        avg(case when articles.is_syndicated_copy then 0.0 else 1.0 end) as originality_rate

    from articles
    cross join score_window
    where articles.first_partition_date between score_window.window_start and score_window.window_end
    group by articles.source_id

),

window_reliability as (

    select
        daily_reliability.source_id,
        {{ reliability_sums('daily_reliability') }}

    from daily_reliability
    cross join score_window
    where daily_reliability.partition_date between score_window.window_start and score_window.window_end
    group by daily_reliability.source_id

),

-- Days in the window on which any source delivered records: volume is per
-- day the pipeline ran, so a young archive is not diluted by days it never saw.
window_loaded_days as (

    select count(distinct daily_reliability.partition_date) as loaded_day_count

    from daily_reliability
    cross join score_window
    where daily_reliability.partition_date between score_window.window_start and score_window.window_end
        and daily_reliability.record_count > 0

),

window_components as (

    select
        window_article_stats.source_id,
        window_article_stats.window_article_count,
        window_loaded_days.loaded_day_count,
        window_article_stats.mean_quality_score,
        window_article_stats.originality_rate,
        {{ fetch_success_rate('window_reliability.successful_fetch_count', 'window_reliability.fetch_count') }}
            as fetch_success_rate,
        {{ accepted_item_share('window_reliability.record_count', 'window_reliability.rejected_count') }}
            as accepted_item_share,
        {{ publisher_volume('window_article_stats.window_article_count', 'window_loaded_days.loaded_day_count') }}
            as volume

    from window_article_stats
    left join window_reliability on window_article_stats.source_id = window_reliability.source_id
    cross join window_loaded_days

),

window_scores as (

    select
        *,
        {{ publisher_reliability('fetch_success_rate', 'accepted_item_share') }} as reliability

    from window_components

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
        coalesce(article_stats.category_count, 0) as category_count,
        {{ publisher_score(
            'window_scores.mean_quality_score', 'window_scores.originality_rate',
            'window_scores.reliability', 'window_scores.volume'
        ) }} as publisher_score,
        window_scores.mean_quality_score,
        window_scores.originality_rate,
        window_scores.reliability,
        window_scores.fetch_success_rate,
        window_scores.accepted_item_share,
        window_scores.volume,
        coalesce(window_scores.window_article_count, 0) as score_article_count,
        window_scores.loaded_day_count as score_loaded_day_count,
        score_window.window_start as score_window_start,
        score_window.window_end as score_window_end

    from registry
    full outer join article_stats on registry.source_id = article_stats.source_id
    left join window_scores on coalesce(registry.source_id, article_stats.source_id) = window_scores.source_id
    cross join last_day
    cross join score_window

)

select * from final
