-- Connected components of the article_similarity graph: one row per article
-- in a similar pair.
--
-- A story is every article reachable from another through similar pairs, so
-- a rewrite that matches a wire copy joins the wire story even when it
-- matches neither the agency's original nor the other rewrites directly.
-- Reachability chains errors too, so a rewrite is an edge only when it is
-- strong for both of its articles: its score is at least cluster_floor times
-- the better of the two articles' strongest rewrite scores (within a language
-- and across languages apart); copies are always edges. The articles are
-- numbered in article_id order and each takes the smallest number it reaches:
-- a recursive query in which only the articles whose label fell in the last
-- step pass it on (a step per edge of the longest shortest path in a story).
--
-- Incremental: a run relabels only the part of the graph it can change.
-- Every pair a run adds or removes has both articles in the look-back window,
-- so only the window's articles (and articles restaged since the last build)
-- change their pairs or strongest scores. A pair's edge test reads the
-- strongest scores of its two articles only, so every pair outside those
-- articles keeps its verdict, and the components that hold none of them keep
-- their members. The run relabels the window's and restaged articles, their
-- pair partners, and every member of the components those were in; the rest
-- stays as it was. A relabelled article in no pair any more is written with
-- pair_count 0, so that delete+insert replaces its row, and a post-hook
-- deletes it (dbt_project.yml).
-- depends_on: {{ ref('int_similarity__articles') }}
{%- set incremental = is_incremental()
    and 'last_staged_at' in adapter.get_columns_in_relation(this) | map(attribute='name') | list %}
{#- a table labelled before the rows kept their staging time is labelled again whole #}
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='article_id',
    on_schema_change='sync_all_columns'
) }}

with recursive

all_pairs as (

    select article_a_id, article_b_id, match_kind, score, same_language
    from {{ ref('article_similarity') }}

),

facts as (

    select article_id, last_staged_at from {{ ref('int_similarity__article_facts') }}

),

{% if incremental %}

previous as (

    select article_id, component, last_staged_at from {{ this }}

),

seeds as (

    select article_id from {{ ref('int_similarity__articles') }}
    union
    select article_id from facts where last_staged_at > (select max(last_staged_at) from previous)

),

reached as (

    select article_id from seeds
    union select article_b_id from all_pairs where article_a_id in (select article_id from seeds)
    union select article_a_id from all_pairs where article_b_id in (select article_id from seeds)

),

relabelled as (

    select article_id from reached
    union
    select article_id from previous
    where component in (select component from previous where article_id in (select article_id from reached))

),

pairs as (

    select * from all_pairs
    where article_a_id in (select article_id from relabelled) or article_b_id in (select article_id from relabelled)

),

{% else %}

relabelled as (

    select article_a_id as article_id from all_pairs union select article_b_id from all_pairs

),

pairs as (

    select * from all_pairs

),

{% endif %}

-- the relabelled articles that are in a pair, numbered in article_id order
numbered as (

    select
        article_id,
        cast(row_number() over (order by article_id) - 1 as integer) as code,
        count(*) as pair_count
    from (select article_a_id as article_id from pairs union all select article_b_id from pairs)
    semi join relabelled using (article_id)
    group by article_id

),

rewrites as (

    select article_a_id as article_id, same_language, score from pairs where match_kind = 'same_event'
    union all
    select article_b_id, same_language, score from pairs where match_kind = 'same_event'

),

strongest as (

    select article_id, same_language, max(score) as best_score from rewrites group by all

),

-- the pairs between two numbered articles that are edges: copies, and rewrites strong for both articles
edges as (

    select first.code as a, second.code as b
    from pairs
    inner join numbered as first on pairs.article_a_id = first.article_id
    inner join numbered as second on pairs.article_b_id = second.article_id
    left join strongest as strongest_a
        on pairs.article_a_id = strongest_a.article_id
       and pairs.same_language is not distinct from strongest_a.same_language
    left join strongest as strongest_b
        on pairs.article_b_id = strongest_b.article_id
       and pairs.same_language is not distinct from strongest_b.same_language
    where pairs.match_kind = 'syndicated'
       or pairs.score >= {{ var('similarity_cluster_floor') }} * greatest(strongest_a.best_score, strongest_b.best_score)

),

links as (

    select a as from_code, b as to_code from edges
    union all
    select b, a from edges

),

-- each article's label: the smallest code it reaches; a step passes on only the labels that fell in the last one
labels (code, label) using key (code) as (

    select code, code from numbered

    union

    (
        select links.to_code, min(labels.label)
        from labels
        inner join links on labels.code = links.from_code
        inner join recurring.labels as reached_label on links.to_code = reached_label.code
        group by links.to_code
        having min(labels.label) < min(reached_label.label)
    )

),

labelled as (

    select
        numbered.article_id,
        numbered.pair_count,
        labels.label,
        count(*) over (partition by labels.label) as members
    from numbered
    inner join labels using (code)

),

watermark as (

    select max(last_staged_at) as last_staged_at from facts

)

-- a component is named by its smallest article_id, so a story's label is the same whichever run drew it;
-- an article in no edge is a component of one and in no story
select
    labelled.article_id,
    case when labelled.members > 1 then first_member.article_id end as component,
    labelled.pair_count,
    watermark.last_staged_at
from labelled
inner join numbered as first_member on labelled.label = first_member.code
cross join watermark

{% if incremental %}

union all

select relabelled.article_id, null as component, 0 as pair_count, watermark.last_staged_at
from relabelled
cross join watermark
where relabelled.article_id in (select article_id from previous)
  and relabelled.article_id not in (select article_id from numbered)

{% endif %}
