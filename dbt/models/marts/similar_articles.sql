-- For each article, its top-k similar articles from other publishers.
with

pairs as (

    select * from {{ ref('article_similarity') }}

),

facts as (

    select * from {{ ref('int_similarity__article_facts') }}

),

-- every pair seen from both of its articles
both_directions as (

    select article_a_id as article_id, article_b_id as similar_article_id, score, match_kind from pairs
    union all
    select article_b_id, article_a_id, score, match_kind from pairs

),

ranked as (

    select
        both_directions.article_id,
        row_number() over (
            partition by both_directions.article_id
            order by both_directions.score desc, facts.published_at desc nulls last, both_directions.similar_article_id
        ) as similarity_rank,
        both_directions.similar_article_id,
        both_directions.score,
        both_directions.match_kind,
        facts.source_id as similar_source_id,
        facts.published_at as similar_published_at

    from both_directions
    left join facts on both_directions.similar_article_id = facts.article_id

)

select * from ranked
where similarity_rank <= {{ var('similar_articles_k') }}
