{#- An article's stable id: md5 hex of its canonical URL. One definition, so the
    articles mart and the similarity models always agree on it. -#}
{% macro article_id(url) -%}
    md5({{ url }})
{%- endmacro %}
