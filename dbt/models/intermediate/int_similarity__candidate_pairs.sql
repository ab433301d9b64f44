-- Pairs that share a selective token, with their cosine: the sparse product
-- of the new articles' vectors with the window's, through an inverted index
-- (token -> articles), so no all-pairs comparison. A token in more than
-- similarity_max_key_articles articles of the window (a famous name) is left
-- out of the product, which bounds the work per token.
{{ config(materialized='table') }}

{%- set run_date = similarity_run_date() %}

with

postings as (

    select * from {{ ref('int_similarity__postings') }}
    {%- if run_date is not none %}
    where {{ similarity_window_filter(run_date) }}
    {%- endif %}

),

new_postings as (

    select * from postings
    -- the new article's document frequencies are the current window's
    where document_frequency <= {{ var('similarity_max_key_articles') }}
    {%- if run_date is not none %}
      and first_partition_date = date '{{ run_date }}'
    {%- endif %}

),

articles as (

    select article_key, source_id from {{ ref('int_similarity__articles') }}

),

shared_tokens as (

    select
        new_postings.article_key as new_key,
        postings.article_key as other_key,
        count(*) as shared_tokens,
        -- summed as integers (units of 1e-12): a float sum depends on the order the rows
        -- arrive in, and a rerun must give identical rows
        sum(cast(round(new_postings.weight * postings.weight * 1e12) as bigint)) / 1e12 as cosine

    from new_postings
    inner join postings
        on new_postings.token = postings.token
       -- two new articles meet twice (each as the new one): keep one
       and (new_postings.article_key < postings.article_key
            {%- if run_date is not none %}
            or postings.first_partition_date <> date '{{ run_date }}'
            {%- endif %})
    -- within the look-back of each other
    where abs(new_postings.first_partition_date - postings.first_partition_date) <= {{ var('similarity_lookback_days') }}
    group by all
    -- a rewrite's cosine, decayed, must reach the same_story threshold, and a
    -- copy shares most of its vector: below it a pair is neither
    having cosine >= {{ var('similarity_same_story_threshold') }}

),

final as (

    select
        least(shared_tokens.new_key, shared_tokens.other_key) as left_key,
        greatest(shared_tokens.new_key, shared_tokens.other_key) as right_key,
        shared_tokens.shared_tokens,
        shared_tokens.cosine

    from shared_tokens
    inner join articles as new_article on shared_tokens.new_key = new_article.article_key
    inner join articles as other_article on shared_tokens.other_key = other_article.article_key
    -- other publishers only
    where new_article.source_id <> other_article.source_id

)

select * from final
