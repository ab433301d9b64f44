-- Each new article's top tokens by tf-idf with their weights, normalized
-- to unit length: the sparse vectors whose dot product is the pairs' cosine.
-- Incremental, kept for the look-back window: an article's vector is made
-- once, with the document frequencies of its own run's window.
{%- set run_date = similarity_run_date() %}

with

new_terms as (

    select * from {{ ref('int_similarity__article_terms') }}

),

window_frequency as (

    select token, sum(document_frequency) as document_frequency
    from {{ ref('int_similarity__daily_token_frequency') }}
    {%- if run_date is not none %}
    where {{ similarity_window_filter(run_date) }}
    {%- endif %}
    group by token

),

window_size as (

    select count(*) as article_count
    from {{ ref('int_similarity__articles') }}
    {%- if run_date is not none %}
    where {{ similarity_window_filter(run_date) }}
    {%- endif %}

),

-- a token in too many articles is a function word or a house phrase, in any
-- language: no stop list, its document frequency rules it out
usable_tokens as (

    select
        window_frequency.token,
        window_frequency.document_frequency,
        ln(window_size.article_count / window_frequency.document_frequency) as idf

    from window_frequency
    cross join window_size
    where window_frequency.document_frequency <= greatest(
          {{ var('similarity_min_token_cap') }},
          {{ var('similarity_max_token_share') }} * window_size.article_count
      )

),

-- sublinear tf-idf: a story's names, figures and topic words recur in its
-- reports, a rare word met by chance appears once. Tokens no other article
-- has stay: they cannot match, but they are the article's own content and
-- weigh in its length, so little shared content means a low cosine.
weighted as (

    select
        new_terms.article_key,
        new_terms.first_partition_date,
        new_terms.token,
        -- ties broken by token: a fraction under 1e-6, far below any weight's own size
        (1 + ln(new_terms.term_count)) * usable_tokens.idf + (new_terms.token % 1000000) * 1e-12 as weight

    from new_terms
    inner join usable_tokens on new_terms.token = usable_tokens.token

),

-- the top tokens and their weights as two lists in the same order: two
-- plain top-n aggregates cost a tenth of one over a struct at 1M articles
top_tokens as (

    select
        article_key,
        any_value(first_partition_date) as first_partition_date,
        arg_max(token, weight, {{ var('similarity_vector_size') }}) as tokens,
        max(weight, {{ var('similarity_vector_size') }}) as weights

    from weighted
    group by article_key

),

vectors as (

    select
        article_key,
        first_partition_date,
        unnest(tokens) as token,
        -- 1 = the heaviest token: the story keys pair up the top ranks
        unnest(range(1, len(tokens) + 1)) as token_rank,
        -- unit length over the kept tokens: the dot product of two vectors is their cosine
        -- (capped at 1: a one-token vector's w / sqrt(w * w) can round a hair above it)
        unnest(list_transform(
            weights, lambda w: least(w / sqrt(list_sum(list_transform(weights, lambda v: v * v))), 1.0)
        )) as weight

    from top_tokens

)

select * from vectors
