{#
    Text with paragraphs (article bodies): like clean_text, but line breaks
    survive. Horizontal whitespace collapses to one space, spaces around line
    breaks go, and more than one blank line between paragraphs becomes one.
    (Replacement strings are RE2 rewrites, where `\n` is not a newline, hence
    chr(10).)
#}
{% macro clean_multiline_text(column) -%}
    nullif(
        regexp_replace(
            regexp_replace(
                regexp_replace(
                    regexp_replace(
                        regexp_replace({{ column }}, '\r\n?|[\x{2028}\x{2029}]', chr(10), 'g'),
                        '[\t\f\v\p{Zs}]+', ' ', 'g'
                    ),
                    ' ?\n ?', chr(10), 'g'
                ),
                '\n{3,}', chr(10) || chr(10), 'g'
            ),
            '^\s+|\s+$', '', 'g'
        ),
        ''
    )
{%- endmacro %}
