"""extract_source against a real HTTP server on 127.0.0.1: landing files, reruns, the address guard."""

import gzip
import hashlib
import json
import threading
from collections import Counter
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from newsdesk.extract import ExtractError, extract_source
from newsdesk.fetch import FetchSettings, Fetcher
from newsdesk.registry import Feed, Source

DAY = date(2026, 11, 2)

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
    """A loopback server with one feed, its article page and a failing feed; counts hits per path."""
    hits = Counter()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            hits[self.path] += 1
            base = f"http://127.0.0.1:{self.server.server_port}"
            routes = {
                f"/feeds/{DAY.isoformat()}.xml": ("application/rss+xml; charset=utf-8", FEED.format(base=base)),
                "/artikel/1": ("text/html; charset=utf-8", ARTICLE_PAGE),
            }
            if self.path in routes:
                content_type, text = routes[self.path]
                self._reply(200, content_type, text.encode("utf-8"))
            elif self.path == "/broken.xml":
                self._reply(500, "text/plain", b"internal error")
            elif self.path in ("/moved", "/loop"):
                self._reply(301, "text/plain", b"", location="/artikel/1" if self.path == "/moved" else "/loop")
            else:
                self._reply(404, "text/plain", b"not found")

        def _reply(self, status, content_type, body, location=None):
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            if location:
                self.send_header("Location", location)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", hits
    server.shutdown()
    server.server_close()


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


def test_extract_writes_the_landing_partition(news_server, tmp_path):
    base, hits = news_server
    manifest = extract_source(local_source(base), DAY, tmp_path, settings=FAST)

    partition = tmp_path / "date=2026-11-02" / "source=demo"
    assert sorted(p.name for p in partition.iterdir()) == [
        "_manifest.json", "fetches.jsonl", "raw", "records.jsonl", "rejects.jsonl"
    ]  # fmt: skip
    assert json.loads((partition / "_manifest.json").read_text()) == manifest
    assert {k: v for k, v in manifest.items() if k not in ("bytes", "duration_ms")} == {
        "source_id": "demo", "date": "2026-11-02", "feeds_ok": 1, "feeds_failed": 1,
        "pages_ok": 1, "pages_failed": 1, "records": 2, "rejects": 2,
    }  # fmt: skip
    assert manifest["duration_ms"] > 0

    records = read_jsonl(partition / "records.jsonl")
    assert [r["url"] for r in records] == [f"{base}/artikel/1", f"{base}/artikel/404"]
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

    rejects = read_jsonl(partition / "rejects.jsonl")
    assert [(r["reason"], r["item_ref"]) for r in rejects] == [
        ("missing title", f"{base}/artikel/2"),
        ("duplicate item", f"{base}/artikel/1#reacties"),
    ]

    fetches = read_jsonl(partition / "fetches.jsonl")
    assert [(f["url"], f["status"], f["http_status"], f["items"], f["error_class"]) for f in fetches] == [
        (f"{base}/feeds/2026-11-02.xml", "ok", 200, 4, None),
        (f"{base}/broken.xml", "error", 500, None, "HTTPError"),
        (f"{base}/artikel/1", "ok", 200, None, None),
        (f"{base}/artikel/404", "error", 404, None, "HTTPError"),
    ]
    assert fetches[1]["error_message"] == "HTTP 500 Internal Server Error"
    assert hits["/broken.xml"] == 3  # first try and two retries
    assert set(fetches[0]) == {
        "source_id", "url", "status", "http_status", "bytes", "items", "duration_ms",
        "error_class", "error_message", "fetched_at",
    }  # fmt: skip

    raw = sorted((partition / "raw").iterdir())
    assert [p.name.split("-")[0] for p in raw] == ["0001", "0002", "0003", "0004"]
    feed_payload = gzip.decompress(raw[0].read_bytes())
    assert feed_payload == FEED.format(base=base).encode("utf-8")
    assert raw[0].name == f"0001-{hashlib.sha256(feed_payload).hexdigest()[:12]}.xml.gz"
    assert gzip.decompress(raw[2].read_bytes()) == ARTICLE_PAGE.encode("utf-8") and raw[2].name.endswith(".html.gz")
    assert manifest["bytes"] == sum(f["bytes"] for f in fetches)


def test_rerun_replaces_the_partition(news_server, tmp_path):
    base, _ = news_server
    source = local_source(base)
    extract_source(source, DAY, tmp_path, settings=FAST)
    partition = tmp_path / "date=2026-11-02" / "source=demo"
    (partition / "stray-from-an-old-attempt.txt").write_text("x")
    extract_source(source, DAY, tmp_path, settings=FAST)

    assert len(read_jsonl(partition / "records.jsonl")) == 2
    assert len(read_jsonl(partition / "rejects.jsonl")) == 2
    assert len(read_jsonl(partition / "fetches.jsonl")) == 4
    assert len(list((partition / "raw").iterdir())) == 4
    assert not (partition / "stray-from-an-old-attempt.txt").exists()
    assert [p.name for p in partition.parent.iterdir()] == ["source=demo"]  # no staging folders left


def test_non_local_source_on_loopback_is_refused_and_logged(news_server, tmp_path):
    base, hits = news_server
    with pytest.raises(ExtractError, match="source 'demo': all 2 feeds failed") as failure:
        extract_source(local_source(base, local=False), DAY, tmp_path, settings=FAST)
    assert "BlockedAddress" in str(failure.value)
    assert sum(hits.values()) == 0  # nothing was sent

    partition = tmp_path / "date=2026-11-02" / "source=demo"
    manifest = json.loads((partition / "_manifest.json").read_text())
    assert (manifest["feeds_ok"], manifest["feeds_failed"], manifest["records"]) == (0, 2, 0)
    fetches = read_jsonl(partition / "fetches.jsonl")
    assert [(f["status"], f["http_status"], f["error_class"]) for f in fetches] == [
        ("error", None, "BlockedAddress")
    ] * 2
    assert "127.0.0.1" in fetches[0]["error_message"]
    assert (partition / "records.jsonl").read_text() == ""


def test_fetcher_caps_the_body_and_follows_redirects_within_the_limit(news_server):
    base, _ = news_server
    small = Fetcher(FetchSettings(max_bytes=1000), allow_private=True)
    too_large = small.get(f"{base}/artikel/1")
    assert (too_large.ok, too_large.error_class, too_large.content) == (False, "BodyTooLarge", b"")

    fetcher = Fetcher(FAST, allow_private=True)
    moved = fetcher.get(f"{base}/moved")
    assert (moved.ok, moved.http_status, moved.final_url) == (True, 200, f"{base}/artikel/1")
    loop = fetcher.get(f"{base}/loop")
    assert (loop.error_class, loop.http_status) == ("TooManyRedirects", 301)
    assert fetcher.get("file:///etc/passwd").error_class == "InvalidSchema"
    assert Fetcher(FAST).get("http://169.254.169.254/latest/meta-data/").error_class == "BlockedAddress"
