"""The news pages on the published warehouse, under `/news` of the project's app (newsdesk.ui.app).

- `/`                     today: the largest stories across countries, this week's ranking per country
- `/search?q=...`         full-text search with filters (country, language, source, since, until)
- `/articles/{id}`        an article as the seed page shows it, with its Similar News
- `/stories/{id}`         a story cluster: first report, timeline, publishers and languages
- `/sources/{id}`         a source: scores and their parts, daily rank history, fetch health

Plain HTML with its style inline: it reads with scripts off, loads nothing
from the network, and uses headings, labelled forms and tables with header
cells for keyboards and screen readers. Requests read the published warehouse
through one read-only connection the process keeps (`published_cursor`),
reopened when a run publishes, so a page shows the last published run;
every page says how long it took to make.
"""

from __future__ import annotations

import html
import time
from collections.abc import Callable
from datetime import date, datetime
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse

from newsdesk.warehouse import news
from newsdesk.warehouse.query import published_cursor
from newsdesk.warehouse.search import SearchError, search_on
from newsdesk.warehouse.storage import NothingPublished, Warehouse
from newsdesk.warehouse.summary import format_duration, format_percent

STYLE = """
body{font-family:system-ui,sans-serif;margin:0;color:#1b1b1b;line-height:1.45}
header,main,footer{max-width:60rem;margin:0 auto;padding:.6rem 1rem}
header{border-bottom:1px solid #ccc}nav a{margin-right:1rem}
a{color:#0645ad}a:focus,input:focus,select:focus,button:focus{outline:3px solid #f5a623}
.meta{color:#444}.score{font-variant-numeric:tabular-nums}
table{border-collapse:collapse;margin:.5rem 0}th,td{border-bottom:1px solid #ddd;padding:.25rem .5rem;text-align:left}
.legend{list-style:none;padding:0;margin:0}.legend li{display:inline;margin-right:1rem}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:.5rem;background:#fff}
footer{color:#555;font-size:.9rem;border-top:1px solid #ccc}
"""

RANK_MOVES = {1: "▲", -1: "▼", 0: "="}


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value))


def _plural(count: int, noun: str) -> str:
    return noun if count == 1 else f"{noun}s"


def _count(count: int, noun: str) -> str:
    return f"{count} {_plural(count, noun)}"


def _when(moment: datetime | None) -> str:
    return f"{moment:%Y-%m-%d %H:%M} UTC" if moment else "undated"


def _page(request: Request, title: str, body: str, started: float) -> str:
    """The page around `body`; links in it are relative to the news pages' root (the base element)."""
    milliseconds = (time.perf_counter() - started) * 1000
    return (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><base href='{request.url_for('today').path}'>"
        f"<meta name='viewport' content='width=device-width,initial-scale=1'><title>{_e(title)} · Newsdesk</title>"
        f"<style>{STYLE}</style></head><body><a class='skip' href='#content'>Skip to content</a>"
        "<header><nav aria-label='Newsdesk'><a href='./'>Today</a><a href='search'>Search</a></nav></header>"
        f"<main id='content'><h1>{_e(title)}</h1>{body}</main>"
        f"<footer>Page rendered in <span id='render-ms'>{milliseconds:.2f}</span> ms from the published "
        "warehouse.</footer></body></html>"
    )


def _article_link(article_id: str, title: str) -> str:
    return f"<a href='articles/{quote(article_id)}'>{_e(title)}</a>"


def _source_link(source_id: str, name: str) -> str:
    return f"<a href='sources/{quote(source_id)}'>{_e(name)}</a>"


def _article_body(found: dict) -> str:
    place = f"🏆 {found['source_rank']}. in {found['country']}" if found["source_rank"] else f"in {found['country']}"
    similar = "".join(
        f"<li>{_article_link(row['article_id'], row['title'])} <span class='meta'>{_e(row['source_name'])} · "
        f"{_e(row['language'])} · {_e(row['match_kind'].replace('_', ' '))}, "
        f"<span class='score'>{row['score']:.2f}</span></span></li>"
        for row in found["similar"]
    )
    story = f"<p><a href='stories/{quote(found['cluster_id'])}'>The whole story</a></p>" if found["cluster_id"] else ""
    return (
        f"<p class='meta'>{_e(found['category'])} · {_e(found['country'])} · {_e(found['language'])} · "
        f"{_when(found['published_at'])}{' · ' + _e(found['author']) if found['author'] else ''}</p>"
        f"<p>{_source_link(found['source_id'], found['source_name'])} <span id='source-rank'>{_e(place)}</span></p>"
        "<dl>"
        f"<dt>Reading time</dt><dd id='reading-time'>{format_duration(found['reading_time_summary_seconds'])} here, "
        f"{format_duration(found['reading_time_full_seconds'])} at publisher</dd>"
        f"<dt>Quality</dt><dd id='quality'>News {format_percent(found['quality_score'])}, "
        f"Publisher {format_percent(found['publisher_score'])}</dd></dl>"
        f"<p>{_e(found['summary'])}</p><p><a href='{_e(found['url'])}' rel='noopener'>Read it at "
        f"{_e(found['source_name'])}</a></p>{story}"
        f"<h2>Similar News</h2>"
        + (f"<ol id='similar-news'>{similar}</ol>" if similar else "<p>No other source reports this yet.</p>")
    )


def _story_body(found: dict) -> str:
    rows = "".join(
        f"<tr><td>{_when(row['published_at'])}</td><td>{_source_link(row['source_id'], row['source_name'])}</td>"
        f"<td>{_e(row['country'])}</td><td>{_e(row['language'])}</td>"
        f"<td>{_article_link(row['article_id'], row['title'])}</td></tr>"
        for row in found["articles"]
    )
    return (
        f"<p>First reported by {_source_link(found['first_source_id'], found['first_source_name'])} at "
        f"{_when(found['first_published_at'])}; {_count(found['article_count'], 'article')} from "
        f"<span id='publishers'>{found['publisher_count']}</span> {_plural(found['publisher_count'], 'publisher')} in "
        f"<span id='languages'>{found['language_count']}</span> {_plural(found['language_count'], 'language')} over"
        f" {found['span_hours']:.1f} hours.</p>"
        "<table id='timeline'><caption>Timeline</caption><thead><tr><th scope='col'>Published</th>"
        "<th scope='col'>Source</th><th scope='col'>Country</th><th scope='col'>Language</th>"
        f"<th scope='col'>Title</th></tr></thead><tbody>{rows}</tbody></table>"
    )


# Okabe-Ito colours: told apart with the common colour-vision deficiencies.
SERIES_COLOURS = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#d55e00", "#56b4e9", "#000000")


def _rank_chart(ranks: list[dict]) -> str:
    """The daily rank in the country and in each category as inline SVG lines (rank 1 at the top), one colour a
    series with a legend; each series' <title> reads its values out, and the table beside it has them all."""
    if not ranks:
        return ""
    series: dict[str, list[dict]] = {}
    for row in ranks:
        series.setdefault(row["category"], []).append(row)
    days = sorted({row["period_start"] for row in ranks})
    worst = max(row["rank"] for row in ranks)
    width, height, left, top = 420, 140, 30, 10
    step = (width - left - 10) / max(len(days) - 1, 1)

    def point(row: dict) -> tuple[float, float]:
        x = left + days.index(row["period_start"]) * step
        return x, top + (row["rank"] - 1) / max(worst - 1, 1) * (height - 2 * top)

    lines, legend = [], []
    for number, (category, rows) in enumerate(series.items()):
        colour = SERIES_COLOURS[number % len(SERIES_COLOURS)]
        name = category or "all categories"
        points = [point(row) for row in rows]
        values = ", ".join(f"{row['period_start']}: {row['rank']}" for row in rows)
        dots = "".join(f"<circle cx='{x:.0f}' cy='{y:.0f}' r='3' fill='{colour}'/>" for x, y in points)
        path = " ".join(f"{x:.0f},{y:.0f}" for x, y in points)
        lines.append(
            f"<g class='series' data-category='{_e(category)}'><title>{_e(name)}: {_e(values)}</title>"
            f"<polyline fill='none' stroke='{colour}' stroke-width='2' points='{path}'/>{dots}</g>"
        )
        legend.append(f"<li><span aria-hidden='true' style='color:{colour}'>&#9632;</span> {_e(name)}</li>")
    axis = (
        f"<text x='2' y='{top + 4}' font-size='10'>1</text>"
        f"<text x='2' y='{height - top + 4}' font-size='10'>{worst}</text>"
    )
    return (
        f"<figure id='rank-chart'><svg role='img' aria-label='Rank per day in the country and per category'"
        f" width='{width}' height='{height}' viewBox='0 0 {width} {height}'>{axis}{''.join(lines)}</svg>"
        f"<figcaption><ul class='legend'>{''.join(legend)}</ul>Rank 1 at the top; days {days[0]} to {days[-1]}."
        "</figcaption></figure>"
    )


def _source_body(found: dict) -> str:
    parts = [
        ("Publisher score", found["publisher_score"]),
        ("Mean news quality", found["mean_quality_score"]),
        ("Originality", found["originality_rate"]),
        ("Reliability", found["reliability"]),
        ("Fetch success", found["fetch_success_rate"]),
        ("Accepted items", found["accepted_item_share"]),
        ("Volume", found["volume"]),
    ]
    scores = "".join(
        f"<tr><th scope='row'>{name}</th><td class='score'>{'' if value is None else f'{value:.3g}'}</td></tr>"
        for name, value in parts
    )
    ranks = "".join(
        f"<tr><td>{row['period_start']}</td><td>{_e(row['category'] or 'all')}</td><td>{row['rank']}</td>"
        f"<td class='score'>{row['score']}</td><td>{row['article_count']}</td></tr>"
        for row in found["ranks"]
    )
    fetches = "".join(
        f"<tr><td>{row['partition_date']}</td><td>{row['attempts']}</td><td>{row['ok']}</td><td>{row['failed']}</td>"
        f"<td>{'' if row['new_items'] is None else row['new_items']}</td><td>{_e(row['error_class'] or '')}</td></tr>"
        for row in found["fetches"]
    )
    homepage = f" · <a href='{_e(found['homepage'])}' rel='noopener'>homepage</a>" if found["homepage"] else ""
    return (
        f"<p class='meta'>{_e(found['country'])} · {_e(found['language'])} · {_count(found['article_count'], 'article')}"
        f"{homepage}</p>"
        f"<table id='scores'><caption>Scores, {found['score_window_start']} to {found['score_window_end']}"
        f"</caption><tbody>{scores}</tbody></table>"
        f"<h2>Rank per day</h2>{_rank_chart(found['ranks'])}"
        "<table id='ranks'><thead><tr><th scope='col'>Day</th><th scope='col'>Category</th>"
        "<th scope='col'>Rank</th><th scope='col'>Score</th><th scope='col'>Articles</th></tr></thead>"
        f"<tbody>{ranks}</tbody></table>"
        "<h2>Fetch health</h2><table id='fetches'><thead><tr><th scope='col'>Date</th><th scope='col'>Attempts</th>"
        "<th scope='col'>OK</th><th scope='col'>Failed</th><th scope='col'>New items</th>"
        f"<th scope='col'>Error</th></tr></thead><tbody>{fetches}</tbody></table>"
    )


def _front_body(front: dict) -> str:
    stories = "".join(
        f"<li>{_article_link(row['first_article_id'], row['title'])} <span class='meta'>first by "
        f"{_e(row['source_name'])} · <a href='stories/{quote(row['cluster_id'])}'>{row['publisher_count']} "
        f"{_plural(row['publisher_count'], 'publisher')}</a> · {_count(row['language_count'], 'language')} · "
        f"{_e(', '.join(row['countries']))}</span></li>"
        for row in front["stories"]
    )
    rankings = "".join(
        f"<h3>{_e(country)}</h3><ol>"
        + "".join(
            f"<li>{_source_link(row['source_id'], row['source_name'])} <span class='meta score'>{row['score']} · "
            f"{_count(row['article_count'], 'article')} · {RANK_MOVES.get(_sign(row['rank_change']), 'new')}</span></li>"
            for row in rows
        )
        + "</ol>"
        for country, rows in front["rankings"].items()
    )
    return (
        _search_form({})
        + f"<h2>Largest stories</h2><ol id='stories'>{stories}</ol>"
        + f"<h2>Sources this week</h2><div id='rankings'>{rankings}</div>"
    )


def _sign(change: int | None) -> int | None:
    return None if change is None else (change > 0) - (change < 0)


def _search_form(values: dict) -> str:
    fields = "".join(
        f"<label>{label} <input name='{name}' value='{_e(values.get(name) or '')}' size='{size}'></label> "
        for name, label, size in (
            ("country", "Country", 3),
            ("language", "Language", 3),
            ("source", "Source", 12),
            ("since", "Since", 10),
            ("until", "Until", 10),
        )
    )
    return (
        "<form role='search' action='search' method='get'><label>Words "
        f"<input name='q' type='search' value='{_e(values.get('q') or '')}' required></label> {fields}"
        "<button type='submit'>Search</button></form>"
    )


def _search_body(values: dict, hits: list, error: str | None) -> str:
    if error:
        results = f"<p role='alert'>{_e(error)}</p>"
    elif not values.get("q"):
        results = ""
    elif not hits:
        results = "<p>No article has every word of the query.</p>"
    else:
        results = (
            "<ol id='results'>"
            + "".join(
                f"<li>{_article_link(hit.article_id, hit.title)} <span class='meta'>{_e(hit.source_name)} · "
                f"{_e(hit.country)} · {_e(hit.language)} · {_when(hit.published_at)} · "
                f"<span class='score'>{hit.score:.2f}</span></span></li>"
                for hit in hits
            )
            + "</ol>"
        )
    return _search_form(values) + results


def _day(name: str, value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        raise SearchError(f"{name} must be a date as YYYY-MM-DD, got {value!r}") from None


def news_router(published: Warehouse) -> APIRouter:
    """The news pages over the `published` warehouse."""
    router = APIRouter()

    def shown(
        request: Request, title_of: Callable[[dict], str], load: Callable, render: Callable[[dict], str], key: str
    ) -> str:
        started = time.perf_counter()
        try:
            with published_cursor(published) as conn:
                found = load(conn, key)
        except NothingPublished:
            raise HTTPException(status_code=503, detail="nothing published yet") from None
        if found is None:
            raise HTTPException(status_code=404, detail=f"not in the published warehouse: {key}")
        return _page(request, title_of(found), render(found), started)

    @router.get("/", response_class=HTMLResponse)
    def today(request: Request) -> str:
        return shown(request, lambda _: "Today", lambda conn, _: news.front_page(conn), _front_body, "")

    @router.get("/articles/{article_id}", response_class=HTMLResponse)
    def article(request: Request, article_id: str) -> str:
        return shown(request, lambda found: found["title"], news.article, _article_body, article_id)

    @router.get("/stories/{cluster_id}", response_class=HTMLResponse)
    def story(request: Request, cluster_id: str) -> str:
        return shown(
            request,
            lambda found: f"Story: {found['articles'][0]['title']}" if found["articles"] else "Story",
            news.story,
            _story_body,
            cluster_id,
        )

    @router.get("/sources/{source_id}", response_class=HTMLResponse)
    def source(request: Request, source_id: str) -> str:
        return shown(request, lambda found: found["source_name"], news.source, _source_body, source_id)

    @router.get("/search", response_class=HTMLResponse)
    def search_page(
        request: Request,
        q: str = "",
        country: str = "",
        language: str = "",
        source: str = "",
        since: str = "",
        until: str = "",
        limit: int = Query(20, ge=1, le=200),
    ) -> str:
        started = time.perf_counter()
        values = {"q": q, "country": country, "language": language, "source": source, "since": since, "until": until}
        hits, error = [], None
        if q.strip():
            try:
                with published_cursor(published) as conn:
                    hits = search_on(
                        conn,
                        q,
                        country=country or None,
                        language=language or None,
                        source=source or None,
                        since=_day("since", since),
                        until=_day("until", until),
                        limit=limit,
                    )
            except SearchError as failed:
                error = str(failed)
            except NothingPublished:
                raise HTTPException(status_code=503, detail="nothing published yet") from None
        title = f"Search: {q}" if q.strip() else "Search"
        return _page(request, title, _search_body(values, hits, error), started)

    return router
