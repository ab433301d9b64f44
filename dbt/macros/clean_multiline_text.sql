{#
    Text with paragraphs (article bodies): like clean_text, but line breaks
    survive. Horizontal whitespace collapses to one space, spaces around line
    breaks go, and more than one blank line between paragraphs becomes one.
    (Replacement strings are RE2 rewrites, where `\n` is not a newline, hence
    chr(10).)
    Each pass rewrites the whole text, so one scan first finds the texts that
    need any of them: most bodies come from the parser already tidy. In the
    passes, only runs and spaces other than U+0020 are replaced: rewriting
    every single space, the common case, made this the dearest step of staging.
#}
{% macro clean_multiline_text(column) -%}
    case
        when regexp_matches(
            {{ column }},
            '\r|[\x{2028}\x{2029}\t\f\v{{ odd_spaces() }}]|  | \n|\n |\n\n\n|^\s|\s$'
        ) then nullif(
            regexp_replace(
                regexp_replace(
                    regexp_replace(
                        regexp_replace(
                            regexp_replace({{ column }}, '\r\n?|[\x{2028}\x{2029}]', chr(10), 'g'),
                            '[\t\f\v\p{Zs}]{2,}|[\t\f\v{{ odd_spaces() }}]', ' ', 'g'
                        ),
                        ' ?\n ?', chr(10), 'g'
                    ),
                    '\n{3,}', chr(10) || chr(10), 'g'
                ),
                '^\s+|\s+$', '', 'g'
            ),
            ''
        )
        else nullif({{ column }}, '')
    end
{%- endmacro %}
