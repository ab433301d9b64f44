-- The articles mart falls back to the `default` row for languages without
-- their own reading speed; without it their reading times would be null.
select 'no default row in reading_speeds' as problem
where not exists (
    select 1 from {{ ref('reading_speeds') }} where language = 'default'
)
