-- Pairs worth verifying, without comparing all pairs. Two articles become a
-- candidate when they share at least two anchors (each one's top tokens by
-- tf-idf) or one sampled shingle. A key (anchor or shingle) held by more
-- articles than the fan-out cap (a famous name, a house phrase) joins none,
-- so the work stays bounded by the window's size.
{{ config(materialized='table') }}

{%- set lookback = var('similarity_lookback_days') %}
{%- set cap = var('similarity_max_key_articles') %}

with

articles as (

    select article_key, source_id, first_partition_date, is_new, shingle_hashes
    from {{ ref('int_similarity__articles') }}

),

signatures as (

    select article_key, anchors from {{ ref('int_similarity__signatures') }}

),

keys as (

    select article_key, 'anchor' as key_kind, unnest(anchors) as key from signatures
    union all
    select article_key, 'shingle' as key_kind, unnest(shingle_hashes) as key from articles

),

selective_keys as (

    select key_kind, key
    from keys
    group by key_kind, key
    having count(*) between 2 and {{ cap }}

),

members as (

    select keys.key_kind, keys.key, articles.*
    from keys
    semi join selective_keys using (key_kind, key)
    inner join articles on keys.article_key = articles.article_key

),

shared_keys as (

    select
        left_member.article_key as left_key,
        right_member.article_key as right_key,
        count(*) filter (where left_member.key_kind = 'anchor') as shared_anchors,
        count(*) filter (where left_member.key_kind = 'shingle') as shared_shingles

    from members as left_member
    inner join members as right_member
        on left_member.key_kind = right_member.key_kind
       and left_member.key = right_member.key
       and left_member.article_key < right_member.article_key
    -- other publishers only; at least one article of the run's day; within the look-back of each other
    where left_member.source_id <> right_member.source_id
      and (left_member.is_new or right_member.is_new)
      and abs(left_member.first_partition_date - right_member.first_partition_date) <= {{ lookback }}
    group by all

)

select left_key, right_key
from shared_keys
where shared_anchors >= 2 or shared_shingles >= 1
