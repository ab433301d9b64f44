"""The docs Airflow shows for each step of news_daily and news_collect: what it does and what to do when it fails.

Kept here rather than in the DAG file so the DAG stays wiring only.
"""

from __future__ import annotations

TASK_DOCS = {
    "wait_for_collection": """### wait_for_collection
Waits while a `news_collect` run of date D is still queued or running, so
that its attempt lands before `load_raw` reads D's landing zone. Passes at
once when none is (a backfill, or collection not deployed).

**When it fails**: a `news_collect` run of D stayed queued or running for two
hours; look at that DAG's runs. Clearing this task waits again.
""",
    "due_sources": """### due_sources
Reads the registry and each source's collection schedule
(`NEWSDESK_HOME/fetch-state/ID.schedule.json`) and returns the ids of the
sources due at the run's logical time: the source's interval has passed
since its last attempt. The interval is the registry's
`collect_every_minutes`, halved (down to 15 minutes) when an attempt finds
none of the previous attempt's items still listed, and grown back when most
are.

**When it fails**: the registry file is missing or invalid; the log names the
file and the field.
""",
    "collect": """### collect (one per due source, named by source id)
Fetches the source's feeds and adds one attempt to
`landing/date=D/source=ID/` for the date of the run's logical time, as
`extract` does in `news_daily`, which loads every attempt of D.

**When it fails**: every feed of that source failed; the log lists each
feed's error. Nothing collected earlier is touched; the next due run tries
again.
""",
    "list_sources": """### list_sources
Reads the source registry (`NEWSDESK_REGISTRY`, else the sample world's) and
returns the source ids; each becomes one mapped `extract` task.

**When it fails**: the registry file is missing or invalid; the log names the
file and the field. Fix the YAML and clear the task.
""",
    "extract": """### extract (one per source, named by source id)
Fetches the source's feeds (and article pages where configured) and adds one
attempt, the raw payloads and the normalized records, to
`landing/date=D/source=ID/attempt=.../`; earlier attempts of D stay. Never
writes DuckDB; bad items are kept as rejects with their reason.

**When it fails**: every feed of that source failed; the log lists each feed's
error (HTTP status, timeout, parse error). The run goes on without the source
unless too many fail (see `load_raw`). The raw payloads stay in the landing
zone, and so does every earlier attempt of D: what they collected is still
loaded. After a parser fix, `newsdesk replay --date D --source ID` re-parses
every attempt.
""",
    "load_raw": """### load_raw
Runs when every `extract` is done, failed or not: takes the warehouse's writer
lock for the run (held until `publish` ends; another run holding it is waited
for up to `NEWSDESK_RUN_LOCK_WAIT_SECONDS`, default 1800), undoes what a failed or
killed run committed to the lake after its last published snapshot (with
`NEWSDESK_STORAGE=file`: makes the build copy afresh from the published file),
writes one row per fetch attempt of D to the run ledger (`ops.source_runs`
after the next publish, also when this run stops), then replaces
partition D of `raw.articles`, `raw.rejected_items` and `raw.fetches` with
what all of D's attempts hold: each (source, URL)'s latest good version.
Single bad records go to `raw.quarantined_articles` with their reason;
articles the partition held before and no longer does go to
`raw.departed_articles`, and the incremental dbt models drop them too.

**When it fails**: more than `NEWSDESK_MAX_FAILED_SOURCE_SHARE` (default 0.3)
of the sources have no attempt of D that reached a feed - the log names them and `ops.source_runs` has their
errors once a later run publishes - or a landing file breaks the record contract. Nothing was loaded;
fix the sources, then clear the failed `extract` tasks and this one. Or the
warehouse was still being written by another run when the wait ran out: the
log names that run (id, date, process, host, since when); clear this task once
it has ended.
""",
    "dbt_build": """### dbt_build
One `dbt build` of the whole project: seeds, staging, intermediate and marts,
with every data and unit test. The `dbt` group shows each model's outcome.
Then the articles' full-text index (`newsdesk search`) is brought up to date
in the same warehouse, so it is published with the articles it indexes.

**When it fails**: the log ends with the failed nodes and dbt's last lines; the
red task in the `dbt` group is the model (or the model whose test failed).
Fix the model or the data, then clear this task with its downstream tasks.
""",
    "quality_gate": """### quality_gate
Runs the Great Expectations suites on raw, volume and the marts the run built
(the lake's head) for date D. A failed critical suite fails the run here and nothing is
published; a failed warning suite is reported only. Every result goes to the
run ledger (`ops.dq_results` after the next publish).

**When it fails**: the log lists each failed expectation with its observed
value; the suites' reports are under `NEWSDESK_HOME/quality/date=D/` (Data Docs
in the UI). Fix the data or the source and rerun the date.
""",
    "publish": """### publish
Folds the run ledger into `ops` and marks the lake's head published, in one
commit: readers see the last published snapshot or this one, never a part.
Snapshots older than `NEWSDESK_LAKE_KEEP_DAYS` (default 7) then expire; the
published ones within it are `newsdesk rollback --list`'s. Then the run lets
go of the warehouse's writer lock. (With `NEWSDESK_STORAGE=file` it replaces
`NEWSDESK_HOME/published/newsdesk.duckdb` with the checked build copy
atomically and keeps the last `NEWSDESK_KEEP_SNAPSHOTS` files.)

**When it fails**: usually the catalog (its database or disk) or disk space
for the data; nothing was published. Fix it and clear the task.
""",
    "report": """### report
Writes the run report, one self-contained HTML page with charts, to
`NEWSDESK_HOME/reports/date=D/run_report.html`; open it from the UI's
"Run reports" menu entry. Reads the published warehouse, read-only.

**When it fails**: the warehouse is already published; only the report is
missing. The log says which query failed; fix it and clear this task.
""",
}
