-- For each article, its top-k similar articles from other publishers.
-- Incremental: a run redoes the articles int_similarity__components
-- relabelled since its last build (they hold every article whose pairs, or
-- whose partners' publisher or time, can have changed) and drops those in no
-- pair any more. A smaller similar_articles_k cuts every kept list; a
-- larger one lengthens the lists of the articles redone (a --full-refresh
-- lengthens them all).
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='article_id',
    on_schema_change='append_new_columns',
    pre_hook=[
        "{{ drop_rows_not_in(ref('int_similarity__components'), 'article_id') }}",
        "{% if is_incremental() %}delete from {{ this }} where similarity_rank > {{ var('similar_articles_k') }}{% endif %}",
    ]
) }}

with

redone as (

    select article_id, last_staged_at from {{ ref('int_similarity__components') }}
    {%- if is_incremental() %}
    where {{ staged_since_last_build() }}
    {%- endif %}

),

pairs as (

    select * from {{ ref('article_similarity') }}

),

facts as (

    select * from {{ ref('int_similarity__article_facts') }}

),

-- every pair seen from both of its articles
both_directions as (

    select article_a_id as article_id, article_b_id as similar_article_id, score, match_kind
    from pairs where article_a_id in (select article_id from redone)
    union all
    select article_b_id, article_a_id, score, match_kind
    from pairs where article_b_id in (select article_id from redone)

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
        facts.published_at as similar_published_at,
        redone.last_staged_at

    from both_directions
    inner join redone on both_directions.article_id = redone.article_id
    left join facts on both_directions.similar_article_id = facts.article_id

)

select * from ranked
where similarity_rank <= {{ var('similar_articles_k') }}
