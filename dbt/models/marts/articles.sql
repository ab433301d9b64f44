-- Incremental: a run replaces the articles staged since its last build, and
-- those whose story cluster changed (a cluster within the look-back window
-- gained or lost members), so its cost follows the day, not the archive.
-- depends_on: {{ ref('int_articles__text_features') }}
-- depends_on: {{ ref('int_similarity__article_clusters') }}
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='article_id',
    on_schema_change='append_new_columns',
    pre_hook="{{ drop_departed_articles(key='article_id', departed_key=article_id('url')) }}"
) }}

with
{% if is_incremental() %}
restaged_urls as (

    select url from {{ ref('int_articles__text_features') }}
    where {{ staged_since_last_build() }}

),

reclustered as (

    select coalesce(clusters.article_id, published.article_id) as article_id
    from {{ ref('int_similarity__article_clusters') }} as clusters
    full outer join (
        select article_id, cluster_id, is_first_report, is_syndicated_copy
        from {{ this }}
        where cluster_id is not null
    ) as published on clusters.article_id = published.article_id
    where clusters.cluster_id is distinct from published.cluster_id
       or clusters.is_first_report is distinct from published.is_first_report
       or clusters.is_syndicated_copy is distinct from published.is_syndicated_copy

),
-- one list of URLs, so the filter reaches the dedup's scan (two IN lists
-- joined by OR are checked after every article's score is computed)
redone_urls as (

    select url from restaged_urls
    union
    select url from {{ this }} where article_id in (select article_id from reclustered)

),
{% endif %}
articles as (

    select * from {{ ref('int_articles__quality') }}
    {%- if is_incremental() %}
    where url in (select url from redone_urls)
    {%- endif %}

),

sources as (

    select * from {{ ref('stg_raw__sources') }}

),

reading_speeds as (

    select * from {{ ref('reading_speeds') }}

),

default_reading_speed as (

    select words_per_minute from reading_speeds where language = 'default'

),

with_source as (

    select
        articles.* exclude (language),
        sources.source_name,
        sources.country,
        coalesce(articles.language, sources.language) as language

    from articles
    left join sources on articles.source_id = sources.source_id

),

with_reading_speed as (

    select
        with_source.*,
        coalesce(
            reading_speeds.words_per_minute,
            default_reading_speed.words_per_minute
        ) as reading_words_per_minute

    from with_source
    left join reading_speeds on with_source.language = reading_speeds.language
    left join default_reading_speed on true

),

final as (

    select
        article_id,
        source_id,
        source_name,
        country,
        category,
        language,
        url,
        guid,
        title,
        summary,
        body,
        author,
        published_at,
        updated_at,
        image_url,
        summary_word_count,
        body_word_count,
        reading_words_per_minute,
        {{ reading_time_seconds('summary_word_count', 'reading_words_per_minute') }}
            as reading_time_summary_seconds,
        {{ reading_time_seconds('coalesce(body_word_count, summary_word_count)', 'reading_words_per_minute') }}
            as reading_time_full_seconds,
        quality_score,
        quality_completeness,
        quality_length,
        quality_originality,
        quality_freshness,
        quality_title_signal,
        cluster_id,
        is_first_report,
        is_syndicated_copy,
        content_hash,
        version_count,
        first_seen_at,
        first_partition_date,
        feed_url,
        fetched_at,
        partition_date,
        run_id,
        loaded_at,
        last_staged_at,
        feed_link,
        media_kind,
        language_declared,
        language_detected,
        published_at_source,
        body_source

    from with_reading_speed

)

select * from final
