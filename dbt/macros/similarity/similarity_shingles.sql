{#
    Sampled w-word shingles of a token list: the hash of every run of
    `words` consecutive tokens, kept when hash mod `sample_mod` is 0 (so two
    copies of one text keep the same sample), duplicates removed.
#}
{% macro similarity_shingles(tokens, words, sample_mod) -%}
    list_distinct(list_filter(
        list_transform(
            range(1, len({{ tokens }}) - {{ words - 2 }}),
            lambda i: hash({{ tokens }}[i:i + {{ words - 1 }}])
        ),
        lambda h: h % {{ sample_mod }} = 0
    ))
{%- endmacro %}
