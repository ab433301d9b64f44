-- The new articles' token counts, one row per (article, token). A table of
-- its own, so the planner knows its size: joined straight from the unnested
-- lists, the hash table was built on the terms instead of the token
-- frequencies and a million articles did not fit in memory.
{{ config(materialized='table') }}

with

new_articles as (

    select article_key, first_partition_date, unnest(term_counts) as term
    from {{ ref('int_similarity__article_tokens') }}

),

final as (

    select
        article_key,
        first_partition_date,
        term.key as token,
        term.value as term_count

    from new_articles

)

select * from final
