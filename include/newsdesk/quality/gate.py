"""The quality gate: Great Expectations suites over the warehouse.

A suite is a JSON file in `expectations/` (format in expectations/README.md):
a SQL query over the warehouse and the expectations its result must meet. The
query runs on a read-only DuckDB connection and its result is validated as a
pandas DataFrame through GX's pandas datasource, in an ephemeral GX context
(GX's SQL path through duckdb_engine is unreliable, and the gate needs no GX
project on disk).

A failed suite of severity "critical" fails the gate; a failed "warning" suite
is logged and reported only.
"""

from __future__ import annotations

import json
import logging
import shutil
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import duckdb
import pandas as pd

# GX logs hundreds of lines while importing; silence it before the import.
logging.getLogger("great_expectations").setLevel(logging.WARNING)

import great_expectations as gx  # noqa: E402
from great_expectations.core.expectation_validation_result import (  # noqa: E402
    ExpectationSuiteValidationResult,
)
from great_expectations.core.run_identifier import RunIdentifier  # noqa: E402
from great_expectations.data_context.types.base import (  # noqa: E402
    DataContextConfig,
    InMemoryStoreBackendDefaults,
    ProgressBarsConfig,
)

from newsdesk.config import EXPECTATIONS_DIR  # noqa: E402
from newsdesk.config import value as setting  # noqa: E402
from newsdesk.warehouse.lake import LakeError  # noqa: E402
from newsdesk.warehouse.storage import Warehouse, open_warehouse  # noqa: E402

# This module sets its own level to INFO when imported, overriding the parent's.
logging.getLogger("great_expectations.data_context.types.base").setLevel(logging.WARNING)

log = logging.getLogger(__name__)

SEVERITIES = ("critical", "warning")
# Outcome for a suite whose query (or a parameter's query) could not run.
QUERY_CHECK = "suite_query_runs"
# How many unexpected values an outcome quotes; the full GX result keeps more.
UNEXPECTED_EXAMPLES = 5
DATA_DOCS_FOLDER = "data_docs"


class SuiteDefinitionError(ValueError):
    """A suite file is missing, malformed, or names an unknown parameter kind."""


@dataclass
class ExpectationOutcome:
    suite: str
    expectation: str
    column: str | None
    success: bool
    observed_value: object
    severity: str


@dataclass
class SuiteResult:
    suite: str
    severity: str
    success: bool
    outcomes: list[ExpectationOutcome]
    rows_checked: int

    @property
    def failed_outcomes(self) -> list[ExpectationOutcome]:
        return [outcome for outcome in self.outcomes if not outcome.success]


class QualityGateFailed(RuntimeError):
    """One or more critical suites failed; the message lists every failed expectation."""

    def __init__(self, failed_suites: list[SuiteResult], partition_date: date, results: list[SuiteResult]):
        self.failed_suites = failed_suites
        self.partition_date = partition_date
        self.results = results  # every suite's result, passed ones included, for the ledger
        names = ", ".join(result.suite for result in failed_suites)
        details = "\n".join(describe_failures(result) for result in failed_suites)
        super().__init__(f"quality gate failed for {partition_date}: critical suites failed: {names}\n{details}")


@dataclass(frozen=True)
class SuiteDefinition:
    name: str
    description: str
    severity: str
    query: str
    parameters: dict[str, dict]
    expectations: list[dict]


def _render_sql(sql: str, partition_date: date, parameters: dict | None = None) -> str:
    """`{partition_date}` and `{<parameter>}` (a suite's setting or date parameter) replaced by their values."""
    # Plain replacement, not str.format: SQL may hold braces (struct and map literals).
    sql = sql.replace("{partition_date}", partition_date.isoformat())
    for name, value in (parameters or {}).items():
        sql = sql.replace(f"{{{name}}}", str(value))
    return sql


def _days_after_partition_date(days: int, partition_date: date, conn: duckdb.DuckDBPyConnection) -> datetime:
    """Midnight (UTC, naive like the warehouse's timestamps) of D plus `days`."""
    return datetime.combine(partition_date, time.min) + timedelta(days=days)


def _values_from_query(sql: str, partition_date: date, conn: duckdb.DuckDBPyConnection) -> list:
    """The first column of a query's rows, e.g. the value set of a membership check (`sql` rendered already)."""
    return [row[0] for row in conn.execute(sql).fetchall()]


def _gate_setting(name: str, partition_date: date, conn: duckdb.DuckDBPyConnection) -> object:
    """A setting (newsdesk.config): a threshold from expectations/settings.json or its NEWSDESK_<NAME> override."""
    return setting(name)


PARAMETER_KINDS = {
    "days_after_partition_date": _days_after_partition_date,
    "values_from_query": _values_from_query,
    "setting": _gate_setting,
}


def load_suite(suite_name: str, suites_dir: Path = EXPECTATIONS_DIR) -> SuiteDefinition:
    """Read and check `<suites_dir>/<suite_name>.json`."""
    path = Path(suites_dir) / f"{suite_name}.json"
    if not path.is_file():
        raise SuiteDefinitionError(f"no suite file {path}")
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise SuiteDefinitionError(f"{path} is not valid JSON: {exc}") from exc
    missing = {"name", "description", "severity", "query", "expectations"} - raw.keys()
    if missing:
        raise SuiteDefinitionError(f"{path} lacks {sorted(missing)}")
    if raw["name"] != suite_name:
        raise SuiteDefinitionError(f"{path} is named {raw['name']!r}, expected {suite_name!r}")
    severity = raw["severity"]
    if isinstance(severity, dict) and set(severity) == {"setting"}:
        # A severity an operator may change without editing the suite, e.g. volume: warn or fail.
        severity = setting(severity["setting"])
    if severity not in SEVERITIES:
        raise SuiteDefinitionError(f"{path}: severity must be one of {SEVERITIES}, not {severity!r}")
    if not raw["expectations"] or any("type" not in e or "kwargs" not in e for e in raw["expectations"]):
        raise SuiteDefinitionError(f"{path}: expectations must be a non-empty list of {{type, kwargs, meta}}")
    parameters = raw.get("parameters", {})
    for name, spec in parameters.items():
        if len(spec) != 1 or next(iter(spec)) not in PARAMETER_KINDS:
            raise SuiteDefinitionError(f"{path}: parameter {name!r} must be one of {sorted(PARAMETER_KINDS)}")
    return SuiteDefinition(
        name=raw["name"],
        description=raw["description"],
        severity=severity,
        query=raw["query"],
        parameters=parameters,
        expectations=raw["expectations"],
    )


def _resolve_parameters(
    suite: SuiteDefinition, partition_date: date, conn: duckdb.DuckDBPyConnection, *, known: dict | None = None
) -> dict:
    """Without `known`: the settings and dates, which the suite's query may read. With `known` (those): the
    query-valued parameters too, their SQL rendered with them."""
    resolved = dict(known or {})
    for name, spec in suite.parameters.items():
        ((kind, argument),) = spec.items()
        if (kind == "values_from_query") != (known is not None) or name in resolved:
            continue
        if kind == "values_from_query":
            argument = _render_sql(argument, partition_date, resolved)
        resolved[name] = PARAMETER_KINDS[kind](argument, partition_date, conn)
    return resolved


class _GxSession:
    """An ephemeral GX context with one pandas datasource; one asset per suite."""

    def __init__(self, data_docs_dir: Path | None):
        docs_sites = {}
        if data_docs_dir is not None:
            docs_sites["newsdesk"] = {
                "class_name": "SiteBuilder",
                "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(data_docs_dir)},
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            }
        config = DataContextConfig(
            store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
            data_docs_sites=docs_sites,
            progress_bars=ProgressBarsConfig(globally=False),
            analytics_enabled=False,
        )
        self.context = gx.get_context(mode="ephemeral", project_config=config)
        self.datasource = self.context.data_sources.add_pandas(name="newsdesk_warehouse")

    def validate(
        self, suite: SuiteDefinition, frame: pd.DataFrame, parameters: dict, partition_date: date
    ) -> ExpectationSuiteValidationResult:
        gx_suite = self.context.suites.add(
            gx.ExpectationSuite(
                name=suite.name,
                notes=suite.description,
                # GX records a severity per expectation; keep it in step with the suite's.
                expectations=[{**expectation, "severity": suite.severity} for expectation in suite.expectations],
            )
        )
        batch_definition = self.datasource.add_dataframe_asset(name=suite.name).add_batch_definition_whole_dataframe(
            "whole_query_result"
        )
        validation = self.context.validation_definitions.add(
            gx.ValidationDefinition(name=suite.name, data=batch_definition, suite=gx_suite)
        )
        result = validation.run(
            batch_parameters={"dataframe": frame},
            expectation_parameters=parameters,
            run_id=RunIdentifier(run_name=partition_date.isoformat(), run_time=datetime.now(UTC)),
        )
        # GX returns results in its own order; report them in the suite file's order.
        position = {expectation.id: index for index, expectation in enumerate(gx_suite.expectations)}
        result.results.sort(key=lambda r: position.get(r.expectation_config.id, len(position)))
        return result

    def build_data_docs(self) -> None:
        self.context.build_data_docs()


def _observed_value(result: dict) -> object:
    """What an expectation saw, compact enough for a log line and an exception message."""
    exception = _exception_message(result["exception_info"])
    if exception:
        return {"exception": exception}
    details = result["result"]
    if "unexpected_count" in details:
        return {
            "element_count": details["element_count"],
            "unexpected_count": details["unexpected_count"],
            "unexpected_percent": details["unexpected_percent"],
            "unexpected_examples": details.get("partial_unexpected_list", [])[:UNEXPECTED_EXAMPLES],
        }
    if "details" in details:
        return {"observed_value": details.get("observed_value"), "details": details["details"]}
    return details.get("observed_value")


def _exception_message(exception_info: dict) -> str | None:
    # GX gives either one {raised_exception, exception_message, ...} or one such dict per failed metric.
    infos = [exception_info] if "raised_exception" in exception_info else list(exception_info.values())
    messages = [info["exception_message"] for info in infos if info.get("raised_exception")]
    return "; ".join(messages) or None


def _column_of(kwargs: dict) -> str | None:
    if "column" in kwargs:
        return kwargs["column"]
    if "column_list" in kwargs:
        return ", ".join(kwargs["column_list"])
    return None


def _suite_result(suite: SuiteDefinition, validation: dict, rows_checked: int) -> SuiteResult:
    outcomes = [
        ExpectationOutcome(
            suite=suite.name,
            expectation=result["expectation_config"]["type"],
            column=_column_of(result["expectation_config"]["kwargs"]),
            success=result["success"],
            observed_value=_observed_value(result),
            severity=suite.severity,
        )
        for result in validation["results"]
    ]
    return SuiteResult(
        suite=suite.name,
        severity=suite.severity,
        success=validation["success"],
        outcomes=outcomes,
        rows_checked=rows_checked,
    )


def _query_failed(suite: SuiteDefinition, error: duckdb.Error) -> SuiteResult:
    outcome = ExpectationOutcome(
        suite=suite.name,
        expectation=QUERY_CHECK,
        column=None,
        success=False,
        observed_value={"exception": f"{type(error).__name__}: {error}"},
        severity=suite.severity,
    )
    return SuiteResult(suite=suite.name, severity=suite.severity, success=False, outcomes=[outcome], rows_checked=0)


def _run(
    session: _GxSession, conn: duckdb.DuckDBPyConnection, suite: SuiteDefinition, partition_date: date
) -> tuple[SuiteResult, dict | None]:
    """Run one suite; returns its result and GX's full validation result (None if the query failed)."""
    try:
        settings = _resolve_parameters(suite, partition_date, conn)
        frame = conn.execute(_render_sql(suite.query, partition_date, settings)).df()
        parameters = _resolve_parameters(suite, partition_date, conn, known=settings)
    except duckdb.Error as error:
        return _query_failed(suite, error), None
    validation = session.validate(suite, frame, parameters, partition_date).to_json_dict()
    return _suite_result(suite, validation, rows_checked=len(frame)), validation


def describe_failures(result: SuiteResult) -> str:
    lines = [f"{result.suite} ({result.severity}, {result.rows_checked} rows checked):"]
    for outcome in result.failed_outcomes:
        target = f"({outcome.column})" if outcome.column else ""
        observed = json.dumps(outcome.observed_value, default=str, ensure_ascii=False)
        lines.append(f"  - {outcome.expectation}{target}: observed {observed}")
    return "\n".join(lines)


def _open_read_only(warehouse: Warehouse) -> duckdb.DuckDBPyConnection:
    try:
        return open_warehouse(warehouse, read_only=True)
    except (FileNotFoundError, LakeError) as missing:
        raise FileNotFoundError(f"no warehouse to check: {missing}") from None


def run_suite(
    warehouse_path: Warehouse, suite_name: str, *, partition_date: date, suites_dir: Path = EXPECTATIONS_DIR
) -> SuiteResult:
    """Run one suite against the warehouse; never raises for failed expectations."""
    suite = load_suite(suite_name, suites_dir)
    session = _GxSession(data_docs_dir=None)
    with _open_read_only(warehouse_path) as conn:
        result, _ = _run(session, conn, suite, partition_date)
    return result


def run_gate(
    warehouse_path: Warehouse,
    suite_names: list[str],
    *,
    partition_date: date,
    report_dir: Path | None = None,
    suites_dir: Path = EXPECTATIONS_DIR,
) -> list[SuiteResult]:
    """Run the suites; write reports; raise QualityGateFailed if a critical suite failed.

    Reports in `report_dir`: `<suite>.validation.json` (GX's full validation
    result), `<suite>.summary.json` (the SuiteResult) and `data_docs/index.html`
    (GX Data Docs). The DuckDB connection is closed before this returns.
    """
    suites = [load_suite(name, suites_dir) for name in suite_names]
    data_docs_dir = Path(report_dir) / DATA_DOCS_FOLDER if report_dir is not None else None
    session = _GxSession(data_docs_dir)
    runs = []
    with _open_read_only(warehouse_path) as conn:
        for suite in suites:
            runs.append(_run(session, conn, suite, partition_date))
    results = [result for result, _ in runs]

    if report_dir is not None:
        _write_reports(Path(report_dir), runs, partition_date)
        # Pages of an earlier attempt at this date would linger next to the new ones.
        shutil.rmtree(data_docs_dir, ignore_errors=True)
        session.build_data_docs()

    for result in results:
        if result.success:
            log.info(
                "suite %s passed: %d expectations, %d rows", result.suite, len(result.outcomes), result.rows_checked
            )
        elif result.severity == "warning":
            log.warning("warning suite failed, the run goes on\n%s", describe_failures(result))
        else:
            # The details go into QualityGateFailed's message below; one line here keeps the log readable.
            log.error("critical suite %s failed %d expectations", result.suite, len(result.failed_outcomes))

    failed_critical = [r for r in results if not r.success and r.severity == "critical"]
    if failed_critical:
        raise QualityGateFailed(failed_critical, partition_date, results)
    return results


def _write_reports(report_dir: Path, runs: list[tuple[SuiteResult, dict | None]], partition_date: date) -> None:
    report_dir.mkdir(parents=True, exist_ok=True)
    for result, validation in runs:
        summary = {"partition_date": partition_date.isoformat(), **asdict(result)}
        _write_json(report_dir / f"{result.suite}.summary.json", summary)
        validation_path = report_dir / f"{result.suite}.validation.json"
        if validation is not None:
            _write_json(validation_path, validation)
        else:
            # A stale result from an earlier attempt must not pass for this one.
            validation_path.unlink(missing_ok=True)


def _write_json(path: Path, payload: dict) -> None:
    path.write_text(json.dumps(payload, indent=2, default=str, ensure_ascii=False) + "\n", encoding="utf-8")
