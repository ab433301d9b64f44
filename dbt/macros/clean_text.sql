{#
    Single-line text: every run of whitespace (ASCII and Unicode separators
    such as no-break space) becomes one space, the ends are trimmed, and an
    empty result becomes null.
#}
{% macro clean_text(column) -%}
    nullif(trim(regexp_replace({{ column }}, '[\s\pZ]{2,}|[\t\n\f\r\x{2028}\x{2029}{{ odd_spaces() }}]', ' ', 'g')), '')
{%- endmacro %}

{#
    The space separators (\p{Zs}) other than U+0020, as RE2 class members:
    the single characters that the cleaning macros must replace one by one.
#}
{% macro odd_spaces() -%}
    \x{A0}\x{1680}\x{2000}-\x{200A}\x{202F}\x{205F}\x{3000}
{%- endmacro %}
