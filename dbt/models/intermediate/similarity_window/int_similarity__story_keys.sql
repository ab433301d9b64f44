-- Each new article's story keys: one per pair of its top tokens. Two reports
-- of a story share several of their top tokens, so they share a key, while a
-- pair of tokens, unlike one token, is rare in unrelated articles even in a
-- window of millions. Incremental, kept for the look-back window.
{%- set run_date = similarity_run_date() %}

with

top_tokens as (

    select article_key, first_partition_date, token
    from {{ ref('int_similarity__postings') }}
    where token_rank <= {{ var('similarity_key_tokens') }}
    {%- if run_date is not none %}
      and first_partition_date = date '{{ run_date }}'
    {%- endif %}

),

final as (

    select
        first_token.article_key,
        first_token.first_partition_date,
        hash(first_token.token, second_token.token) as story_key

    from top_tokens as first_token
    inner join top_tokens as second_token
        on first_token.article_key = second_token.article_key
       and first_token.token < second_token.token

)

select * from final
