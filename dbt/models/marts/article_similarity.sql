-- Verified similar pairs: syndicated copies and reports of the same event by
-- other publishers. Incremental: each run replaces the pairs of its batch_date.
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='batch_date',
    on_schema_change='fail'
) }}

{%- set run_date = similarity_run_date() %}

with

candidates as (

    select * from {{ ref('int_similarity__candidate_pairs') }}

),

articles as (

    select * from {{ ref('int_similarity__articles') }}

),

compared as (

    select
        least(left_article.article_id, right_article.article_id) as article_a_id,
        greatest(left_article.article_id, right_article.article_id) as article_b_id,
        greatest(left_article.first_partition_date, right_article.first_partition_date) as batch_date,
        left_article.language = right_article.language as same_language,
        abs(epoch(left_article.published_at) - epoch(right_article.published_at)) / 3600.0 as hours_apart,

        -- shingle resemblance: Jaccard of the sampled 8-word shingles of the body leads
        -- (the lists hold distinct hashes; filtering by list_contains counts the
        -- common ones five times faster than list_intersect on a few dozen)
        len(list_filter(
            left_article.shingle_hashes, lambda shingle: list_contains(right_article.shingle_hashes, shingle)
        )) as shared_shingles,
        case
            when len(left_article.shingle_hashes) > 0 and len(right_article.shingle_hashes) > 0
                then shared_shingles / (
                    len(left_article.shingle_hashes) + len(right_article.shingle_hashes) - shared_shingles
                )
        end as resemblance,

        -- reports of one story come out within hours; the same cosine days apart is weaker evidence
        least(candidates.cosine, 1) as cosine,
        cosine * pow(0.5, coalesce(hours_apart, 0) / {{ var('similarity_half_life_hours') }}) as story_score

    from candidates
    inner join articles as left_article on candidates.left_key = left_article.article_key
    inner join articles as right_article on candidates.right_key = right_article.article_key

),

classified as (

    select
        *,
        case
            when resemblance >= {{ var('similarity_syndicated_threshold') }} then 'syndicated'
            when story_score >= {{ var('similarity_same_event_threshold') }} then 'same_event'
        end as match_kind

    from compared

),

matched as (

    select * from classified where match_kind is not null

),

-- Each article's strongest link (decayed cosine), within its language and
-- across languages apart: this run's pairs, and the pairs stored by earlier
-- runs for the articles they share with this one.
links as (

    select article_a_id as article_id, same_language, story_score from matched
    union all
    select article_b_id, same_language, story_score from matched
    {%- if run_date is not none %}
    union all
    select stored.article_id, stored.same_language, stored.story_score
    from (
        select
            article_a_id as article_id,
            same_language,
            cosine * pow(0.5, coalesce(hours_apart, 0) / {{ var('similarity_half_life_hours') }}) as story_score
        from {{ this }} where batch_date <> date '{{ run_date }}'
        union all
        select
            article_b_id,
            same_language,
            cosine * pow(0.5, coalesce(hours_apart, 0) / {{ var('similarity_half_life_hours') }})
        from {{ this }} where batch_date <> date '{{ run_date }}'
    ) as stored
    where stored.article_id in (select article_a_id from matched union select article_b_id from matched)
    {%- endif %}

),

strongest as (

    select article_id, same_language, max(story_score) as best_score
    from links
    group by article_id, same_language

),

-- A rewrite is kept when it is among the strong links of at least one of its
-- two articles: a link far weaker than everything both articles have (two
-- events sharing a name and a way of telling) is another event. Copies stay.
kept as (

    select matched.*
    from matched
    inner join strongest as strongest_a
        on matched.article_a_id = strongest_a.article_id
       and matched.same_language is not distinct from strongest_a.same_language
    inner join strongest as strongest_b
        on matched.article_b_id = strongest_b.article_id
       and matched.same_language is not distinct from strongest_b.same_language
    where matched.match_kind = 'syndicated'
       or matched.story_score >= {{ var('similarity_relative_floor') }}
          * least(strongest_a.best_score, strongest_b.best_score)

),

final as (

    select
        article_a_id,
        article_b_id,
        match_kind,
        -- a copy scores its resemblance, a rewrite its decayed cosine
        cast(round(case
            when match_kind = 'syndicated' then resemblance
            else story_score
        end, 6) as double) as score,
        cast(round(resemblance, 6) as double) as resemblance,
        cast(round(cosine, 6) as double) as cosine,
        cast(shared_shingles as integer) as shared_shingles,
        cast(round(hours_apart, 3) as double) as hours_apart,
        same_language,
        batch_date

    from kept

)

select * from final
