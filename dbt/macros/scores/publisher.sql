{#
    Publisher score components over a window of days (the sources mart: the
    last 30 days; source_rankings: one day or one ISO week), from counts summed
    over that window. Documented in _scores.yml.
#}

{#- Share of fetches that got an answer: `ok`, or `not_modified` (a 304 to a
    conditional GET is the server working as it should). Null without fetches. -#}
{% macro fetch_success_rate(successful_fetch_count, fetch_count) -%}
    ({{ successful_fetch_count }}::double / nullif({{ fetch_count }}, 0))
{%- endmacro %}

{#- 1 - rejected / (accepted records + rejected). Null when there was neither. -#}
{% macro accepted_item_share(record_count, rejected_count) -%}
    (1.0 - {{ rejected_count }}::double / nullif({{ record_count }} + {{ rejected_count }}, 0))
{%- endmacro %}

{#- Mean of the reliability signals that exist. The data-quality pass rate,
    a third signal, has no table yet (ops.dq_results comes later); until then
    its weight is split evenly between these two. -#}
{% macro publisher_reliability(fetch_success_rate, accepted_item_share) -%}
    coalesce(
        ({{ fetch_success_rate }} + {{ accepted_item_share }}) / 2.0,
        {{ fetch_success_rate }},
        {{ accepted_item_share }}
    )
{%- endmacro %}

{#- log2(1 + articles per loaded day) / 4, capped at 1: 15 articles a day
    or more is full marks, 1 a day is 0.25. -#}
{% macro publisher_volume(article_count, loaded_day_count) -%}
    least(1.0, log2(1 + {{ article_count }}::double / nullif({{ loaded_day_count }}, 0)) / 4.0)
{%- endmacro %}

{#- The publisher's score, 0..100 with one decimal; mean_quality is 0..100. -#}
{% macro publisher_score(mean_quality, originality_rate, reliability, volume) -%}
    round(100 * (
        0.40 * {{ mean_quality }} / 100.0
        + 0.20 * {{ originality_rate }}
        + 0.25 * {{ reliability }}
        + 0.15 * {{ volume }}
    ), 1)
{%- endmacro %}

{% macro reliability_sums(daily) -%}
    sum({{ daily }}.fetch_count) as fetch_count,
    sum({{ daily }}.successful_fetch_count) as successful_fetch_count,
    sum({{ daily }}.record_count) as record_count,
    sum({{ daily }}.rejected_count) as rejected_count
{%- endmacro %}
