{#
    Sampled w-word shingles of a list of token hashes: one hash over every
    run of `words` consecutive tokens, kept when it is 0 mod `sample_mod`
    (so two copies of one text keep the same sample), duplicates removed.
    The run is hashed from its tokens' hashes by position, not as a list
    slice: slicing a list per position costs 50 times more in DuckDB.
#}
{% macro similarity_shingles(token_hashes, words, sample_mod) -%}
    list_distinct(list_filter(
        list_transform(
            range(1, len({{ token_hashes }}) - {{ words - 2 }}),
            lambda i: hash(
                {%- for offset in range(words) %}{{ token_hashes }}[i + {{ offset }}]{{ ", " if not loop.last }}{% endfor -%}
            )
        ),
        lambda h: h % {{ sample_mod }} = 0
    ))
{%- endmacro %}
