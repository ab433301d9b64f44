-- Word counts per article, beside int_articles__deduped (join on url), not a
-- copy of its text. Incremental: words are counted once per version kept,
-- for the URLs the dedup redid since this table's last build.
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
        {{ word_count('summary') }} as summary_word_count,
        {{ word_count('body') }} as body_word_count

    from articles

)

select * from with_word_counts
