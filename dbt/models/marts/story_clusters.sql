-- One row per story told by two or more articles.
with

clusters as (

    select * from {{ ref('int_similarity__article_clusters') }}

),

facts as (

    select * from {{ ref('int_similarity__article_facts') }}

),

members as (

    select clusters.*, facts.source_id, facts.language, facts.published_at
    from clusters
    left join facts on clusters.article_id = facts.article_id

),

final as (

    select
        cluster_id,
        any_value(article_id) filter (where is_first_report) as first_article_id,
        any_value(source_id) filter (where is_first_report) as first_source_id,
        any_value(published_at) filter (where is_first_report) as first_published_at,
        max(published_at) as last_published_at,
        round((epoch(max(published_at)) - epoch(min(published_at))) / 3600.0, 3) as span_hours,
        count(*) as article_count,
        count(distinct source_id) as publisher_count,
        count(distinct language) as language_count,
        list(article_id order by published_at asc nulls last, article_id) as article_ids

    from members
    group by cluster_id

)

select * from final
