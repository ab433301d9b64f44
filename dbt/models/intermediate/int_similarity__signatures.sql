-- Each article's signature: the tokens that say most about it (TF-IDF), among
-- those another article in the window also has, and the top few (anchors)
-- for finding candidates.
{{ config(materialized='table') }}

with

articles as (

    select article_key, token_hashes from {{ ref('int_similarity__articles') }}

),

term_frequency as (

    select article_key, token, count(*) as tf
    from (select article_key, unnest(token_hashes) as token from articles)
    group by article_key, token

),

window_size as (

    select count(*) as article_count from articles

),

document_frequency as (

    select token, count(*) as df from term_frequency group by token

),

-- a token in too many articles is a function word or a house phrase, in any
-- language. Tokens no other article has stay: they cannot match, but they are
-- the article's own content, which a good match must not be missing.
usable_tokens as (

    select
        document_frequency.token,
        document_frequency.df,
        ln(window_size.article_count / document_frequency.df) as idf

    from document_frequency
    cross join window_size
    where document_frequency.df <= greatest(
          {{ var('similarity_min_token_cap') }},
          {{ var('similarity_max_token_share') }} * window_size.article_count
      )

),

-- a story's names, figures and topic words recur within its articles while
-- a rare word met by chance appears once: rank by tf-idf, not rarity alone
ranked as (

    select
        term_frequency.article_key,
        list(
            -- squared IDF as the match weight: rare shared tokens outweigh the many
            -- middling words two unrelated reports of one beat have in common;
            -- the same for a token in every article, so signatures compare by value
            {'token': usable_tokens.token, 'weight': usable_tokens.idf * usable_tokens.idf}
            order by (1 + ln(term_frequency.tf)) * usable_tokens.idf desc, usable_tokens.token
        ) as best_first,
        -- anchors can only join articles through tokens another article has
        list(
            usable_tokens.token
            order by (1 + ln(term_frequency.tf)) * usable_tokens.idf desc, usable_tokens.token
        ) filter (where usable_tokens.df >= 2) as shared_best_first

    from term_frequency
    inner join usable_tokens on term_frequency.token = usable_tokens.token
    group by term_frequency.article_key

),

final as (

    select
        article_key,
        best_first[1:{{ var('similarity_signature_size') }}] as signature,
        list_sum(list_transform(signature, lambda t: t.weight)) as signature_weight,
        list_sort(coalesce(shared_best_first, [])[1:{{ var('similarity_anchor_count') }}]) as anchors

    from ranked

)

select * from final
