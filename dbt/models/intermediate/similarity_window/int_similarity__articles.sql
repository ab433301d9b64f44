-- The articles of the look-back window, as the pair checks need them:
-- ids, publisher, times, shingles. Incremental: a run adds its new articles
-- and drops those that fell out of the window.
with

new_articles as (

    select * from {{ ref('int_similarity__article_tokens') }}

),

final as (

    select
        article_key,
        article_id,
        source_id,
        language,
        published_at,
        first_partition_date,
        shingle_hashes

    from new_articles

)

select * from final
