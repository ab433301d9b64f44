{#
    Words in a text, for any script: a word is a run of letters, combining
    marks and digits, optionally joined by an apostrophe or hyphen (`don't`,
    `e-mail` count once). Null text gives null.
    Scripts written without spaces (Chinese, Japanese, Thai) come out as very
    few "words", one per run between punctuation.
#}
{% macro word_count(column) -%}
    len(regexp_extract_all({{ column }}, '[\p{L}\p{M}\p{N}]+(?:[''’\-][\p{L}\p{M}\p{N}]+)*'))
{%- endmacro %}
