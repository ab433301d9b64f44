{#
    Fails on every row where the SQL expression is false. Rows where it is
    null (a null operand) pass, as with a CHECK constraint. Works on a model
    or on a column (the column name is not used; the expression names it).
#}
{% test expression_is_true(model, expression, column_name=none) %}

select *
from {{ model }}
where not ({{ expression }})

{% endtest %}
