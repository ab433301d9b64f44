{#
    Lower-cased tokens of a text, in order, for any script.

    A token is a number with its inner separators (`12.340`, `3,4`: one
    token, so a story's figures stay whole) or a run of Unicode letters,
    combining marks and digits. Han, Hiragana, Katakana and Thai, written
    without spaces between words, are split into single characters first,
    only in texts that have any: finding none is a cheap scan, while
    rewriting every text costs a tenth of the tokenizing.
    (Replacement strings are RE2 rewrites: `\1` is the matched character.)
#}
{% macro similarity_tokens(text) -%}
    {%- set unspaced = '[\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}]' -%}
    regexp_extract_all(
        case
            when regexp_matches({{ text }}, '{{ unspaced }}')
                then regexp_replace(lower({{ text }}), '({{ unspaced }})', ' \1 ', 'g')
            else lower({{ text }})
        end,
        '\p{N}+(?:[.,]\p{N}+)*|[\p{L}\p{M}\p{N}]+'
    )
{%- endmacro %}
