"""
### news_collect: fetch the sources that are due, as often as their feeds turn over

Every 15 minutes (UTC). A feed lists only its latest items, so a busy
publisher's feed must be fetched before it has moved past what the last
fetch saw. Each source's registry entry sets the longest wait between two
fetches (`collect_every_minutes`, default 60); the schedule tightens it when
an attempt finds that the feed turned over completely since the last one
(see `newsdesk.collect.schedule`).

1. **due_sources** - the ids of the sources due at the run's logical time.
2. **collect** - one mapped task per due source: fetch its feeds and add one
   attempt to `landing/date=D/source=ID/`, D being the date of the run's
   logical time. Never writes DuckDB. Conditional GET keeps a fetch of an
   unchanged feed to one small request.

`news_daily` for D waits for D's collect runs, fetches once more and loads
every attempt of D. Nothing here replaces or deletes anything collected.
"""

from __future__ import annotations

import pendulum
from airflow.sdk import Asset, dag, get_current_context, task
from airflow.sdk.exceptions import AirflowFailException
from airflow.timetables.trigger import CronTriggerTimetable

from newsdesk import config
from newsdesk.airflow import alerts
from newsdesk.airflow.task_docs import TASK_DOCS
from newsdesk.collect.schedule import COLLECT_PERIOD_MINUTES

LANDING_ZONE = Asset(name="newsdesk_landing_zone", uri=config.paths().landing.as_uri())


@dag(
    dag_id="news_collect",
    schedule=CronTriggerTimetable(f"*/{COLLECT_PERIOD_MINUTES} * * * *", timezone="UTC"),
    start_date=pendulum.datetime(2000, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,  # one attempt of a source at a time
    doc_md=__doc__,
    tags=["newsdesk"],
    default_args={"owner": "newsdesk", "retries": 0, "on_failure_callback": alerts.on_task_failure},
)
def news_collect():
    @task(doc_md=TASK_DOCS["due_sources"])
    def due_sources(logical_date: pendulum.DateTime | None = None) -> list[str]:
        """Ids of the sources whose collection interval has passed."""
        from newsdesk.collect.registry import load_registry
        from newsdesk.collect.schedule import due_sources as due

        return due(load_registry(config.registry_path()), logical_date, config.paths().fetch_state)

    @task(doc_md=TASK_DOCS["collect"], map_index_template="{{ source_id }}", outlets=[LANDING_ZONE])
    def collect(source_id: str, logical_date: pendulum.DateTime | None = None, run_id: str | None = None) -> dict:
        """One attempt of one source, into the landing zone for the logical time's date."""
        from newsdesk.collect.extract import ExtractError
        from newsdesk.collect.schedule import collect_source

        get_current_context()["source_id"] = source_id
        try:
            return collect_source(source_id, logical_date.date(), run_id=run_id, now=logical_date)
        except ExtractError as exc:
            raise AirflowFailException(str(exc)) from exc

    collect.expand(source_id=due_sources())


news_collect()
