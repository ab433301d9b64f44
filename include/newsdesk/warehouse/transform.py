"""Run the dbt project (staging -> intermediate -> marts, with tests) on a warehouse.

dbt runs as a subprocess, not in-process through dbtRunner: an in-process dbt
can keep the DuckDB file open after it returns, and the next task (quality
gate, publish) could not open it. dbt's output goes line by line to this
module's logger, so it shows in the Airflow task log as it happens.

dbt's target/ and logs/ go under NEWSDESK_HOME/dbt, never into the repository,
which may be read-only on a worker.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from collections import deque
from pathlib import Path

from newsdesk import config
from newsdesk.warehouse.dbt_graph import FAILED_STATUSES
from newsdesk.warehouse.lake import Lake, install_extensions, spill_folder

log = logging.getLogger(__name__)

# How much of dbt's output a TransformError quotes; the task log has all of it.
OUTPUT_TAIL_LINES = 60


class TransformError(RuntimeError):
    """dbt build failed: a model did not build, or a data or unit test failed."""

    def __init__(self, message: str, failed_nodes: list[str], output_tail: str):
        self.failed_nodes = failed_nodes
        self.output_tail = output_tail
        super().__init__(message)


def dbt_executable() -> Path:
    """The dbt installed in the running Python's environment."""
    return Path(sys.executable).parent / "dbt"


def dbt_work_dir() -> Path:
    """Where dbt writes its target/ (manifest, run results) and logs/."""
    return config.paths().home / "dbt"


def run_dbt_build(
    warehouse: Path | Lake,
    *,
    vars: dict | None = None,
    select: str | None = None,
    indirect_selection: str | None = None,
    full_refresh: bool = False,
    work_dir: Path | None = None,
) -> None:
    """`dbt build` on the DuckDB file at `warehouse`, or on a DuckLake; raises TransformError on any failure.

    indirect_selection "cautious" keeps a partial build (`select`) from running
    tests that also read models outside the selection. `full_refresh` rebuilds
    incremental models from all the raw data instead of adding the run's rows.
    dbt writes its target/ and logs/ under `work_dir` (default `dbt_work_dir()`).
    """
    executable = dbt_executable()
    if not executable.exists():
        raise TransformError(f"dbt is not installed next to {sys.executable}", [], "")
    work_dir = work_dir or dbt_work_dir()
    target_path = work_dir / "target"
    log_path = work_dir / "logs"
    target_path.mkdir(parents=True, exist_ok=True)
    log_path.mkdir(parents=True, exist_ok=True)
    run_results = target_path / "run_results.json"
    # A parse or connection error writes no run results; a stale file would
    # then blame the nodes of an earlier run.
    run_results.unlink(missing_ok=True)

    command = [
        str(executable),
        "build",
        "--project-dir",
        str(config.DBT_PROJECT_DIR),
        "--profiles-dir",
        str(config.DBT_PROJECT_DIR),
        "--target-path",
        str(target_path),
        "--log-path",
        str(log_path),
        "--no-use-colors",
    ]
    if isinstance(warehouse, Lake):
        install_extensions()  # dbt loads them by name; it cannot download them
        command += ["--target", "lake"]
        location = {
            "NEWSDESK_LAKE_CATALOG": warehouse.catalog,
            "NEWSDESK_LAKE_DATA_PATH": warehouse.data_path,
            "NEWSDESK_DUCKDB_SPILL": str(spill_folder()),
        }
    else:
        location = {"NEWSDESK_WAREHOUSE": str(Path(warehouse).resolve())}
    if vars:
        command += ["--vars", json.dumps(vars)]
    if select:
        command += ["--select", select]
    if indirect_selection:
        command += ["--indirect-selection", indirect_selection]
    if full_refresh:
        command.append("--full-refresh")
    environment = {
        **os.environ,
        **location,
        "NEWSDESK_DUCKDB_MEMORY_LIMIT": config.value("duckdb_memory_limit"),  # checked here, read by the profile
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }

    log.info("running %s", " ".join(command))
    output_tail: deque[str] = deque(maxlen=OUTPUT_TAIL_LINES)
    with subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=environment,
        text=True,
        encoding="utf-8",
        errors="replace",
    ) as process:
        for line in process.stdout:
            line = line.rstrip("\n")
            log.info("dbt: %s", line)
            # Skipped nodes are the failure's consequence, not its cause; on a
            # failure early in the DAG they would crowd the summary out of the tail.
            if "[SKIP]" not in line:
                output_tail.append(line)
    if process.returncode == 0:
        return

    failed_nodes = _failed_nodes(run_results)
    tail = "\n".join(output_tail)
    if failed_nodes:
        summary = f"dbt build failed on {len(failed_nodes)} node(s): {', '.join(failed_nodes)}"
    else:
        summary = f"dbt build failed (exit code {process.returncode}) without recording a failing node"
    raise TransformError(f"{summary}\n--- last lines of dbt output ---\n{tail}", failed_nodes, tail)


def _failed_nodes(run_results: Path) -> list[str]:
    """unique_ids of the models, seeds and tests that errored or failed in the last run."""
    return [result["unique_id"] for result in _results(run_results) if result.get("status") in FAILED_STATUSES]


def last_run_node_seconds(work_dir: Path | None = None) -> dict[str, float]:
    """Each node's own seconds in the last dbt run in `work_dir` (unique_id -> execution_time), from its run
    results."""
    return {
        result["unique_id"]: result["execution_time"]
        for result in _results((work_dir or dbt_work_dir()) / "target" / "run_results.json")
    }


def _results(run_results: Path) -> list[dict]:
    if not run_results.exists():
        return []
    return json.loads(run_results.read_text(encoding="utf-8")).get("results", [])
