-- Sources ranked per country and per country x category, per day and per ISO
-- week, by the publisher score of that period's data (macros/scores/publisher.sql),
-- shrunk toward the ranking's mean by the source's article count.
-- An article belongs to the day its URL was first collected (first_partition_date).

with

articles as (

    select * from {{ ref('articles') }}
    -- a source that left the registry has no country to be ranked in
    where country is not null

),

daily_reliability as (

    select * from {{ ref('int_sources__daily_reliability') }}

),

loaded_days as (

    select distinct partition_date as loaded_day
    from daily_reliability
    where record_count > 0

),

-- Each loaded day belongs to its own day period and to its ISO week (Monday start).
period_days as (

    select 'day' as period_type, loaded_day as period_start, loaded_day as period_end, loaded_day
    from loaded_days

    union all

    select
        'week' as period_type,
        cast(date_trunc('week', loaded_day) as date) as period_start,
        cast(date_trunc('week', loaded_day) as date) + 6 as period_end,
        loaded_day
    from loaded_days

),

period_loaded_days as (

    select period_type, period_start, period_end, count(*) as loaded_day_count
    from period_days
    group by all

),

period_reliability as (

    select
        period_days.period_type,
        period_days.period_start,
        daily_reliability.source_id,
        {{ reliability_sums('daily_reliability') }}

    from period_days
    inner join daily_reliability on period_days.loaded_day = daily_reliability.partition_date
    group by all

),

period_articles as (

    select
        period_days.period_type,
        period_days.period_start,
        articles.source_id,
        articles.source_name,
        articles.country,
        articles.category,
        articles.quality_score,
        articles.is_syndicated_copy

    from period_days
    inner join articles on period_days.loaded_day = articles.first_partition_date

),

-- Every article counts in its country's ranking; those with a category also
-- in that category's ranking.
scoped_articles as (

    select *, 'country' as scope, cast(null as varchar) as ranked_category
    from period_articles

    union all

    select *, 'country_category' as scope, category as ranked_category
    from period_articles
    where category is not null

),

period_stats as (

    select
        period_type,
        period_start,
        scope,
        country,
        ranked_category as category,
        source_id,
        any_value(source_name) as source_name,
        count(*) as article_count,
        -- exact decimal sum: a double sum depends on row order (see sources)
        avg(cast(quality_score as decimal(4, 1))) as mean_quality_score,
        avg(case when is_syndicated_copy then 0.0 else 1.0 end) as originality_rate

    from scoped_articles
    group by period_type, period_start, scope, country, ranked_category, source_id

),

-- Reliability is the source's over the period, shared by all its categories:
-- fetches, pages and rejected items do not belong to one category.
period_components as (

    select
        period_stats.*,
        period_loaded_days.period_end,
        period_loaded_days.loaded_day_count,
        {{ fetch_success_rate('period_reliability.successful_fetch_count', 'period_reliability.fetch_count') }}
            as fetch_success_rate,
        {{ accepted_item_share('period_reliability.record_count', 'period_reliability.rejected_count') }}
            as accepted_item_share,
        {{ publisher_volume('period_stats.article_count', 'period_loaded_days.loaded_day_count') }} as volume

    from period_stats
    inner join period_loaded_days
        on period_stats.period_type = period_loaded_days.period_type
        and period_stats.period_start = period_loaded_days.period_start
    left join period_reliability
        on period_stats.period_type = period_reliability.period_type
        and period_stats.period_start = period_reliability.period_start
        and period_stats.source_id = period_reliability.source_id

),

period_scores as (

    select
        *,
        {{ publisher_reliability('fetch_success_rate', 'accepted_item_share') }} as reliability

    from period_components

),

scored as (

    select
        *,
        {{ publisher_score('mean_quality_score', 'originality_rate', 'reliability', 'volume') }} as period_score

    from period_scores

),

-- The mean period score of the ranking's sources (exact decimal mean: a
-- double sum depends on row order).
with_ranking_mean as (

    select
        *,
        cast(avg(cast(period_score as decimal(4, 1))) over (
            partition by period_type, period_start, scope, country, category
        ) as double) as ranking_mean_score

    from scored

),

-- A source's period score says little when it rests on one article: it is
-- pulled toward the ranking's mean as if ranking_prior_articles articles of
-- mean score were added to its own, so a lone lucky article cannot top a
-- source that scores well on many.
shrunk as (

    select
        *,
        round(
            (article_count * period_score + {{ var('ranking_prior_articles') }} * ranking_mean_score)
            / (article_count + {{ var('ranking_prior_articles') }}),
            1
        ) as score

    from with_ranking_mean

),

-- Ties break on more articles, then on source_id, so a rerun ranks the same.
ranked as (

    select
        *,
        row_number() over (
            partition by period_type, period_start, scope, country, category
            order by score desc nulls last, article_count desc, source_id
        ) as rank

    from shrunk

),

final as (

    select
        ranked.period_type,
        ranked.period_start,
        ranked.period_end,
        case ranked.period_type
            when 'week' then printf('%d-W%02d', isoyear(ranked.period_start), week(ranked.period_start))
            else strftime(ranked.period_start, '%Y-%m-%d')
        end as period_label,
        ranked.scope,
        ranked.country,
        ranked.category,
        ranked.source_id,
        ranked.source_name,
        ranked.rank,
        previous.rank as previous_rank,
        previous.rank - ranked.rank as rank_change,
        ranked.score,
        ranked.period_score,
        ranked.ranking_mean_score,
        ranked.mean_quality_score,
        ranked.originality_rate,
        ranked.reliability,
        ranked.fetch_success_rate,
        ranked.accepted_item_share,
        ranked.volume,
        ranked.article_count,
        ranked.loaded_day_count

    from ranked
    left join ranked as previous
        on ranked.period_type = previous.period_type
        and ranked.scope = previous.scope
        and ranked.country = previous.country
        and ranked.category is not distinct from previous.category
        and ranked.source_id = previous.source_id
        and previous.period_start = ranked.period_start - case ranked.period_type when 'week' then 7 else 1 end

)

select * from final
