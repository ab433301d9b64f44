"""`airflow standalone` settings for `newsdesk ui` and the browser test (which runs it for real)."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

from newsdesk.airflow.runner import airflow_env, airflow_executable
from newsdesk.airflow.standalone import PASSWORD_FILE, SQLITE_CONNECT_ARGS, admin_password, standalone_env


def test_everything_points_at_the_chosen_port_and_runs_only_when_triggered():
    env = standalone_env(airflow_env(), 18080)
    assert env["AIRFLOW__API__PORT"] == "18080"
    assert env["AIRFLOW__API__HOST"] == "127.0.0.1"  # this machine only, unless told
    assert env["AIRFLOW__API__BASE_URL"] == "http://127.0.0.1:18080"
    assert env["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"] == "http://127.0.0.1:18080/execution/"
    assert env["AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE"] == "False"
    assert env["AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION"] == "False"
    # standalone starts `airflow scheduler` etc. from PATH: this environment's airflow comes first
    assert env["PATH"].split(":")[0] == str(Path(airflow_executable()).parent)
    assert env["AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT"] != env["AIRFLOW__LOGGING__TRIGGER_LOG_SERVER_PORT"]


def test_the_sqlite_connect_args_setting_names_an_importable_dict():
    module, name = standalone_env(airflow_env(), 18080)["AIRFLOW__DATABASE__SQL_ALCHEMY_CONNECT_ARGS"].rsplit(".", 1)
    assert getattr(importlib.import_module(module), name) is SQLITE_CONNECT_ARGS


def test_admin_password_is_read_from_what_standalone_generated(tmp_path):
    (tmp_path / PASSWORD_FILE).write_text(json.dumps({"admin": "s3cret"}), encoding="utf-8")
    assert admin_password(tmp_path) == "s3cret"


def test_every_interface_only_when_told():
    env = standalone_env(airflow_env(), 18080, host="0.0.0.0")
    assert env["AIRFLOW__API__HOST"] == "0.0.0.0"
    assert env["AIRFLOW__API__BASE_URL"] == "http://localhost:18080"
