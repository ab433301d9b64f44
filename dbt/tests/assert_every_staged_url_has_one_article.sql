-- Dedup must lose no article: every URL in staging is exactly one row of the
-- articles mart, and the mart holds no URL staging does not.
with

staged_urls as (

    select distinct url from {{ ref('stg_raw__articles') }}

),

article_urls as (

    select url, count(*) as row_count
    from {{ ref('articles') }}
    group by url

)

select
    coalesce(staged_urls.url, article_urls.url) as url,
    coalesce(article_urls.row_count, 0) as row_count
from staged_urls
full outer join article_urls on staged_urls.url = article_urls.url
where article_urls.row_count is distinct from 1
   or staged_urls.url is null
