"""
### news_daily: collect, load, transform, check and publish one day of news

For logical date D, after D has ended (a backfill is a run for an earlier D,
as far back as wanted). `news_collect` fetches the sources through the day,
as often as their feeds turn over; this DAG collects once more and loads all
that D's attempts collected.

0. **wait_for_collection** - waits while a `news_collect` run of D is still
   queued or running, so its attempt is loaded too (none: goes on at once).
1. **extract** - one mapped task per source in the registry: fetch its feeds
   (and article pages where configured) and add one attempt, the raw
   payloads and the normalized records, to `landing/date=D/source=ID/`;
   earlier attempts stay as they are. Never writes DuckDB. A source whose
   feeds all fail fails its own task (red in the grid, named by the source
   id) without retries; the run goes on.
2. **load_raw** - runs once every extract has finished, failed or not: takes
   the warehouse's writer lock for this run until publish ends (another run
   holding it is waited for up to `NEWSDESK_RUN_LOCK_WAIT_SECONDS`, default
   1800, then this task fails naming it), undoes what a failed or killed run
   committed to the lake after its last published snapshot (write-audit-publish:
   nothing of it survives), logs one row per attempt in
   `ops.source_runs`, then replaces partition D of the raw schema with what
   all of D's attempts hold (each URL's latest good version); single bad
   records go to `raw.quarantined_articles` with their reason. It fails,
   loading nothing, when more than `NEWSDESK_MAX_FAILED_SOURCE_SHARE`
   (default 0.3) of the sources have no attempt of D that reached a feed.
3. **dbt_build** - one `dbt build` on the lake's head: staging, intermediate
   and marts, with their tests (var `run_date`). The **dbt** group
   has one task per model and seed, wired like the models' refs, each showing
   what that build did to it: a failing model (or a model whose test failed)
   is its own red task.
4. **quality_gate** - Great Expectations suites on raw, volume and marts the
   run built; a critical failure fails the run here and nothing is published,
   a warning is logged. Every result goes to the run ledger (`ops.dq_results`)
   and to Data Docs, linked from the UI's *Quality reports* menu entry.
5. **publish** - folds the ledger into `ops` and marks the checked head
   published, in one commit (readers attach the last published snapshot);
   `newsdesk rollback` publishes an earlier one again; the run lets go of the
   writer lock. (`NEWSDESK_STORAGE=file`: a build copy of the published file
   instead, which a passing run renames over it.)
6. **report** - the run report (charts of articles, rank movers, story
   clusters, rejects and gate results), under the UI's "Run reports" menu.

**When a task fails**: open its log. A failed *extract* names the source and
the feed errors; the raw payloads it fetched are still in the landing zone,
and `newsdesk replay --date D` re-parses them after a parser fix. A failed
*load_raw* lists the sources that failed; `ops.source_runs` has their errors.
A failed *dbt* task names the model and its failed tests; `dbt_build`'s log
has dbt's full output. A failed *quality_gate* lists every failed expectation
with its observed value, and its reports and Data Docs are under
`NEWSDESK_HOME/quality/date=D/`. Fix the data or the source, then rerun the
date (or clear from load_raw on): a rerun adds an attempt and loses none,
every later step is idempotent, and each run starts again from the
published warehouse. Each task's own docs say more, and
the failure callback ends a failed task's log with one line naming the
source, dbt node or suites that failed.
"""

from __future__ import annotations

from datetime import date

import pendulum
from airflow.sdk import Asset, dag, get_current_context, task
from airflow.sdk.exceptions import AirflowFailException
from airflow.timetables.interval import CronDataIntervalTimetable

from newsdesk import config
from newsdesk.airflow import alerts
from newsdesk.airflow.dbt_tasks import dbt_node_tasks
from newsdesk.airflow.task_docs import TASK_DOCS
from newsdesk.warehouse.storage import published_uri


def writer_lock():
    """The warehouse's writer lock, asking Airflow whether a holder's run still runs (see newsdesk.warehouse.run_lock)."""
    from newsdesk.warehouse.run_lock import airflow_run_is_active, warehouse_lock

    return warehouse_lock(is_active=airflow_run_is_active)


def _day(ds: str) -> date:
    return pendulum.parse(ds).date()


PUBLISHED_WAREHOUSE = Asset(name="newsdesk_published_warehouse", uri=published_uri(config.paths()))
LANDING_ZONE = Asset(name="newsdesk_landing_zone", uri=config.paths().landing.as_uri())

# Task bodies import their modules lazily: the DAG processor parses this file
# often, and great_expectations and dbt are slow to import.


@dag(
    dag_id="news_daily",
    # Logical date D covers [D, D+1) and runs once D has ended.
    schedule=CronDataIntervalTimetable("@daily", timezone="UTC"),
    # Early enough for any archive: a run for a date before the start date runs no task at all.
    start_date=pendulum.datetime(2000, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,  # within one Airflow; the writer lock (load_raw .. publish) also holds across Airflows
    doc_md=__doc__,
    tags=["newsdesk"],
    default_args={"owner": "newsdesk", "retries": 0, "on_failure_callback": alerts.on_task_failure},
)
def news_daily():
    @task(doc_md=TASK_DOCS["list_sources"])
    def list_sources() -> list[str]:
        """Source ids from the registry; each becomes one mapped extract task."""
        from newsdesk.collect.registry import load_registry

        return [source.id for source in load_registry(config.registry_path())]

    @task.sensor(doc_md=TASK_DOCS["wait_for_collection"], poke_interval=60, timeout=2 * 3600, mode="reschedule")
    def wait_for_collection(ds: str | None = None) -> bool:
        """True once no news_collect run of D is queued or running."""
        from newsdesk.collect.schedule import collection_moments

        in_flight = get_current_context()["ti"].get_dr_count(
            dag_id="news_collect",
            logical_dates=collection_moments(_day(ds)),
            states=["queued", "running"],
        )
        return in_flight == 0

    @task(
        doc_md=TASK_DOCS["extract"],
        map_index_template="{{ source_id }}",
        retries=2,
        retry_delay=pendulum.duration(seconds=10),
        outlets=[LANDING_ZONE],
    )
    def extract(
        source_id: str,
        ds: str | None = None,
        run_id: str | None = None,
        data_interval_end: pendulum.DateTime | None = None,
    ) -> dict:
        """Fetch one source's feeds into a new landing attempt for the run's date."""
        from newsdesk.collect.extract import ExtractError
        from newsdesk.collect.schedule import collect_source

        get_current_context()["source_id"] = source_id
        try:
            return collect_source(source_id, _day(ds), run_id=run_id, now=data_interval_end)
        except ExtractError as exc:
            # The fetcher already retried each feed; retrying the task would only repeat that.
            raise AirflowFailException(str(exc)) from exc

    @task(doc_md=TASK_DOCS["load_raw"], trigger_rule="all_done")
    def load_raw(ds: str | None = None, run_id: str | None = None) -> dict:
        """Start from the published warehouse, log each source's extraction, load the date."""
        from newsdesk import daily
        from newsdesk.warehouse.run_lock import airflow_run_in_one_process

        return daily.load(_day(ds), run_id, config.paths(), writer_lock(), one_process=airflow_run_in_one_process())

    @task(doc_md=TASK_DOCS["dbt_build"])
    def dbt_build(ds: str | None = None, run_id: str | None = None) -> int:
        """Build staging, intermediate and marts with dbt, tests included, then the search
        index; returns the articles indexed."""
        from newsdesk import daily

        return daily.build(_day(ds), run_id, config.paths(), writer_lock())

    @task(doc_md=TASK_DOCS["quality_gate"])
    def quality_gate(ds: str | None = None, run_id: str | None = None) -> dict:
        """Run the Great Expectations suites on what the run built; a critical failure stops the run."""
        from newsdesk import daily

        return daily.check(_day(ds), run_id, config.paths(), writer_lock())

    @task(doc_md=TASK_DOCS["publish"], outlets=[PUBLISHED_WAREHOUSE])
    def publish(ds: str | None = None, run_id: str | None = None) -> str:
        """Fold the run ledger into ops, then replace the analysts' warehouse with the checked build, atomically."""
        from newsdesk import daily

        return str(daily.publish(_day(ds), run_id, config.paths(), writer_lock()))

    @task(doc_md=TASK_DOCS["report"])
    def report(ds: str | None = None, run_id: str | None = None) -> str:
        """Write the run report (HTML with charts) from the published warehouse."""
        from newsdesk import daily

        return str(daily.report(_day(ds), run_id, config.paths()))

    build, gate, sources = dbt_build(), quality_gate(), list_sources()
    wait_for_collection() >> sources
    extract.expand(source_id=sources) >> load_raw() >> build >> dbt_node_tasks() >> gate >> publish() >> report()
    build >> gate  # models after a failed one are skipped, not failed: this edge still stops the gate


news_daily()
