{#
    Article quality components, each 0..1, and the score that weighs them.
    The formulas are documented in _scores.yml and in the articles mart.
#}

{#- Share of the six fields a complete article has. -#}
{% macro quality_completeness(title, summary, body, author, image_url, published_at) -%}
    (
        ({{ title }} is not null)::integer
        + ({{ summary }} is not null)::integer
        + ({{ body }} is not null)::integer
        + ({{ author }} is not null)::integer
        + ({{ image_url }} is not null)::integer
        + ({{ published_at }} is not null)::integer
    )::double / 6
{%- endmacro %}

{#- Full marks from 400 words: the body's words, else the summary's, else none. -#}
{% macro quality_length(body_word_count, summary_word_count) -%}
    least(1.0, coalesce({{ body_word_count }}, {{ summary_word_count }}, 0)::double / 400)
{%- endmacro %}

{#- 1 for a first report or a singleton (not in any cluster), 0.5 for a later
    own report in a cluster, 0 for a syndicated copy. -#}
{% macro quality_originality(cluster_id, is_first_report, is_syndicated_copy) -%}
    cast(case
        when {{ is_syndicated_copy }} then 0
        when {{ cluster_id }} is null or {{ is_first_report }} then 1
        else 0.5
    end as double)
{%- endmacro %}

{#- 1 when collected within 24 h of publication, falling linearly to 0 at
    7 days (168 h); 0.5 when the publication time is unknown. A publication
    time after the collection time (clock skew) counts as fresh. -#}
{% macro quality_freshness(published_at, collected_at) -%}
    cast(case
        when {{ published_at }} is null then 0.5
        else greatest(0, least(1,
            (168 - epoch({{ collected_at }} - {{ published_at }}) / 3600) / (168 - 24)
        ))
    end as double)
{%- endmacro %}

{#- Title letters (any script) and how many of them are upper case. -#}
{% macro title_letter_count(title) -%}
    length(regexp_replace(coalesce({{ title }}, ''), '[^\p{L}]', '', 'g'))
{%- endmacro %}

{% macro title_upper_count(title) -%}
    length(regexp_replace(coalesce({{ title }}, ''), '[^\p{Lu}]', '', 'g'))
{%- endmacro %}

{#- Shouting: at least 8 letters, at least 60% of them upper case. -#}
{% macro title_is_shouting(title) -%}
    ({{ title_letter_count(title) }} >= 8
        and {{ title_upper_count(title) }} >= 0.6 * {{ title_letter_count(title) }})
{%- endmacro %}

{#- 1, minus 0.5 for shouting, minus 0.5 for '!!' anywhere in the title. -#}
{% macro quality_title_signal(title) -%}
    cast(greatest(0,
        1
        - 0.5 * ({{ title_is_shouting(title) }})::integer
        - 0.5 * (coalesce(contains({{ title }}, '!!'), false))::integer
    ) as double)
{%- endmacro %}

{#- The article's quality, 0..100 with one decimal. -#}
{% macro quality_score(completeness, length, originality, freshness, title_signal) -%}
    round(100 * (
        0.25 * {{ completeness }}
        + 0.20 * {{ length }}
        + 0.25 * {{ originality }}
        + 0.15 * {{ freshness }}
        + 0.15 * {{ title_signal }}
    ), 1)
{%- endmacro %}
