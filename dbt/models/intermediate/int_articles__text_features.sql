with

articles as (

    select * from {{ ref('int_articles__deduped') }}

),

with_word_counts as (

    select
        *,
        {{ word_count('summary') }} as summary_word_count,
        {{ word_count('body') }} as body_word_count

    from articles

)

select * from with_word_counts
