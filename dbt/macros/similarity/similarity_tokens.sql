{#
    Lower-cased tokens of a text, in order, for any script.

    A token is a number without its inner separators (`12.340` and `12,340`
    are both `12340`, `3,4` and `3.4` both `34`: one token, the same in every
    language's way of writing it, so a story's figures match across
    languages) or a run of Unicode letters, combining marks and digits. Han, Hiragana, Katakana and Thai, written
    without spaces between words, are split into single characters first,
    only in texts that have any: finding none is a cheap scan, while
    rewriting every text costs a tenth of the tokenizing.
    (Replacement strings are RE2 rewrites: `\1` is the matched character.)
#}
{% macro similarity_tokens(text) -%}
    {%- set unspaced = '[\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}]' -%}
    regexp_extract_all(
        regexp_replace(
            case
                when regexp_matches({{ text }}, '{{ unspaced }}')
                    then regexp_replace(lower({{ text }}), '({{ unspaced }})', ' \1 ', 'g')
                else lower({{ text }})
            end,
            '(\p{N})[.,](\p{N})', '\1\2', 'g'
        ),
        '[\p{L}\p{M}\p{N}]+'
    )
{%- endmacro %}
