-- One row per article in a story cluster (a connected component of the
-- similarity graph with at least two articles), with its role in the story.
{{ config(materialized='table') }}

with

components as (

    select * from {{ ref('int_similarity__components') }}

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

-- both directions of every syndicated pair, with each side's published time
syndicated_edges as (

    select pairs.article_a_id as article_id, pairs.article_b_id as other_id
    from pairs where pairs.match_kind = 'syndicated'
    union all
    select pairs.article_b_id, pairs.article_a_id
    from pairs where pairs.match_kind = 'syndicated'

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
        syndicated_copies.article_id is not null as is_syndicated_copy

    from ordered
    inner join first_reports on ordered.component = first_reports.component
    left join syndicated_copies on ordered.article_id = syndicated_copies.article_id

)

select * from final
