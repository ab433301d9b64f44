-- One row per story told by two or more articles. Incremental: a run redoes
-- the stories of the articles clustered since its last build (every member of
-- a story redone is redone with it) and drops the stories that are gone.
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='cluster_id',
    on_schema_change='append_new_columns',
    pre_hook="{{ drop_rows_not_in(ref('int_similarity__article_clusters'), 'cluster_id') }}"
) }}

with

clusters as (

    select * from {{ ref('int_similarity__article_clusters') }}
    {%- if is_incremental() %}
    where cluster_id in (
        select cluster_id from {{ ref('int_similarity__article_clusters') }} where {{ staged_since_last_build() }}
    )
    {%- endif %}

),

facts as (

    select * from {{ ref('int_similarity__article_facts') }}

),

members as (

    select clusters.*, facts.source_id, facts.language, facts.published_at
    from clusters
    left join facts on clusters.article_id = facts.article_id

),

final as (

    select
        cluster_id,
        any_value(article_id) filter (where is_first_report) as first_article_id,
        any_value(source_id) filter (where is_first_report) as first_source_id,
        any_value(published_at) filter (where is_first_report) as first_published_at,
        max(published_at) as last_published_at,
        round((epoch(max(published_at)) - epoch(min(published_at))) / 3600.0, 3) as span_hours,
        count(*) as article_count,
        count(distinct source_id) as publisher_count,
        count(distinct language) as language_count,
        list(article_id order by published_at asc nulls last, article_id) as article_ids,
        max(last_staged_at) as last_staged_at

    from members
    group by cluster_id

)

select * from final
