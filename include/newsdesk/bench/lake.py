"""`newsdesk bench lake`: the DuckLake's ways of loading, publishing, undoing and rolling back beside the DuckDB
file's, both measured in one run on the same rows.

A sample corpus of N articles published on one day is landed as the extract tasks land it (JSON lines and
Parquet, one attempt per source; setup, not timed). Then:

- **load**: ours hard-links the day's Parquet files into the lake's data path (the lake deletes a file once no
  snapshot uses it, and the landing zone is kept whole) and registers them in a lake table, as they are, in one
  commit (`ducklake_add_data_files`); the baseline is today's load, `load_partition` (from the same Parquet) into a
  DuckDB file. The registered table holds every landed record: the latest version of each article and the quarantine
  are left to the models that read it, where the baseline does them in the load.
- **migrate**: the baseline's DuckDB file moved into an empty lake (`newsdesk migrate`), no baseline.
- **publish**: a day's `daily` new articles are added to the archive; ours publishes them with one commit
  (`mark_published`), the baseline as news_daily does today, copying the checked file to the published one and
  to a snapshot.
- **undo a failed day**: the day's rows are added again and not published; ours undoes them with `reset_to_published`,
  the baseline with `fresh_build_copy`, the copy of the published file every run starts from.
- **rollback**: back to the snapshot before the day; ours `lake_snapshots.rollback`, the baseline
  `publish.rollback` (a copy of the snapshot file).

Rates are archive rows per second for publish, undo and rollback (the work a copy does per row); load and
migrate count the rows they move.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import TextIO

import duckdb

from newsdesk.bench.extract import machine, report_header
from newsdesk.bench.pipeline import RUN_ID, LandedDay, land_day, stage_figures
from newsdesk.bench.similarity import measure
from newsdesk.collect import landing as layout
from newsdesk.sample.corpus import generate_corpus
from newsdesk.warehouse import publish as file_publish
from newsdesk.warehouse.build_copy import fresh_build_copy
from newsdesk.warehouse.lake import Lake, connect
from newsdesk.warehouse.lake_migrate import migrate
from newsdesk.warehouse.lake_snapshots import mark_published, reset_to_published, rollback
from newsdesk.warehouse.load import ARTICLE_COLUMNS, load_partition

DEFAULT_DAILY_ARTICLES = 10_000
TARGET_LOAD_ROWS_PER_SECOND = 1_000_000


def run_lake_bench(
    articles: int = 1_000_000, *, daily_articles: int = DEFAULT_DAILY_ARTICLES, seed: int = 0, out: TextIO = sys.stdout
) -> dict:
    """Measure every stage, print the table to `out` and return the figures: {"machine", "parameters",
    "setup_seconds", "stages": [rows as `bench.pipeline.stage_figures` makes them], "targets": [...]}."""
    if articles < 1 or not 1 <= daily_articles <= articles:
        raise ValueError(f"need articles >= 1 and 1 <= daily_articles <= articles; got {articles}, {daily_articles}")
    parameters = {"articles": articles, "daily_articles": daily_articles, "seed": seed}
    measured_on = machine()
    with tempfile.TemporaryDirectory(prefix="newsdesk-bench-lake-") as folder:
        scratch = Path(folder)
        with measure() as setup:
            landed = land_day(generate_corpus(articles, days=1, seed=seed), scratch / "landing")
            parquet_files = len(layout.attempts(landed.landing, landed.day))
        lake = Lake(catalog=f"sqlite:{scratch / 'lake' / 'catalog.sqlite'}", data_path=str(scratch / "lake" / "data"))
        stages = [_load_stage(landed, lake, scratch, parquet_files)]
        warehouse = scratch / "warehouse.duckdb"
        with measure() as moved:
            migrated = migrate(warehouse, lake)
        rows = sum(migrated.tables.values())
        stages.append(stage_figures("migrate into the lake", "rows/s", moved, rows, note=f"{rows:,} rows, one commit"))
        stages += _day_stages(lake, warehouse, scratch, daily_articles)
    result = {
        "machine": measured_on,
        "parameters": parameters,
        "setup_seconds": setup.seconds,
        "stages": stages,
    }
    load = stages[0]
    result["targets"] = [
        {
            "target": f"load >= {TARGET_LOAD_ROWS_PER_SECOND:,} rows/s",
            "value": f"{load['ours']:,.0f} rows/s",
            "met": load["ours"] >= TARGET_LOAD_ROWS_PER_SECOND,
        }
    ]
    _print_report(result, out)
    return result


def _load_stage(landed: LandedDay, lake: Lake, scratch: Path, parquet_files: int) -> dict:
    with connect(lake, read_only=False) as conn:
        conn.execute("CREATE SCHEMA raw")
        columns = ", ".join(f"{name} {kind}" for name, kind in ARTICLE_COLUMNS.items())
        conn.execute(f"CREATE TABLE raw.landed_records ({columns})")
        linked = Path(lake.data_path) / "raw" / "landed_records" / f"date={landed.day.isoformat()}"
        with measure() as ours:
            # Linked into the lake's data path, not registered where they land: the lake deletes a file once no
            # snapshot uses it, and the landing zone is kept whole.
            linked.mkdir(parents=True)
            for attempt in layout.attempts(landed.landing, landed.day):
                os.link(
                    attempt.file(layout.RECORDS_PARQUET), linked / f"{attempt.source_id}-{attempt.attempt_id}.parquet"
                )
            conn.execute(
                "CALL ducklake_add_data_files('newsdesk', 'landed_records', ?, schema => 'raw')",
                [str(linked / "*.parquet")],
            )
        registered = conn.execute("SELECT count(*) FROM raw.landed_records").fetchone()[0]
        conn.execute("DROP TABLE raw.landed_records")  # the migration below needs an empty lake
        conn.execute("DROP SCHEMA raw")
    with measure() as baseline:
        loaded = load_partition(
            scratch / "warehouse.duckdb", landed.landing, landed.day, run_id=RUN_ID, sources=landed.sources
        )
    return stage_figures(
        "load the day",
        "rows/s",
        ours,
        registered,
        baseline=baseline,
        baseline_items=registered,
        note=f"ours: {registered:,} landed records in {parquet_files:,} Parquet files linked into the lake and"
        " registered in one commit;"
        f" baseline: load_partition into a DuckDB file ({loaded.rows['articles']:,} articles)",
    )


def _day_stages(lake: Lake, warehouse: Path, scratch: Path, daily: int) -> list[dict]:
    """Publish a day, undo a failed day, roll back: the lake's way and the file's, on the same archive."""
    add_day = (
        "INSERT INTO raw.articles SELECT * REPLACE (url || '#day-' || {n} AS url)"
        f" FROM raw.articles USING SAMPLE {daily} ROWS (reservoir, 1)"
    )
    published, snapshots, build = scratch / "published.duckdb", scratch / "snapshots", scratch / "build.duckdb"
    file_publish.publish(warehouse, published, snapshots=snapshots, label="archive")
    with duckdb.connect(str(warehouse)) as conn:
        conn.execute(add_day.format(n=1))
        archive = conn.execute("SELECT count(*) FROM raw.articles").fetchone()[0]
    with connect(lake, read_only=False) as conn:
        conn.execute(add_day.format(n=1))
        with measure() as ours_publish:
            conn.execute("BEGIN TRANSACTION")
            mark_published(conn, "day 1")
            conn.execute("COMMIT")
    with measure() as file_published:
        file_publish.publish(warehouse, published, snapshots=snapshots, label="day 1")
    with connect(lake, read_only=False) as conn:
        conn.execute(add_day.format(n=2))
        with measure() as ours_undo:
            reset = reset_to_published(conn)
    shutil.copyfile(published, build)
    with duckdb.connect(str(build)) as conn:
        conn.execute(add_day.format(n=2))
    with measure() as file_undo:
        fresh_build_copy(published, build, snapshots)
    with connect(lake, read_only=False) as conn, measure() as ours_rollback:
        rollback(conn)
    with measure() as file_rollback:
        file_publish.rollback(published, snapshots)
    return [
        stage_figures(
            "publish a day",
            "rows/s",
            ours_publish,
            archive,
            baseline=file_published,
            baseline_items=archive,
            note=f"{daily:,} new articles on {archive:,}; ours one commit, baseline two copies of the file",
        ),
        stage_figures(
            "undo a failed day",
            "rows/s",
            ours_undo,
            archive,
            baseline=file_undo,
            baseline_items=archive,
            note=f"ours undid {sum(reset.rows_undone.values()):,} rows; baseline copies the published file",
        ),
        stage_figures(
            "roll back a day",
            "rows/s",
            ours_rollback,
            archive,
            baseline=file_rollback,
            baseline_items=archive,
            note="ours one commit undoing the day's rows; baseline copies the snapshot file",
        ),
    ]


def _print_report(result: dict, out: TextIO) -> None:
    parameters = result["parameters"]
    lines = [
        *report_header("newsdesk bench lake", result["machine"], parameters),
        f"setup: corpus of {parameters['articles']:,} articles generated and landed as JSON lines and Parquet in "
        f"{result['setup_seconds']:.1f} s (not part of the run)",
        "",
        f"{'stage':<24} {'ours':>14} {'baseline':>14} {'ratio':>9}  {'unit':<7} {'ours s':>8} {'base s':>8}"
        f" {'peak MiB':>9}",
    ]
    for stage in result["stages"]:
        baseline = "-" if stage["baseline"] is None else f"{stage['baseline']:,.0f}"
        ratio = "-" if stage["ratio"] is None else f"{stage['ratio']:,.1f}"
        base_seconds = "-" if stage["baseline_seconds"] is None else f"{stage['baseline_seconds']:.2f}"
        lines.append(
            f"{stage['stage']:<24} {stage['ours']:>14,.0f} {baseline:>14} {ratio:>9}  {stage['unit']:<7}"
            f" {stage['ours_seconds']:>8.2f} {base_seconds:>8} {stage['peak_mib']:>9,.0f}"
        )
    lines += ["", *(f"{stage['stage']}: {stage['note']}" for stage in result["stages"]), "", "targets:"]
    lines += [
        f"  {'met    ' if target['met'] else 'NOT met'}  {target['target']}: {target['value']}"
        for target in result["targets"]
    ]
    print("\n".join(lines), file=out)
