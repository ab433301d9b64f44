-- Pairs that share a selective story key, with their cosine, so no
-- all-pairs comparison: the run's new articles meet the window's through
-- their keys (int_similarity__story_keys), and each pair found is scored by
-- the dot product of the two vectors. A key held by more than
-- similarity_max_key_articles articles of the window (two famous names that
-- often go together) pairs nobody, which bounds the work per key.
--
-- Each join below is of two relations, its inputs materialized: a lake's
-- tables carry no distinct counts, and a planner left to order three or more
-- on a lake paired every article with every other publisher's and every
-- posting with every posting of its token (56 s instead of 0.5 s at 20,000
-- articles; at 1,000,000 it filled the disk with spilled rows).
{{ config(materialized='table') }}

{%- set run_date = similarity_run_date() %}

with

window_keys as (

    select * from {{ ref('int_similarity__story_keys') }}
    {%- if run_date is not none %}
    where {{ similarity_window_filter(run_date) }}
    {%- endif %}

),

new_keys as (

    select * from window_keys
    {%- if run_date is not none %}
    where first_partition_date = date '{{ run_date }}'
    {%- endif %}

),

selective_keys as (

    select story_key
    from window_keys
    where story_key in (select story_key from new_keys)
    group by story_key
    having count(*) between 2 and {{ var('similarity_max_key_articles') }}

),

-- the keys' rows on both sides, cut to the selective keys before they meet
new_selective as (

    select * from new_keys
    where story_key in (select story_key from selective_keys)

),

window_selective as (

    select * from window_keys
    where story_key in (select story_key from selective_keys)

),

sharing_a_key as materialized (

    select distinct
        new_keys.article_key as new_key,
        window_keys.article_key as other_key

    from new_selective as new_keys
    inner join window_selective as window_keys
        on new_keys.story_key = window_keys.story_key
       -- two new articles meet twice (each as the new one): keep one
       and (new_keys.article_key < window_keys.article_key
            {%- if run_date is not none %}
            or window_keys.first_partition_date <> date '{{ run_date }}'
            {%- endif %})
    -- within the look-back of each other
    where abs(new_keys.first_partition_date - window_keys.first_partition_date) <= {{ var('similarity_lookback_days') }}

),

articles as (

    select article_key, source_id from {{ ref('int_similarity__articles') }}

),

-- other publishers only: the new article's publisher, then the other's
with_new_publisher as materialized (

    select sharing_a_key.new_key, sharing_a_key.other_key, new_article.source_id as new_source_id
    from sharing_a_key
    inner join articles as new_article on sharing_a_key.new_key = new_article.article_key

),

across_publishers as materialized (

    select with_new_publisher.new_key, with_new_publisher.other_key
    from with_new_publisher
    inner join articles as other_article on with_new_publisher.other_key = other_article.article_key
    where with_new_publisher.new_source_id <> other_article.source_id

),

postings as (

    select article_key, token, weight from {{ ref('int_similarity__postings') }}
    {%- if run_date is not none %}
    where {{ similarity_window_filter(run_date) }}
    {%- endif %}

),

-- the new article's vector for each pair, then the other's entries for the same tokens
new_vectors as materialized (

    select across_publishers.new_key, across_publishers.other_key, new_posting.token, new_posting.weight
    from across_publishers
    inner join postings as new_posting on across_publishers.new_key = new_posting.article_key

),

scored as (

    select
        new_vectors.new_key,
        new_vectors.other_key,
        count(*) as shared_tokens,
        -- summed as integers (units of 1e-12): a float sum depends on the order the rows
        -- arrive in, and a rerun must give identical rows
        sum(cast(round(new_vectors.weight * other_posting.weight * 1e12) as bigint)) / 1e12 as cosine

    from new_vectors
    inner join postings as other_posting
        on new_vectors.other_key = other_posting.article_key
       and new_vectors.token = other_posting.token
    group by all
    -- a rewrite's cosine, decayed, must reach the same_event threshold, and a
    -- copy shares most of its vector: below it a pair is neither
    having cosine >= {{ var('similarity_same_event_threshold') }}

),

final as (

    select
        least(new_key, other_key) as left_key,
        greatest(new_key, other_key) as right_key,
        shared_tokens,
        cosine

    from scored

)

select * from final
