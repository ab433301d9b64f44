-- Each deduplicated article with its word counts (int_articles__text_features),
-- its story cluster role and its quality score with every component
-- (formulas: macros/scores/quality.sql).

with

articles as (

    select
        deduped.*,
        text_features.summary_word_count,
        text_features.body_word_count,
        {{ article_id('deduped.url') }} as article_id,
        -- Freshness is measured to the end of the logical day that first
        -- collected the article (the data interval end, when a scheduled run
        -- fetches), not to the wall-clock fetch: a rerun or a backfill of a date
        -- must give the same scores.
        cast(deduped.first_partition_date + interval 1 day as timestamp) as first_collected_at
    from {{ ref('int_articles__deduped') }} as deduped
    inner join {{ ref('int_articles__text_features') }} as text_features on deduped.url = text_features.url

),

-- Only articles of multi-article stories have a row; the rest are singletons.
clusters as (

    select * from {{ ref('int_similarity__article_clusters') }}

),

with_cluster as (

    select
        articles.*,
        clusters.cluster_id,
        coalesce(clusters.is_first_report, false) as is_first_report,
        coalesce(clusters.is_syndicated_copy, false) as is_syndicated_copy

    from articles
    left join clusters on articles.article_id = clusters.article_id

),

with_components as (

    select
        *,
        {{ quality_completeness('title', 'summary', 'body', 'author', 'image_url', 'published_at') }}
            as quality_completeness,
        {{ quality_length('body_word_count', 'summary_word_count') }} as quality_length,
        {{ quality_originality('cluster_id', 'is_first_report', 'is_syndicated_copy') }}
            as quality_originality,
        {{ quality_freshness('published_at', 'first_collected_at') }} as quality_freshness,
        {{ quality_title_signal('title') }} as quality_title_signal

    from with_cluster

),

final as (

    select
        *,
        {{ quality_score(
            'quality_completeness', 'quality_length', 'quality_originality',
            'quality_freshness', 'quality_title_signal'
        ) }} as quality_score

    from with_components

)

select * from final
