-- Word counts per article, beside int_articles__deduped (join on url), not a
-- copy of its text. Incremental: words are counted once per version kept,
-- for the URLs the dedup redid since this table's last build. An audio or
-- video item (media_kind) has no words to count: its text describes the
-- recording, so reading times and the length score leave it out (null).
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='url',
    on_schema_change='fail',
    pre_hook="{{ drop_departed_articles() }}"
) }}

with

articles as (

    select * from {{ ref('int_articles__deduped') }}
    {%- if is_incremental() %}
    where {{ staged_since_last_build() }}
    {%- endif %}

),

with_word_counts as (

    select
        url,
        last_staged_at,
        case when media_kind is null then {{ word_count('summary') }} end as summary_word_count,
        case when media_kind is null then {{ word_count('body') }} end as body_word_count

    from articles

)

select * from with_word_counts
