-- The articles a similarity run looks at, as compact token and shingle hashes.
-- Incremental run: articles first collected in [run_date - lookback, run_date];
-- full build: every article. Rebuilt on every run (a working table).
{{ config(materialized='table') }}

{%- set run_date = similarity_run_date() %}
{%- set lookback = var('similarity_lookback_days') %}

with

articles as (

    select * from {{ ref('int_articles__text_features') }}
    {%- if run_date is not none %}
    where first_partition_date between date '{{ run_date }}' - {{ lookback }} and date '{{ run_date }}'
    {%- endif %}

),

sources as (

    select source_id, language from {{ ref('stg_raw__sources') }}

),

tokenized as (

    select
        articles.url,
        articles.source_id,
        coalesce(articles.language, sources.language) as language,
        articles.published_at,
        articles.first_partition_date,
        -- read a bounded amount of text per article, so cost follows the article count
        {{ similarity_tokens(
            "concat_ws(' ', articles.title, articles.summary, left(articles.body, "
            ~ var('similarity_body_lead_chars') ~ "))"
        ) }}[1:{{ var('similarity_tokens_per_article') }}] as text_tokens,
        -- shingles come from the body's lead only: a copy may change the title
        {{ similarity_tokens(
            "left(coalesce(articles.body, articles.summary), " ~ var('similarity_body_lead_chars') ~ ")"
        ) }}[1:{{ var('similarity_shingle_lead_tokens') }}] as lead_tokens

    from articles
    left join sources on articles.source_id = sources.source_id

),

final as (

    select
        -- a 64-bit key for the heavy joins; article_id (md5 hex) is for the marts
        hash(url) as article_key,
        {{ article_id('url') }} as article_id,
        source_id,
        language,
        published_at,
        first_partition_date,
        {%- if run_date is not none %}
        first_partition_date = date '{{ run_date }}' as is_new,
        {%- else %}
        true as is_new,
        {%- endif %}
        -- every token with its repeats (term frequency counts), plus bigrams of
        -- single-character tokens: Chinese and Japanese words are 2-4 characters
        list_transform(
            list_concat(
                text_tokens,
                list_filter(
                    list_transform(
                        range(1, len(text_tokens)),
                        lambda i: case when len(text_tokens[i]) = 1 and len(text_tokens[i + 1]) = 1
                            then text_tokens[i] || text_tokens[i + 1] end
                    ),
                    lambda bigram: bigram is not null
                )
            ),
            lambda token: hash(token)
        ) as token_hashes,
        {{ similarity_shingles(
            'lead_tokens', var('similarity_shingle_words'), var('similarity_shingle_sample_mod')
        ) }} as shingle_hashes

    from tokenized

)

select * from final
