-- What the similarity marts show about any article, over the whole archive:
-- publisher, language (the source's when the article gives none), time.
-- Incremental: a run redoes the URLs the dedup redid since this table's last
-- build and drops the articles that departed.
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='article_id',
    on_schema_change='append_new_columns',
    pre_hook="{{ drop_departed_articles(key='article_id', departed_key=article_id('url')) }}"
) }}

with

articles as (

    select url, source_id, language, published_at, first_partition_date, last_staged_at
    from {{ ref('int_articles__deduped') }}
    {%- if is_incremental() %}
    where {{ staged_since_last_build() }}
    {%- endif %}

),

sources as (

    select source_id, language from {{ ref('stg_raw__sources') }}

),

final as (

    select
        {{ article_id('articles.url') }} as article_id,
        articles.source_id,
        coalesce(articles.language, sources.language) as language,
        articles.published_at,
        articles.first_partition_date,
        articles.last_staged_at

    from articles
    left join sources on articles.source_id = sources.source_id

)

select * from final
