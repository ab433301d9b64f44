-- Document frequency per collection day: in how many of the day's articles
-- each token occurs. Incremental, kept for the look-back window: a run sums
-- the window's days instead of re-reading the window's articles.
with

new_terms as (

    select first_partition_date, token from {{ ref('int_similarity__article_terms') }}

),

final as (

    select
        first_partition_date,
        token,
        count(*) as document_frequency

    from new_terms
    group by first_partition_date, token

)

select * from final
