-- Every ranking (period, scope, country, category) ranks each source once,
-- with ranks 1..n and no gap or repeat: what "🏆 5. in NL" relies on.
select
    period_type,
    period_start,
    scope,
    country,
    category,
    count(*) as ranked_rows,
    count(distinct source_id) as ranked_sources,
    count(distinct rank) as distinct_ranks,
    min(rank) as best_rank,
    max(rank) as worst_rank

from {{ ref('source_rankings') }}
group by period_type, period_start, scope, country, category
having count(*) != count(distinct source_id)
    or count(distinct rank) != count(*)
    or min(rank) != 1
    or max(rank) != count(*)
