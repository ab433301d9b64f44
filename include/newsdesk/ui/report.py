"""The run report: one self-contained HTML page with charts of what a run collected, built and checked.

Written after publish to NEWSDESK_HOME/reports/date=D/run_report.html and
served in the Airflow UI by plugins/newsdesk_ui.py. Charts are plotly
figures; plotly.js is embedded once in the page, so it opens without network.

Each section reads one table of the warehouse (read-only). A warehouse built
before that table existed gets a plain "not available in this warehouse:
<table>" in its place instead of an error, so older dates still get a report.
"""

from __future__ import annotations

import html
import os
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb
import pandas as pd
import plotly.express as px
from plotly.offline import get_plotlyjs

from newsdesk.warehouse.storage import Warehouse, describe, open_published

REPORT_FILE = "run_report.html"
HISTORY_DAYS = 14  # how many days back the per-source chart reaches
TOP_CLUSTERS = 10
MISSING = "not available in this warehouse"


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    body: str  # HTML


def report_path(reports_dir: Path, day: date) -> Path:
    return Path(reports_dir) / f"date={day.isoformat()}" / REPORT_FILE


def write_run_report(warehouse: Warehouse, reports_dir: Path, day: date, run_id: str | None = None) -> Path:
    """Render the report for `day` from the published `warehouse` and write it atomically; returns its path."""
    with open_published(warehouse) as conn:
        tables = _existing_tables(conn)
        sections = [
            _articles_per_source(conn, tables, day),
            _rank_movers(conn, tables, day),
            _story_clusters(conn, tables, day),
            _rejected_items(conn, tables, day),
            _gate_results(conn, tables, day, run_id),
        ]
    page = _page(day, run_id, describe(warehouse), sections)
    target = report_path(reports_dir, day)
    target.parent.mkdir(parents=True, exist_ok=True)
    incoming = target.with_name(f".{target.name}.incoming")
    incoming.write_text(page, encoding="utf-8")
    os.replace(incoming, target)
    return target


def _existing_tables(conn: duckdb.DuckDBPyConnection) -> set[str]:
    rows = conn.execute("SELECT table_schema, table_name FROM information_schema.tables").fetchall()
    return {f"{schema}.{name}" for schema, name in rows}


def _columns(conn: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    schema, name = table.split(".")
    rows = conn.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = ? AND table_name = ?", [schema, name]
    ).fetchall()
    return {column for (column,) in rows}


def _missing(table: str) -> str:
    return f'<p class="missing">{MISSING}: {html.escape(table)}</p>'


def _empty(what: str) -> str:
    return f'<p class="empty">{html.escape(what)}</p>'


def _chart(figure) -> str:
    figure.update_layout(margin={"l": 10, "r": 10, "t": 40, "b": 10}, template="plotly_white")
    return figure.to_html(full_html=False, include_plotlyjs=False, config={"displaylogo": False})


def _articles_per_source(conn, tables: set[str], day: date) -> Section:
    title = f"Articles per source and day ({HISTORY_DAYS} days to {day})"
    if "raw.articles" not in tables:
        return Section("articles-per-source", title, _missing("raw.articles"))
    frame = conn.execute(
        """
        SELECT partition_date AS day, source_id AS source, count(*) AS articles
        FROM raw.articles
        WHERE partition_date BETWEEN ? AND ?
        GROUP BY ALL ORDER BY day, source
        """,
        [day - timedelta(days=HISTORY_DAYS - 1), day],
    ).df()
    if frame.empty:
        return Section(
            "articles-per-source", title, _empty(f"raw.articles has no rows in the {HISTORY_DAYS} days to {day}")
        )
    frame["day"] = pd.to_datetime(frame["day"])
    figure = px.bar(frame, x="day", y="articles", color="source", title="records loaded into raw.articles")
    figure.update_xaxes(dtick=86_400_000, tickformat="%Y-%m-%d")
    return Section("articles-per-source", title, _chart(figure))


def _rank_movers(conn, tables: set[str], day: date) -> Section:
    title = f"Rank movers per country on {day}"
    if "main.source_rankings" not in tables:
        return Section("rank-movers", title, _missing("main.source_rankings"))
    frame = conn.execute(
        """
        SELECT country, source_id AS source, rank, previous_rank, coalesce(rank_change, 0) AS rank_change, score
        FROM main.source_rankings
        WHERE period_type = 'day' AND period_start = ? AND scope = 'country'
        ORDER BY country, rank
        """,
        [day],
    ).df()
    if frame.empty:
        return Section("rank-movers", title, _empty(f"main.source_rankings has no daily country ranks for {day}"))
    frame["label"] = frame["country"] + " · " + frame["source"]
    figure = px.bar(
        frame,
        x="rank_change",
        y="label",
        color="country",
        orientation="h",
        hover_data=["rank", "previous_rank", "score"],
        title="places gained (+) or lost (-) since the day before",
    )
    figure.update_yaxes(title=None, categoryorder="array", categoryarray=list(frame["label"])[::-1])
    figure.update_layout(height=max(300, 24 * len(frame)))
    return Section("rank-movers", title, _chart(figure))


def _story_clusters(conn, tables: set[str], day: date) -> Section:
    title = f"Largest story clusters running on {day}"
    if "main.story_clusters" not in tables:
        return Section("story-clusters", title, _missing("main.story_clusters"))
    # The first report's title names the story when the articles mart carries article ids.
    has_titles = "main.articles" in tables and {"article_id", "title"} <= _columns(conn, "main.articles")
    story_sql, join_sql = "clusters.cluster_id::VARCHAR", ""
    if has_titles:
        story_sql = "coalesce(articles.title, clusters.cluster_id::VARCHAR)"
        join_sql = "LEFT JOIN main.articles AS articles ON articles.article_id = clusters.first_article_id"
    frame = conn.execute(
        f"""
        SELECT clusters.cluster_id::VARCHAR AS cluster_id, {story_sql} AS story, clusters.article_count,
               clusters.publisher_count, clusters.language_count, clusters.span_hours, clusters.first_source_id
        FROM main.story_clusters AS clusters {join_sql}
        WHERE clusters.first_published_at::DATE <= ? AND clusters.last_published_at::DATE >= ?
        ORDER BY clusters.article_count DESC, clusters.publisher_count DESC, clusters.cluster_id
        LIMIT {TOP_CLUSTERS}
        """,
        [day, day],
    ).df()
    if frame.empty:
        return Section("story-clusters", title, _empty(f"main.story_clusters has no story running on {day}"))
    frame["story"] = frame["story"].str.slice(0, 80)
    figure = px.bar(
        frame,
        x="article_count",
        y="story",
        color="publisher_count",
        orientation="h",
        hover_data=["cluster_id", "language_count", "span_hours", "first_source_id"],
        title="articles per story (colour: publishers)",
    )
    figure.update_yaxes(title=None, autorange="reversed")
    figure.update_layout(height=max(300, 32 * len(frame)))
    return Section("story-clusters", title, _chart(figure))


def _rejected_items(conn, tables: set[str], day: date) -> Section:
    title = f"Rejected items on {day}"
    if "raw.rejected_items" not in tables:
        return Section("rejected-items", title, _missing("raw.rejected_items"))
    frame = conn.execute(
        """
        SELECT source_id AS source, reason, count(*) AS items
        FROM raw.rejected_items WHERE partition_date = ?
        GROUP BY ALL ORDER BY items DESC, source, reason
        """,
        [day],
    ).df()
    if frame.empty:
        return Section("rejected-items", title, _empty(f"no item was rejected on {day}"))
    figure = px.bar(
        frame, x="items", y="source", color="reason", orientation="h", title="rejected items by source and reason"
    )
    figure.update_yaxes(title=None)
    figure.update_layout(height=max(300, 28 * frame["source"].nunique()))
    return Section("rejected-items", title, _chart(figure))


def _gate_results(conn, tables: set[str], day: date, run_id: str | None) -> Section:
    title = f"Quality gate results for {day}"
    if "ops.dq_results" not in tables:
        return Section("gate-results", title, _missing("ops.dq_results"))
    # This run's results when it recorded any, else those of the greatest run id for the date.
    frame = conn.execute(
        """
        WITH chosen AS (
            SELECT coalesce(max(run_id) FILTER (WHERE run_id = ?), max(run_id)) AS run_id
            FROM ops.dq_results WHERE partition_date = ?
        )
        SELECT run_id, suite, severity, expectation, "column", success, observed_value
        FROM ops.dq_results JOIN chosen USING (run_id)
        WHERE partition_date = ?
        ORDER BY success, suite, expectation, "column"
        """,
        [run_id, day, day],
    ).df()
    if frame.empty:
        return Section("gate-results", title, _empty(f"ops.dq_results has no results for {day}"))
    frame["outcome"] = frame["success"].map({True: "passed", False: "failed"})
    counts = frame.groupby(["suite", "outcome"], as_index=False).size().rename(columns={"size": "expectations"})
    figure = px.bar(
        counts,
        x="expectations",
        y="suite",
        color="outcome",
        orientation="h",
        color_discrete_map={"passed": "#2ca02c", "failed": "#d62728"},
        title=f"expectations per suite (run {frame['run_id'].iloc[0]})",
    )
    figure.update_yaxes(title=None)
    figure.update_layout(height=max(250, 60 * counts["suite"].nunique()))
    rows = "".join(
        f'<tr class="{row.outcome}"><td>{html.escape(str(row.suite))}</td><td>{html.escape(str(row.severity))}</td>'
        f"<td>{html.escape(str(row.expectation))}</td><td>{html.escape(str(row.column or ''))}</td>"
        f"<td>{row.outcome}</td><td><code>{html.escape(str(row.observed_value))[:200]}</code></td></tr>"
        for row in frame.itertuples()
    )
    table = (
        '<table class="results"><thead><tr><th>suite</th><th>severity</th><th>expectation</th>'
        f"<th>column</th><th>outcome</th><th>observed</th></tr></thead><tbody>{rows}</tbody></table>"
    )
    return Section("gate-results", title, _chart(figure) + table)


STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 1100px; color: #222; }
h1 { margin-bottom: 0.2rem; } .meta { color: #555; margin-top: 0; }
section { border-top: 1px solid #ddd; padding-top: 0.5rem; margin-top: 1.5rem; }
.missing, .empty { color: #8a6d00; background: #fff8e1; padding: 0.5rem 0.8rem; border-radius: 4px; }
table.results { border-collapse: collapse; width: 100%; font-size: 0.85rem; }
table.results td, table.results th { border-bottom: 1px solid #eee; padding: 0.2rem 0.4rem; text-align: left; }
tr.failed td { background: #fdecea; }
"""


def _page(day: date, run_id: str | None, warehouse: str, sections: list[Section]) -> str:
    generated = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    body = "".join(
        f'<section id="{section.key}"><h2>{html.escape(section.title)}</h2>{section.body}</section>'
        for section in sections
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Newsdesk run report {day}</title>
<style>{STYLE}</style>
<script>{get_plotlyjs()}</script>
</head><body>
<h1>Newsdesk run report for {day}</h1>
<p class="meta">run {html.escape(run_id or "unknown")} · generated {generated} · warehouse {html.escape(warehouse)}</p>
{body}
</body></html>
"""
