-- The run's new articles as token counts and shingles: the only step that
-- reads article text, so each article is tokenized once, on its first day.
-- Incremental run: the articles first collected on run_date; full build:
-- every article. Rebuilt on every run.
{{ config(materialized='table') }}

{%- set run_date = similarity_run_date() %}
{%- set lead_chars = var('similarity_body_lead_chars') %}

with

articles as (

    select * from {{ ref('int_articles__deduped') }}
    {%- if run_date is not none %}
    where first_partition_date = date '{{ run_date }}'
    {%- endif %}

),

sources as (

    select source_id, language from {{ ref('stg_raw__sources') }}

),

-- title, summary and the body's lead are tokenized apart, so no text is read
-- twice: the body lead gives both tokens and shingles
tokenized as (

    select
        articles.url,
        articles.source_id,
        coalesce(articles.language, sources.language) as language,
        articles.published_at,
        articles.first_partition_date,
        {{ similarity_tokens('articles.title') }} as title_tokens,
        {{ similarity_tokens('articles.summary') }} as summary_tokens,
        {{ similarity_tokens("left(articles.body, " ~ lead_chars ~ ")") }} as body_tokens

    from articles
    left join sources on articles.source_id = sources.source_id

),

bounded as (

    select
        *,
        -- a bounded amount of text per article, so cost follows the article count
        list_concat(title_tokens, summary_tokens, body_tokens)[1:{{ var('similarity_tokens_per_article') }}] as text_tokens,
        -- shingles come from the body's lead (the summary without a body): a copy may change the title
        list_transform(
            coalesce(body_tokens, summary_tokens, [])[1:{{ var('similarity_shingle_lead_tokens') }}],
            lambda token: hash(token)
        ) as lead_hashes

    from tokenized

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
        -- {key: token hash, value: count} per distinct token, plus bigrams of
        -- single-character tokens: Chinese and Japanese words are 2-4 characters.
        -- The title's tokens count similarity_title_weight times: a headline
        -- names the event, the rest of the text also tells its background.
        map_entries(list_aggregate(
            list_transform(
                list_concat(
                    text_tokens,
                    {%- for _ in range(var('similarity_title_weight') - 1) %}
                    coalesce(title_tokens, []),
                    {%- endfor %}
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
            ),
            'histogram'
        )) as term_counts,
        {{ similarity_shingles(
            'lead_hashes', var('similarity_shingle_words'), var('similarity_shingle_sample_mod')
        ) }} as shingle_hashes

    from bounded

)

select * from final
