"""The steps of one news_daily run as plain functions; dags/news_daily.py only wires them.

Each takes the run's date, its run id and the paths of NEWSDESK_HOME, and
every step from the load to the publish the warehouse's writer lock the run
holds (newsdesk.warehouse.run_lock): load takes it, dbt and the gate check it
before they write, publish lets go of it once published. Tests run a whole
day through them without Airflow.

The run writes to the warehouse's build target (newsdesk.warehouse.storage):
a fresh copy of the published file, or the lake's head once the commits of
any run that did not publish are undone; publish makes it what analysts see.
"""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from newsdesk import config
from newsdesk.warehouse.lake import Lake, connect
from newsdesk.warehouse.lake_snapshots import last_published, reset_to_published
from newsdesk.warehouse.storage import Warehouse, build_target, describe, published_target

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from newsdesk.config import Paths
    from newsdesk.warehouse.run_lock import WarehouseLock


def load(day: date, run_id: str, paths: Paths, lock: WarehouseLock, *, one_process: bool = False) -> dict:
    """Take the writer lock, start the build from the published warehouse (`_start_build`), load the date's landing
    attempts; each source's run goes to the ledger, also when the load stops."""
    from newsdesk.collect.registry import load_registry
    from newsdesk.warehouse.ledger import record_source_runs
    from newsdesk.warehouse.load import LoadError, load_partition

    # The run holds the warehouse from here to the end of publish: no other run touches its build copy.
    lock.acquire(
        run_id,
        by="news_daily",
        date=day.isoformat(),
        wait=config.value("run_lock_wait_seconds"),
        one_process=one_process,
    )
    warehouse = _start_build(paths)
    log.info("loading the landing attempts of %s into %s", day, describe(warehouse))
    try:
        result = load_partition(
            warehouse,
            paths.landing,
            day,
            run_id=run_id,
            sources=load_registry(config.registry_path()),
            max_failed_share=config.value("max_failed_source_share"),
        )
    except LoadError as stopped:
        # The source runs of a run that publishes nothing stay visible: publish folds the ledger into ops.
        record_source_runs(paths.ledger, partition_date=day, runs=stopped.source_runs)
        raise
    record_source_runs(paths.ledger, partition_date=day, runs=result.source_runs)
    return {"rows": result.rows, "source_status": result.source_status}


def build(day: date, run_id: str, paths: Paths, lock: WarehouseLock) -> int:
    """dbt build of staging, intermediate and marts on the build copy, tests included, then the articles'
    search index; returns the articles indexed."""
    from newsdesk.warehouse.search import update_search_index
    from newsdesk.warehouse.transform import run_dbt_build

    lock.confirm(run_id)
    warehouse = build_target(paths)
    run_dbt_build(warehouse, vars={"run_date": day.isoformat()})
    return update_search_index(warehouse).indexed


def check(day: date, run_id: str, paths: Paths, lock: WarehouseLock) -> dict[str, bool]:
    """The quality gate's suites on the build copy, their results to the ledger; raises QualityGateFailed on a
    critical failure."""
    from newsdesk.quality.gate import QualityGateFailed, run_gate
    from newsdesk.warehouse.ledger import record_gate_results

    lock.confirm(run_id)
    try:
        results = run_gate(
            build_target(paths),
            list(config.GATE_SUITES),
            partition_date=day,
            report_dir=paths.quality_reports / f"date={day.isoformat()}",
        )
    except QualityGateFailed as failed:
        record_gate_results(paths.ledger, run_id=run_id, partition_date=day, results=failed.results)
        raise
    record_gate_results(paths.ledger, run_id=run_id, partition_date=day, results=results)
    return {result.suite: result.success for result in results}


def publish(day: date, run_id: str, paths: Paths, lock: WarehouseLock) -> str:
    """Fold the run ledger into ops and make the checked build what analysts see, atomically: the build copy
    replaces the published file, or the lake's head becomes its published snapshot in the same commit as the
    ledger. Returns where analysts read it."""
    from newsdesk.warehouse.lake_publish import publish_to_lake
    from newsdesk.warehouse.ledger import apply_ledger
    from newsdesk.warehouse.publish import publish as publish_warehouse

    lock.confirm(run_id)
    label = f"{day.isoformat()}__{run_id}"
    warehouse = build_target(paths)
    if isinstance(warehouse, Lake):
        publish_to_lake(warehouse, paths.ledger, label, keep_days=config.value("lake_keep_days"))
        published = describe(warehouse)
    else:
        apply_ledger(warehouse, paths.ledger)
        published = str(
            publish_warehouse(
                warehouse, paths.published, snapshots=paths.snapshots, label=label, keep=config.value("keep_snapshots")
            )
        )
    # The write part ends here. A failed publish keeps the lock, so clearing the task can still publish
    # this run's build copy; once the run has ended, the lock is stale and the next run takes it.
    lock.release(run_id)
    return published


def report(day: date, run_id: str, paths: Paths) -> Path:
    """The run report (HTML with charts) from the published warehouse."""
    from newsdesk.ui.report import write_run_report

    return write_run_report(published_target(paths), paths.reports, day, run_id)


def _start_build(paths: Paths) -> Warehouse:
    """The run's build target, holding what is published: a fresh copy of the published file, or the lake with the
    commits after its last published snapshot undone (a run that failed or was killed leaves them). The first
    lake run of a home that published a file moves that file into the lake first (`newsdesk migrate`)."""
    from newsdesk.warehouse.build_copy import fresh_build_copy
    from newsdesk.warehouse.lake_migrate import migrate

    warehouse = build_target(paths)
    if isinstance(warehouse, Lake):
        with connect(warehouse, read_only=False) as conn:
            undone = reset_to_published(conn)
            first_lake_run = last_published(conn) is None
        if undone.snapshot is not None:
            log.info(
                "undid what an unpublished run left in the lake (commit %s): rows of %s, %s copied back, %s dropped",
                undone.snapshot,
                undone.rows_undone,
                undone.copied_back,
                undone.dropped,
            )
        if first_lake_run and paths.published.is_file():
            log.info("the first run on the lake: moving %s into it", paths.published)
            migrate(paths.published, warehouse)
    else:
        fresh_build_copy(paths.published, warehouse, paths.snapshots)
    return warehouse
