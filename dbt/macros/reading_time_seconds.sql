{#
    Seconds to read `word_count` words at `words_per_minute`, rounded up to the
    next whole second (a 1-word text takes 1 s, not 0). Null in, null out.
#}
{% macro reading_time_seconds(word_count, words_per_minute) -%}
    cast(ceil({{ word_count }} * 60.0 / {{ words_per_minute }}) as integer)
{%- endmacro %}
