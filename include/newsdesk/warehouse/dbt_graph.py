"""The dbt project as Airflow shows it: one task per model and seed, each reporting what one `dbt build` did.

Drawing the graph: the DAG processor parses the DAG file often, and `dbt parse`
takes seconds (tens on a busy machine), so the models, seeds and their refs are
read straight from the project's files: names from the file names, upstream
nodes from each model's `ref()` calls, descriptions from the YAML beside them.
tests/test_dbt_graph.py holds this reading to dbt's own manifest.

Reporting a run: `dbt_build` runs dbt once for the whole project (one dbt
start-up per run, not one per model). Each node's task then reads the
run_results.json and manifest.json that build wrote and takes the node's own
outcome: the model's status and the status of every test on it (data tests
and unit tests). No node task starts dbt.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from newsdesk import config

# `ref('model')` and `ref("model")`
REF_CALL = re.compile(r"""\bref\(\s*['"]([A-Za-z0-9_]+)['"]\s*\)""")
FAILED_STATUSES = frozenset({"error", "fail", "runtime error"})  # a dbt node result that failed
TEST_PASSED = frozenset({"pass", "warn", "success"})


@dataclass(frozen=True)
class DbtNode:
    name: str
    resource_type: str  # "model" or "seed"
    upstream: tuple[str, ...]  # names of the models and seeds it selects from
    description: str
    path: str  # relative to the dbt project

    def unique_id(self, project: str) -> str:
        return f"{self.resource_type}.{project}.{self.name}"


@dataclass(frozen=True)
class NodeOutcome:
    status: str  # "success", "failed" or "skipped"
    message: str  # one line, for the task log and the failure callback


def project_name(project_dir: Path = config.DBT_PROJECT_DIR) -> str:
    return _project_file(project_dir)["name"]


def read_project(project_dir: Path = config.DBT_PROJECT_DIR) -> list[DbtNode]:
    """Every model and seed of the project, by name, without running dbt."""
    project = _project_file(project_dir)
    model_dirs = [project_dir / folder for folder in project.get("model-paths", ["models"])]
    seed_dirs = [project_dir / folder for folder in project.get("seed-paths", ["seeds"])]
    descriptions = _descriptions([*model_dirs, *seed_dirs])
    nodes = []
    for folder in model_dirs:
        for model in sorted(folder.rglob("*.sql")):
            refs = sorted(set(REF_CALL.findall(model.read_text(encoding="utf-8"))))
            nodes.append(
                DbtNode(
                    model.stem,
                    "model",
                    tuple(refs),
                    descriptions.get(model.stem, ""),
                    str(model.relative_to(project_dir)),
                )
            )
    for folder in seed_dirs:
        for csv in sorted(folder.rglob("*.csv")):
            nodes.append(
                DbtNode(csv.stem, "seed", (), descriptions.get(csv.stem, ""), str(csv.relative_to(project_dir)))
            )
    return sorted(nodes, key=lambda node: node.name)


def node_outcome(unique_id: str, run_results: dict, manifest: dict) -> NodeOutcome:
    """What the last `dbt build` did to one model or seed, its tests included."""
    results = {result["unique_id"]: result for result in run_results.get("results", [])}
    own = results.get(unique_id)
    if own is None:
        return NodeOutcome("failed", f"{unique_id} is not in the last dbt build's results; dbt_build's log says why")
    tests = {**manifest.get("nodes", {}), **manifest.get("unit_tests", {})}
    failed_tests = [
        f"{tests[test_id]['name']} ({results[test_id]['status']}: {first_line(results[test_id].get('message'))})"
        for test_id in sorted(_tests_on(unique_id, manifest))
        if test_id in results and results[test_id]["status"] not in TEST_PASSED | {"skipped"}
    ]
    name = unique_id.split(".")[-1]
    if own["status"] in FAILED_STATUSES:
        return NodeOutcome("failed", f"{name}: {own['status']}: {first_line(own.get('message'))}")
    if failed_tests:
        # A failed unit test makes dbt skip its model; the model's task is where that shows.
        return NodeOutcome("failed", f"{name}: tests failed: {'; '.join(failed_tests)}")
    if own["status"] == "skipped":
        return NodeOutcome("skipped", f"{name}: skipped by dbt because a node it depends on failed")
    tests_run = sum(1 for test_id in _tests_on(unique_id, manifest) if test_id in results)
    took = own.get("execution_time", 0)
    return NodeOutcome("success", f"{name}: {own['status']} in {took:.2f} s, {tests_run} tests passed")


def last_build_outcome(unique_id: str, target_dir: Path) -> NodeOutcome:
    """node_outcome from the run_results.json and manifest.json of the build in target_dir."""
    run_results_path = target_dir / "run_results.json"
    if not run_results_path.exists():
        # dbt_build did not run, or dbt stopped before any node: dbt_build's own task shows that failure.
        return NodeOutcome("skipped", f"dbt wrote no results ({run_results_path} is missing); see dbt_build")
    run_results = json.loads(run_results_path.read_text(encoding="utf-8"))
    manifest = json.loads((target_dir / "manifest.json").read_text(encoding="utf-8"))
    return node_outcome(unique_id, run_results, manifest)


def _tests_on(unique_id: str, manifest: dict) -> set[str]:
    """The tests that vouch for a node: its own data tests, tests on the sources it reads, its unit tests.

    A test on a source belongs to the models that read the source: dbt skips
    them when it fails, and their tasks are where a person looks.
    """
    node = manifest.get("nodes", {}).get(unique_id, {})
    read_sources = {parent for parent in node.get("depends_on", {}).get("nodes", []) if parent.startswith("source.")}
    tests = set()
    for test_id, test in manifest.get("nodes", {}).items():
        if test["resource_type"] != "test":
            continue
        attached = test.get("attached_node")
        parents = set(test["depends_on"].get("nodes", []))
        if attached == unique_id or (attached is None and (unique_id in parents or parents & read_sources)):
            tests.add(test_id)
    for test_id, test in manifest.get("unit_tests", {}).items():
        if unique_id in test["depends_on"].get("nodes", []):
            tests.add(test_id)
    return tests


def _project_file(project_dir: Path) -> dict:
    return yaml.safe_load((project_dir / "dbt_project.yml").read_text(encoding="utf-8"))


def _descriptions(folders: list[Path]) -> dict[str, str]:
    descriptions = {}
    for folder in folders:
        for path in sorted(folder.rglob("*.yml")):
            document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            for entry in [*document.get("models", []), *document.get("seeds", [])]:
                descriptions[entry["name"]] = " ".join(str(entry.get("description", "")).split())
    return descriptions


def first_line(message: object, default: str = "no message") -> str:
    """The first line of a message or an error, for a one-line report; `default` when it is empty."""
    lines = str(message or "").strip().splitlines()
    return lines[0] if lines else default
