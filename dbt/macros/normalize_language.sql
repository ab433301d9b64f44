{#
    ISO 639-1 code from a language tag: `EN-us`, `en_GB`, ` de ` give `en`,
    `en`, `de`. Anything that is not a two-letter code with optional subtags
    (`english`, `zh-Hans-CN` is fine, `fil` is not) becomes null, so the
    caller falls back to the source's language instead of carrying a value no
    reading speed or filter can match.
#}
{% macro normalize_language(column) -%}
    nullif(regexp_extract(lower({{ clean_text(column) }}), '^([a-z]{2})(?:[-_][a-z0-9]+)*$', 1), '')
{%- endmacro %}
