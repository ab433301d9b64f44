"""extract_source against a real HTTP server on 127.0.0.1: landing attempts, reruns, the address guard;
replay_source from each attempt's landed payloads alone."""

import gzip
import hashlib
import json
import re
import shutil
import socket
from datetime import UTC, date, datetime

import duckdb
import pytest

from faultserver import FaultServer, ok, redirect, status
from helpers.dbt_warehouse import rows_as_dicts
from newsdesk.collect import extract, landing
from newsdesk.collect.extract import ExtractError, ReplayError, extract_source, replay_source
from newsdesk.collect.fetch import Fetcher, FetchSettings
from newsdesk.collect.parse import NotAFeed
from newsdesk.collect.records import ARTICLE_COLUMNS, DUPLICATE_IN_FEED
from newsdesk.collect.registry import Feed, Source

DAY = date(2026, 11, 2)
RSS_TYPE = "application/rss+xml; charset=utf-8"

ARTICLE_PAGE = """<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8"><title>Dijk bij Zoë's dorp versterkt</title>
<meta property="og:image" content="/img/og.jpg">
<script type="application/ld+json">
{"@context": "https://schema.org", "@graph": [
  {"@type": "WebSite", "name": "Demo"},
  {"@type": "NewsArticle", "headline": "Dijk versterkt",
   "author": [{"@type": "Person", "name": "Els Jansen"}, {"@type": "Person", "name": "Piet Bos"}],
   "datePublished": "2026-11-02T07:00:00+01:00", "dateModified": "2026-11-02T09:30:00+01:00",
   "image": {"@type": "ImageObject", "url": "https://demo.example/img/dijk.jpg"}}
]}
</script></head>
<body><nav><a href="/">Home</a> | <a href="/binnenland">Binnenland</a></nav>
<article><h1>Dijk bij Zoë's dorp versterkt</h1>
<p>De dijk langs de rivier bij het dorp is de afgelopen maanden over een lengte van vier kilometer versterkt,
meldt het waterschap. Bewoners hadden al jaren om de werkzaamheden gevraagd.</p>
<p>Volgens het waterschap is de dijk nu bestand tegen een waterstand die eens in de tienduizend jaar voorkomt.
De kosten bedroegen ruim twintig miljoen euro, betaald door het Rijk en de provincie samen.</p>
<p>Een woordvoerder noemt het project een succes: „We zijn binnen de planning en het budget gebleven.”
In het voorjaar volgt nog een tweede fase aan de overkant van de rivier.</p>
</article>
<footer>© Demo Nieuws</footer></body></html>"""

FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Demo</title><link>{base}/</link><language>nl</language>
<item><title>Dijk bij Zoë's dorp versterkt</title><link>{base}/artikel/1?utm_source=rss</link>
  <guid isPermaLink="false">a-1</guid><description>Het waterschap is klaar.</description></item>
<item><link>{base}/artikel/2</link><description>No title here</description></item>
<item><title>Dijk bij Zoë's dorp versterkt (kopie)</title><link>{base}/artikel/1#reacties</link></item>
<item><title>Missing page</title><link>{base}/artikel/404</link><guid isPermaLink="false">a-404</guid>
  <author>desk@demo.example (Desk)</author><pubDate>Mon, 02 Nov 2026 05:00:00 GMT</pubDate></item>
</channel></rss>"""


@pytest.fixture()
def news_server():
    """A loopback server (tests/faultserver.py) with one feed, its article page, a failing feed,
    a redirect and a redirect loop; it records every request."""
    with FaultServer() as server:
        server.route(f"/feeds/{DAY.isoformat()}.xml", ok(FEED.format(base=server.base), RSS_TYPE))
        server.route("/artikel/1", ok(ARTICLE_PAGE, "text/html; charset=utf-8"))
        server.route("/broken.xml", status(500, b"internal error"))
        server.route("/moved", redirect("/artikel/1", 301))
        server.route("/loop", redirect("/loop", 301))
        yield server


def local_source(base: str, *, local: bool = True) -> Source:
    return Source(
        id="demo",
        name="Demo Nieuws",
        country="NL",
        language="nl",
        homepage=f"{base}/",
        local=local,
        fetch_pages=True,
        feeds=(
            Feed(url=f"{base}/feeds/{{date}}.xml", kind="rss", category="binnenland"),
            Feed(url=f"{base}/broken.xml", kind="rss", category="binnenland"),
        ),
    )


FAST = FetchSettings(retries=2, backoff_factor=0.01, backoff_jitter=0.0)


def read_jsonl(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


FETCH_COLUMNS = {
    "source_id", "kind", "feed_kind", "category", "url", "final_url", "status", "http_status", "content_type",
    "content_language", "etag", "last_modified", "bytes", "items", "duration_ms", "error_class", "error_message", "fetched_at",
    "payload_file",
}  # fmt: skip
ATTEMPT_FOLDER = re.compile(r"attempt=\d{8}T\d{12}Z-[0-9a-f]{8}")


def source_folder(root, source_id="demo"):
    return landing.source_dir(root, DAY, source_id)


def latest_attempt(root, source_id="demo"):
    """The folder of the newest complete attempt of the source for DAY."""
    return landing.attempts(root, DAY, source_id)[-1].path


def landed_bytes(folder, *, manifests=False) -> dict[str, bytes]:
    """Every file under a folder by relative path; manifests only if asked (their duration differs per run)."""
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and (manifests or path.name != "_manifest.json")
    }


def without_duration(manifest: dict) -> dict:
    return {k: v for k, v in manifest.items() if k != "duration_ms"}


def landed_manifests(root, source_id="demo") -> list[dict]:
    return [attempt.manifest for attempt in landing.attempts(root, DAY, source_id)]


def test_extract_writes_a_landing_attempt(news_server, tmp_path):
    base = news_server.base
    before = datetime.now(UTC).replace(microsecond=0)
    manifest = extract_source(local_source(base), DAY, tmp_path, settings=FAST, run_id="run-1")

    [attempt] = source_folder(tmp_path).iterdir()  # no staging folder left beside it
    assert ATTEMPT_FOLDER.fullmatch(attempt.name), attempt.name
    assert sorted(p.name for p in attempt.iterdir()) == [
        "_manifest.json", "fetches.jsonl", "raw", "records.jsonl", "records.parquet", "rejects.jsonl"
    ]  # fmt: skip
    assert json.loads((attempt / "_manifest.json").read_text()) == manifest
    assert {k: v for k, v in manifest.items() if k not in ("bytes", "duration_ms", "attempt_id", "started_at")} == {
        "source_id": "demo", "date": "2026-11-02", "run_id": "run-1",
        "feeds_ok": 1, "feeds_failed": 1, "feeds_not_modified": 0,
        "pages_ok": 1, "pages_failed": 1, "items": 4, "records": 2, "rejects": 2,
        "feed_errors": [f"{base}/broken.xml: HTTPError: HTTP 500"],
    }  # fmt: skip
    assert manifest["attempt_id"] == attempt.name.removeprefix("attempt=")
    started = datetime.fromisoformat(manifest["started_at"].replace("Z", "+00:00"))
    assert before <= started <= datetime.now(UTC)
    assert manifest["attempt_id"].startswith(started.strftime("%Y%m%dT%H%M"))  # the name sorts by start time
    assert manifest["duration_ms"] > 0
    assert [(a.attempt_id, a.path) for a in landing.attempts(tmp_path, DAY)] == [(manifest["attempt_id"], attempt)]

    records = read_jsonl(attempt / "records.jsonl")
    assert [r["url"] for r in records] == [f"{base}/artikel/1", f"{base}/artikel/404"]
    with duckdb.connect() as conn:  # the same records, typed: what a load can register without reading JSON
        typed = rows_as_dicts(
            conn, f"SELECT * FROM read_parquet('{attempt / 'records.parquet'}', hive_partitioning=false)"
        )
    assert [list(row) for row in typed] == [list(ARTICLE_COLUMNS)] * 2
    assert [{**row, "published_at": None, "updated_at": None, "fetched_at": None} for row in typed] == [
        {**record, "published_at": None, "updated_at": None, "fetched_at": None} for record in records
    ]
    assert (typed[0]["published_at"], typed[0]["updated_at"]) == (
        datetime(2026, 11, 2, 6),
        datetime(2026, 11, 2, 8, 30),
    )
    article = records[0]
    assert article["title"] == "Dijk bij Zoë's dorp versterkt"
    assert article["feed_url"] == f"{base}/feeds/2026-11-02.xml"
    assert article["author"] == "Els Jansen, Piet Bos"
    assert (article["published_at"], article["updated_at"]) == ("2026-11-02T06:00:00Z", "2026-11-02T08:30:00Z")
    assert article["image_url"] == "https://demo.example/img/dijk.jpg"
    assert "\nDe dijk langs de rivier bij het dorp is de afgelopen maanden" in article["body"]
    assert "twintig miljoen euro" in article["body"] and "tweede fase" in article["body"]
    assert "Binnenland" not in article["body"] and "© Demo Nieuws" not in article["body"]  # nav and footer
    assert (article["language"], article["category"]) == ("nl", "binnenland")
    expected_hash = hashlib.sha256(f"{article['title']}\n{article['summary']}\n{article['body']}".encode()).hexdigest()
    assert article["content_hash"] == expected_hash
    # the page that 404s leaves the feed's own values
    assert (records[1]["author"], records[1]["published_at"]) == ("Desk", "2026-11-02T05:00:00Z")
    assert records[1]["body"] is None

    rejects = read_jsonl(attempt / "rejects.jsonl")
    assert [(r["reason"], r["item_ref"]) for r in rejects] == [
        ("missing title", f"{base}/artikel/2"),
        (DUPLICATE_IN_FEED, f"{base}/artikel/1#reacties"),
    ]

    fetches = read_jsonl(attempt / "fetches.jsonl")
    assert [(f["kind"], f["url"], f["status"], f["http_status"], f["items"], f["error_class"]) for f in fetches] == [
        ("feed", f"{base}/feeds/2026-11-02.xml", "ok", 200, 4, None),
        ("feed", f"{base}/broken.xml", "error", 500, None, "HTTPError"),
        ("page", f"{base}/artikel/1", "ok", 200, None, None),
        ("page", f"{base}/artikel/404", "error", 404, None, "HTTPError"),
    ]
    assert all(set(f) == FETCH_COLUMNS for f in fetches)
    assert [(f["feed_kind"], f["category"]) for f in fetches] == [("rss", "binnenland")] * 2 + [(None, None)] * 2
    assert [f["final_url"] for f in fetches] == [f["url"] for f in fetches]
    assert [f["content_type"] for f in fetches] == [
        RSS_TYPE, "text/plain; charset=utf-8", "text/html; charset=utf-8", "text/plain; charset=utf-8"
    ]  # fmt: skip
    assert all(f["etag"] is None and f["last_modified"] is None for f in fetches)
    assert (fetches[1]["error_message"], fetches[3]["error_message"]) == ("HTTP 500", "HTTP 404")
    assert all(f["fetched_at"].endswith("Z") and f["duration_ms"] > 0 for f in fetches)
    assert all(f["fetched_at"] >= manifest["started_at"] for f in fetches)
    assert news_server.hits("/broken.xml") == 3  # first try and two retries
    assert all(seen.headers["user-agent"].startswith("Newsdesk/") for seen in news_server.seen())

    raw = sorted((attempt / "raw").iterdir())
    assert [p.name.split("-")[0] for p in raw] == ["0001", "0002", "0003", "0004"]
    assert [f["payload_file"] for f in fetches] == [f"raw/{p.name}" for p in raw]  # error bodies are kept too
    feed_payload = gzip.decompress(raw[0].read_bytes())
    assert feed_payload == FEED.format(base=base).encode("utf-8")
    assert raw[0].name == f"0001-{hashlib.sha256(feed_payload).hexdigest()[:12]}.xml.gz"
    assert gzip.decompress(raw[1].read_bytes()) == b"internal error"
    assert gzip.decompress(raw[2].read_bytes()) == ARTICLE_PAGE.encode("utf-8") and raw[2].name.endswith(".html.gz")
    assert [f["bytes"] for f in fetches] == [len(gzip.decompress(p.read_bytes())) for p in raw]
    assert manifest["bytes"] == sum(f["bytes"] for f in fetches)


def test_a_rerun_adds_an_attempt_and_keeps_the_earlier_one(news_server, tmp_path):
    source = local_source(news_server.base)
    first = extract_source(source, DAY, tmp_path, settings=FAST, run_id="run-1")
    first_folder = latest_attempt(tmp_path)
    first_files = landed_bytes(first_folder, manifests=True)
    newest = f"<item><title>Nieuw bericht</title><link>{news_server.base}/artikel/5</link></item>"
    moved_on = FEED.format(base=news_server.base).replace("<item>", newest + "<item>", 1)  # one new item on top
    news_server.route(f"/feeds/{DAY.isoformat()}.xml", ok(moved_on, RSS_TYPE))

    second = extract_source(source, DAY, tmp_path, settings=FAST, run_id="run-2")

    attempts = landing.attempts(tmp_path, DAY, "demo")
    assert [a.attempt_id for a in attempts] == [first["attempt_id"], second["attempt_id"]]
    assert first["attempt_id"] < second["attempt_id"] and first["started_at"] <= second["started_at"]
    assert attempts[0].path == first_folder
    assert landed_bytes(first_folder, manifests=True) == first_files  # not a byte of the first attempt changed
    assert (second["run_id"], second["records"], second["rejects"]) == ("run-2", 3, 2)
    assert [r["url"] for r in read_jsonl(attempts[1].file("records.jsonl"))] == [
        f"{news_server.base}/artikel/5",
        f"{news_server.base}/artikel/1",
        f"{news_server.base}/artikel/404",
    ]
    assert len(read_jsonl(attempts[1].file("fetches.jsonl"))) == 5
    assert len(list((attempts[1].path / "raw").iterdir())) == 5
    assert sorted(p.name for p in source_folder(tmp_path).iterdir()) == [a.path.name for a in attempts]  # no staging
    assert [p.name for p in source_folder(tmp_path).parent.iterdir()] == ["source=demo"]


def test_non_local_source_on_loopback_is_refused_and_logged(news_server, tmp_path):
    with pytest.raises(ExtractError, match="source 'demo': all 2 feeds failed") as failure:
        extract_source(local_source(news_server.base, local=False), DAY, tmp_path, settings=FAST)
    assert "BlockedAddress" in str(failure.value)
    assert news_server.hits() == 0  # nothing was sent

    attempt = latest_attempt(tmp_path)
    manifest = json.loads((attempt / "_manifest.json").read_text())
    assert failure.value.manifest == manifest
    assert (manifest["feeds_ok"], manifest["feeds_failed"], manifest["records"]) == (0, 2, 0)
    assert (manifest["items"], manifest["bytes"], len(manifest["feed_errors"])) == (0, 0, 2)
    fetches = read_jsonl(attempt / "fetches.jsonl")
    assert [(f["status"], f["http_status"], f["error_class"], f["payload_file"]) for f in fetches] == [
        ("error", None, "BlockedAddress", None)
    ] * 2
    assert "127.0.0.1" in fetches[0]["error_message"]
    assert (attempt / "records.jsonl").read_text() == ""


@pytest.mark.parametrize(
    ("failure", "error_class", "body"),
    [
        (
            ok(b"<html><body>maintenance</body></html>", "text/html"),
            "NotAFeed",
            b"<html><body>maintenance</body></html>",
        ),
        (status(500, b"server down"), "HTTPError", b"server down"),
    ],
    ids=["garbage", "http-500"],
)
def test_a_failed_refetch_adds_an_attempt_and_leaves_the_first_untouched(
    news_server, tmp_path, failure, error_class, body
):
    source = local_source(news_server.base)
    first = extract_source(source, DAY, tmp_path, settings=FAST, run_id="run-1")
    first_folder = latest_attempt(tmp_path)
    first_files = landed_bytes(first_folder, manifests=True)
    feed_path = f"/feeds/{DAY.isoformat()}.xml"
    news_server.route(feed_path, failure)

    with pytest.raises(ExtractError, match="source 'demo': all 2 feeds failed") as failed:
        extract_source(source, DAY, tmp_path, settings=FAST, run_id="run-2")

    manifest = failed.value.manifest
    attempts = landing.attempts(tmp_path, DAY, "demo")
    assert [a.attempt_id for a in attempts] == [first["attempt_id"], manifest["attempt_id"]]
    assert attempts[1].manifest == manifest
    assert (manifest["run_id"], manifest["feeds_ok"], manifest["feeds_failed"], manifest["records"]) == (
        "run-2",
        0,
        2,
        0,
    )
    assert landed_bytes(first_folder, manifests=True) == first_files  # the good attempt is as it was
    assert [r["title"] for r in read_jsonl(first_folder / "records.jsonl")] == [
        "Dijk bij Zoë's dorp versterkt",
        "Missing page",
    ]
    assert (attempts[1].path / "records.jsonl").read_text() == ""
    fetches = read_jsonl(attempts[1].file("fetches.jsonl"))
    assert [(f["url"], f["status"], f["error_class"]) for f in fetches] == [
        (news_server.url(feed_path), "error", error_class),
        (news_server.url("/broken.xml"), "error", "HTTPError"),
    ]
    assert gzip.decompress((attempts[1].path / fetches[0]["payload_file"]).read_bytes()) == body  # kept for replay

    records_before = {a.attempt_id: a.file("records.jsonl").read_bytes() for a in attempts}
    everything_before = landed_bytes(source_folder(tmp_path))
    hits_before = news_server.hits()
    replayed = replay_source(source, DAY, tmp_path)

    assert news_server.hits() == hits_before
    assert [m["attempt_id"] for m in replayed] == [first["attempt_id"], manifest["attempt_id"]]
    assert [m["records"] for m in replayed] == [2, 0]
    assert [without_duration(m) for m in replayed] == [without_duration(first), without_duration(manifest)]
    assert {a.attempt_id: a.file("records.jsonl").read_bytes() for a in landing.attempts(tmp_path, DAY, "demo")} == (
        records_before
    )
    assert landed_bytes(source_folder(tmp_path)) == everything_before


def test_fetcher_caps_the_body_and_follows_redirects_within_the_limit(news_server):
    base = news_server.base
    small = Fetcher(FetchSettings(max_bytes=1000), local=True)
    too_large = small.get(f"{base}/artikel/1")
    assert (too_large.ok, too_large.error_class, too_large.content) == (False, "BodyTooLarge", b"")

    fetcher = Fetcher(FAST, local=True)
    moved = fetcher.get(f"{base}/moved")
    assert (moved.ok, moved.http_status, moved.final_url) == (True, 200, f"{base}/artikel/1")
    loop = fetcher.get(f"{base}/loop")
    assert (loop.error_class, loop.http_status) == ("TooManyRedirects", 301)
    assert fetcher.get("file:///etc/passwd").error_class == "InvalidSchema"
    assert Fetcher(FAST).get("http://169.254.169.254/latest/meta-data/").error_class == "BlockedAddress"


# ---- replay ------------------------------------------------------------------------------


def test_replay_rebuilds_every_attempt_byte_for_byte_without_fetching(news_server, tmp_path):
    source = local_source(news_server.base)
    extracted = [extract_source(source, DAY, tmp_path, settings=FAST, run_id="run-1")]
    news_server.route(
        f"/feeds/{DAY.isoformat()}.xml",
        ok(
            FEED.format(base=news_server.base).replace(
                "Het waterschap is klaar.", "Het waterschap is klaar; de kosten vielen mee."
            ),
            RSS_TYPE,
        ),
    )
    extracted.append(extract_source(source, DAY, tmp_path, settings=FAST, run_id="run-2"))
    folder = source_folder(tmp_path)
    before = landed_bytes(folder)
    attempt_folders = sorted(p.name for p in folder.iterdir())
    requests_before = news_server.hits()

    replayed = replay_source(source, DAY, tmp_path)

    assert news_server.hits() == requests_before  # not one request
    assert landed_bytes(folder) == before  # records, rejects, fetches and raw payloads of each attempt, byte for byte
    assert len(before) == 2 * (4 + 4)  # per attempt: records as JSON lines and Parquet, rejects, fetches, 4 payloads
    assert [without_duration(m) for m in replayed] == [without_duration(m) for m in extracted]
    assert [(m["attempt_id"], m["run_id"], m["started_at"]) for m in replayed] == [
        (m["attempt_id"], m["run_id"], m["started_at"]) for m in extracted
    ]
    assert landed_manifests(tmp_path) == replayed
    assert sorted(p.name for p in folder.iterdir()) == attempt_folders  # rewritten in place, no staging left
    summaries = [
        read_jsonl(landing.attempts(tmp_path, DAY, "demo")[i].file("records.jsonl"))[0]["summary"] for i in range(2)
    ]
    assert summaries == ["Het waterschap is klaar.", "Het waterschap is klaar; de kosten vielen mee."]


def test_replay_restores_emptied_landing_files(news_server, tmp_path):
    source = local_source(news_server.base)
    extract_source(source, DAY, tmp_path, settings=FAST)
    extract_source(source, DAY, tmp_path, settings=FAST)
    folder = source_folder(tmp_path)
    before = landed_bytes(folder)
    first, second = landing.attempts(tmp_path, DAY, "demo")
    first.file("records.jsonl").write_text("")
    second.file("rejects.jsonl").write_text('{"damaged": true}\n')
    second.file("fetches.jsonl").write_text(second.file("fetches.jsonl").read_text().replace('"ok"', '"damaged"'))

    replay_source(source, DAY, tmp_path)
    assert landed_bytes(folder) == before


def test_replay_works_with_the_server_shut_down(tmp_path):
    with FaultServer() as server:
        server.route(f"/feeds/{DAY.isoformat()}.xml", ok(FEED.format(base=server.base), RSS_TYPE))
        server.route("/artikel/1", ok(ARTICLE_PAGE, "text/html; charset=utf-8"))
        server.route("/broken.xml", status(500, b"internal error"))
        source, port = local_source(server.base), server.port
        extracted = extract_source(source, DAY, tmp_path / "landing", settings=FAST)
    folder = source_folder(tmp_path / "landing")
    before = landed_bytes(folder)

    # the network really is gone: nothing listens on the port, and an extract now fails on every feed
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    with pytest.raises(ExtractError, match="all 2 feeds failed"):
        extract_source(source, DAY, tmp_path / "elsewhere", settings=FAST)

    [replayed] = replay_source(source, DAY, tmp_path / "landing")
    assert landed_bytes(folder) == before
    assert without_duration(replayed) == without_duration(extracted)
    assert (replayed["records"], replayed["pages_ok"], replayed["feeds_failed"]) == (2, 1, 1)


def test_replay_gives_a_feed_that_failed_to_parse_another_go(news_server, tmp_path, monkeypatch):
    """A parser bug at extract time: the payload is kept, and replay after the fix lands its records."""
    source = local_source(news_server.base)
    real_parse_feed = extract.parse_feed

    def buggy_parse_feed(payload, **kwargs):
        raise NotAFeed("parser bug: nothing recognised")

    monkeypatch.setattr(extract, "parse_feed", buggy_parse_feed)
    with pytest.raises(ExtractError, match="all 2 feeds failed"):
        extract_source(source, DAY, tmp_path, settings=FAST)
    attempt = latest_attempt(tmp_path)
    broken = read_jsonl(attempt / "fetches.jsonl")
    assert [(f["kind"], f["status"], f["http_status"], f["items"], f["error_class"]) for f in broken] == [
        ("feed", "error", 200, None, "NotAFeed"),
        ("feed", "error", 500, None, "HTTPError"),
    ]
    assert broken[0]["payload_file"] is not None  # the payload that failed to parse is kept
    assert (attempt / "records.jsonl").read_text() == ""

    monkeypatch.setattr(extract, "parse_feed", real_parse_feed)  # the fix
    hits_before = news_server.hits()
    [replayed] = replay_source(source, DAY, tmp_path)

    assert news_server.hits() == hits_before
    assert latest_attempt(tmp_path) == attempt  # the same attempt, rewritten in place
    assert (replayed["feeds_ok"], replayed["feeds_failed"], replayed["items"], replayed["records"]) == (1, 1, 4, 2)
    fetches = read_jsonl(attempt / "fetches.jsonl")
    assert [(f["kind"], f["status"], f["http_status"], f["items"], f["error_class"]) for f in fetches] == [
        ("feed", "ok", 200, 4, None),  # served from the stored payload as the success it was
        ("feed", "error", 500, None, "HTTPError"),  # an HTTP error stays one
        ("page", "error", None, None, "NotInLanding"),  # pages never fetched then cannot be replayed
        ("page", "error", None, None, "NotInLanding"),
    ]
    assert fetches[0]["payload_file"] == broken[0]["payload_file"]
    assert fetches[0]["fetched_at"] == broken[0]["fetched_at"]  # when it was fetched, not replayed
    records = read_jsonl(attempt / "records.jsonl")
    assert [r["title"] for r in records] == ["Dijk bij Zoë's dorp versterkt", "Missing page"]
    assert records[0]["body"] is None  # no page in the landing to fill it from
    assert {r["fetched_at"] for r in records} == {broken[0]["fetched_at"]}


def test_replay_without_a_landed_attempt_is_an_error(tmp_path):
    with pytest.raises(ReplayError, match="nothing landed for 'demo' on 2026-11-02"):
        replay_source(local_source("http://127.0.0.1:9"), DAY, tmp_path)
    incomplete = source_folder(tmp_path) / "attempt=20261102T060000000000Z-0000abcd"
    incomplete.mkdir(parents=True)  # an attempt without its manifest never finished: not replayed
    (incomplete / "fetches.jsonl").write_text("")
    with pytest.raises(ReplayError, match="nothing landed"):
        replay_source(local_source("http://127.0.0.1:9"), DAY, tmp_path)


def test_replay_keeps_the_language_from_the_content_language_header(tmp_path):
    with FaultServer() as server:
        url = server.route(
            "/de.xml",
            ok(
                FEED.format(base=server.base).replace("<language>nl</language>", ""),
                RSS_TYPE,
                headers=[("Content-Language", "de")],
            ),
        )
        source = Source(
            id="demo", name="Demo", country="DE", language="nl", homepage=f"{server.base}/",
            local=True, feeds=(Feed(url=url, kind="rss"),),
        )  # fmt: skip
        extract_source(source, DAY, tmp_path, settings=FAST)
    attempt = latest_attempt(tmp_path)
    extracted = (attempt / "records.jsonl").read_text()
    # the header is the declared language (the Dutch text may override it; both are kept)
    assert {r["language_declared"] for r in read_jsonl(attempt / "records.jsonl")} == {"de"}

    replay_source(source, DAY, tmp_path)
    assert (attempt / "records.jsonl").read_text() == extracted


def test_replay_refuses_an_attempt_without_its_fetch_log_and_keeps_the_payloads(news_server, tmp_path):
    source = local_source(news_server.base)
    extract_source(source, DAY, tmp_path, settings=FAST)
    attempt = latest_attempt(tmp_path)
    (attempt / "fetches.jsonl").unlink()
    payloads = sorted(p.name for p in (attempt / "raw").iterdir())

    with pytest.raises(ReplayError, match="has no fetches.jsonl"):
        replay_source(source, DAY, tmp_path)
    assert sorted(p.name for p in (attempt / "raw").iterdir()) == payloads
    assert [p.name for p in source_folder(tmp_path).iterdir()] == [attempt.name]  # no staging folder left behind


def test_replay_of_the_legacy_layout_writes_an_attempt_that_stands_in_for_it(news_server, tmp_path):
    """A source folder holding its files itself (the layout before attempts) replays into attempt=legacy/."""
    source = local_source(news_server.base)
    extracted = extract_source(source, DAY, tmp_path, settings=FAST)
    folder, attempt = source_folder(tmp_path), latest_attempt(tmp_path)
    for path in attempt.iterdir():  # the same files one level up, and a manifest without attempt fields
        shutil.move(path, folder / path.name)
    attempt.rmdir()
    old_manifest = {k: v for k, v in extracted.items() if k not in ("attempt_id", "run_id", "started_at")}
    (folder / "_manifest.json").write_text(json.dumps(old_manifest))
    legacy_files = landed_bytes(folder)
    assert [(a.attempt_id, a.path) for a in landing.attempts(tmp_path, DAY, "demo")] == [("legacy", folder)]

    [replayed] = replay_source(source, DAY, tmp_path)

    assert [(a.attempt_id, a.path.name) for a in landing.attempts(tmp_path, DAY, "demo")] == [
        ("legacy", "attempt=legacy")
    ]
    assert (replayed["attempt_id"], replayed["run_id"], replayed["started_at"]) == ("legacy", None, None)
    assert without_duration(replayed) == {
        **without_duration(old_manifest),
        "attempt_id": "legacy",
        "run_id": None,
        "started_at": None,
    }
    assert landed_bytes(folder / "attempt=legacy") == {
        name: data for name, data in legacy_files.items() if not name.startswith("attempt=")
    }
