"""`airflow dags test DAG_ID DATE` whose DAG run carries its true start time.

Airflow 3.3's `dags test` creates the run with `start_date` set to the logical
date (apache/airflow#66127, open), so the UI shows a run of an earlier date as
lasting days, and people comparing run durations read nonsense. This module
runs Airflow's own `dags test` command with the start it stamps replaced by
the moment the run is created; everything else (the run, its tasks, their
states and logs) is Airflow's. `get_or_create_dagrun` is the helper only
`DAG.test` calls, so nothing else is touched. Drop this module when Airflow
stamps the real start itself.

    python -m newsdesk.airflow.dag_test news_daily 2026-11-24
"""

from __future__ import annotations

import sys


def _with_true_start(create):
    from airflow.sdk import timezone

    def create_with_true_start(*, start_date, **kwargs):
        return create(start_date=timezone.utcnow(), **kwargs)

    return create_with_true_start


def main(argv: list[str]) -> None:
    from airflow.__main__ import main as airflow_main
    from airflow.models import dagrun

    dagrun.get_or_create_dagrun = _with_true_start(dagrun.get_or_create_dagrun)
    sys.argv = ["airflow", "dags", "test", *argv]
    airflow_main()


if __name__ == "__main__":
    main(sys.argv[1:])
