{#
    Single-line text: every run of whitespace (ASCII and Unicode separators
    such as no-break space) becomes one space, the ends are trimmed, and an
    empty result becomes null.
#}
{% macro clean_text(column) -%}
    nullif(trim(regexp_replace({{ column }}, '[\s\pZ]+', ' ', 'g')), '')
{%- endmacro %}
