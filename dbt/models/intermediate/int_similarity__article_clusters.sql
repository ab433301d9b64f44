-- One row per article in a story cluster (a connected component of the
-- similarity graph with at least two articles), with its role in the story.
-- Incremental: a run redoes the components labelled since its last build
-- (every member of a relabelled component is relabelled with it) and drops
-- the articles that are in no story any more.
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='article_id',
    on_schema_change='append_new_columns',
    pre_hook="{{ drop_rows_not_in(ref('int_similarity__components'), 'article_id', 'component is not null') }}"
) }}

with

components as (

    select article_id, component, last_staged_at
    from {{ ref('int_similarity__components') }}
    where component is not null
    {%- if is_incremental() %}
      and component in (
          select component from {{ ref('int_similarity__components') }} where {{ staged_since_last_build() }}
      )
    {%- endif %}

),

facts as (

    select * from {{ ref('int_similarity__article_facts') }}

),

pairs as (

    select * from {{ ref('article_similarity') }}

),

-- the story order: earliest published first (unknown times last), then article_id
ordered as (

    select
        components.article_id,
        components.component,
        components.last_staged_at,
        facts.published_at,
        row_number() over (
            partition by components.component
            order by facts.published_at asc nulls last, components.article_id
        ) as report_order

    from components
    left join facts on components.article_id = facts.article_id

),

first_reports as (

    select component, article_id as cluster_id
    from ordered
    where report_order = 1

),

-- both directions of every syndicated pair of the components redone, with each side's published time
syndicated_edges as (

    select pairs.article_a_id as article_id, pairs.article_b_id as other_id
    from pairs
    where pairs.match_kind = 'syndicated' and pairs.article_a_id in (select article_id from components)
    union all
    select pairs.article_b_id, pairs.article_a_id
    from pairs
    where pairs.match_kind = 'syndicated' and pairs.article_b_id in (select article_id from components)

),

-- a copy: syndicated with an article that comes before it in the story order
syndicated_copies as (

    select distinct syndicated_edges.article_id
    from syndicated_edges
    inner join ordered as this_article on syndicated_edges.article_id = this_article.article_id
    inner join ordered as other_article on syndicated_edges.other_id = other_article.article_id
    where other_article.report_order < this_article.report_order

),

final as (

    select
        ordered.article_id,
        first_reports.cluster_id,
        ordered.report_order = 1 as is_first_report,
        syndicated_copies.article_id is not null as is_syndicated_copy,
        ordered.last_staged_at

    from ordered
    inner join first_reports on ordered.component = first_reports.component
    left join syndicated_copies on ordered.article_id = syndicated_copies.article_id

)

select * from final
