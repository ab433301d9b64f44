"""The fetch path against a real HTTP server that misbehaves on purpose (tests/faultserver.py).

Each test scripts one fault and asserts what really happened: the FetchResult
(status, error_class), what the server saw (attempts, headers, spacing and
concurrency of requests) and, through extract_source, what landed. Timeouts
and backoffs are tiny so the whole file runs in seconds.
"""

from __future__ import annotations

import gzip
import json
import socket
import threading
import time
from datetime import date, timedelta

import duckdb
import pytest
import urllib3.util.connection

from faultserver import (
    XML_BOMB,
    FaultServer,
    big,
    conditional,
    delayed,
    flaky,
    gzipped,
    hang_up,
    ok,
    rate_limited,
    redirect,
    robots,
    rss,
    status,
    trickle,
    truncated,
    truncated_chunked,
)
from newsdesk.collect import extract, fetch, landing
from newsdesk.collect.extract import extract_source, replay_source
from newsdesk.collect.fetch import Fetcher, FetchSettings, Validators
from newsdesk.collect.registry import Feed, Source
from newsdesk.warehouse.load import load_partition

FAST = FetchSettings(
    connect_timeout=0.5,
    read_timeout=1.0,
    total_timeout=5.0,
    retries=2,
    backoff_factor=0.01,
    backoff_jitter=0.0,
)
DAY = date(2026, 11, 2)
FEED = rss([("First story", "https://news.example/1"), ("Second story", "https://news.example/2")]).encode()
SLACK = 0.03  # timer and scheduling slack when comparing measured gaps with configured delays


def settings(**changes) -> FetchSettings:
    return FetchSettings(**{**FAST.__dict__, **changes})


@pytest.fixture()
def server():
    with FaultServer() as running:
        yield running


@pytest.fixture()
def fetcher():
    with Fetcher(FAST, local=True) as local:
        yield local


def read_jsonl(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def local_source(*feeds: tuple[str, str], source_id: str = "faults") -> Source:
    return Source(
        id=source_id,
        name="Fault News",
        country="NL",
        language="nl",
        homepage="http://127.0.0.1/",
        local=True,
        feeds=tuple(Feed(url=url, kind=kind, category="test") for url, kind in feeds),
    )


def partition(root, day=DAY, source_id="faults"):
    """The folder of the source's newest complete landing attempt for `day`."""
    return landing.attempts(root, day, source_id)[-1].path


def in_threads(count: int, work) -> list:
    """Run work(i) in `count` threads started together; their results in order."""
    results: list = [None] * count
    barrier = threading.Barrier(count)

    def run(index: int) -> None:
        barrier.wait()
        results[index] = work(index)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


# ---- what every request carries --------------------------------------------------------


def test_requests_name_newsdesk_and_ask_robots_txt_first(server, fetcher):
    url = server.route("/hello", ok("hi"))
    result = fetcher.get(url)

    assert (result.ok, result.http_status, result.content, result.final_url) == (True, 200, b"hi", url)
    assert result.elapsed_ms > 0 and result.fetched_at.tzinfo is not None
    assert server.paths() == ["/robots.txt", "/hello"]
    for seen in server.seen():
        assert seen.headers["user-agent"].startswith("Newsdesk/")
        assert "gzip" in seen.headers["accept-encoding"]
        assert "if-none-match" not in seen.headers and "if-modified-since" not in seen.headers
    assert result.headers["content-type"] == "text/plain; charset=utf-8"  # lower-case header names


# ---- retries ---------------------------------------------------------------------------


def test_500_then_success_is_retried_until_it_succeeds(server, fetcher):
    url = server.route("/flaky", flaky(2, ok("third time")))
    result = fetcher.get(url)

    assert (result.ok, result.http_status, result.content) == (True, 200, b"third time")
    assert server.hits("/flaky") == 3  # two 500s and the success


def test_persistent_500_gives_up_after_the_retries_and_keeps_the_last_body(server, fetcher):
    url = server.route("/down", flaky(99, ok("never")))
    result = fetcher.get(url)

    assert (result.ok, result.error_class, result.error_message, result.http_status) == (
        False, "HTTPError", "HTTP 500", 500
    )  # fmt: skip
    assert result.content == b"attempt 3 fails"
    assert server.hits("/down") == 1 + FAST.retries


def test_client_errors_are_not_retried(server, fetcher):
    url = server.route("/gone", status(404, b"no such page"))
    result = fetcher.get(url)

    assert (result.error_class, result.http_status, result.content) == ("HTTPError", 404, b"no such page")
    assert server.hits("/gone") == 1


def test_a_dropped_connection_is_retried(server, fetcher):
    url = server.route("/hangup", hang_up(1, ok("back")))
    result = fetcher.get(url)

    assert (result.ok, result.content) == (True, b"back")
    assert server.hits("/hangup") == 2


def test_429_retry_after_is_honoured(server, fetcher):
    url = server.route("/busy", rate_limited(1, 1, ok("your turn")))
    started = time.monotonic()
    result = fetcher.get(url)
    elapsed = time.monotonic() - started

    assert (result.ok, result.content) == (True, b"your turn")
    assert server.hits("/busy") == 2
    assert elapsed >= 1.0
    assert server.start_gaps("/busy")[0] >= 1.0 - SLACK  # the server saw the wait, not only the client


def test_a_long_retry_after_is_cut_to_retry_after_max(server):
    url = server.route("/busy", rate_limited(30, 1, ok("your turn")))
    with Fetcher(settings(retry_after_max=1), local=True) as capped:
        started = time.monotonic()
        result = capped.get(url)
    elapsed = time.monotonic() - started

    assert result.ok and server.hits("/busy") == 2
    assert 1.0 <= elapsed < 3.0


def test_retries_respect_the_per_host_delay(server):
    url = server.route("/flaky", flaky(2, ok("third time")))
    with Fetcher(settings(per_host_delay=0.3), local=True) as polite:
        assert polite.get(url).ok
    gaps = server.start_gaps("/flaky")
    assert len(gaps) == 2
    assert min(gaps) >= 0.3 - SLACK, gaps


# ---- conditional GET -----------------------------------------------------------------


def test_conditional_get_answers_304_with_no_body(server, fetcher):
    last_modified = "Mon, 02 Nov 2026 06:00:00 GMT"
    url = server.route("/feed.xml", conditional(FEED, etag='"v1"', last_modified=last_modified))

    first = fetcher.get(url)
    assert (first.http_status, first.content) == (200, FEED)
    assert first.validators == Validators(etag='"v1"', last_modified=last_modified)

    again = fetcher.get(url, first.validators)
    assert (again.ok, again.not_modified, again.http_status, again.content) == (True, True, 304, b"")
    sent = server.seen("/feed.xml")[1].headers
    assert (sent["if-none-match"], sent["if-modified-since"]) == ('"v1"', last_modified)

    by_date = fetcher.get(url, Validators(last_modified=last_modified))
    assert by_date.not_modified
    assert "if-none-match" not in server.seen("/feed.xml")[2].headers

    stale = fetcher.get(url, Validators(etag='"v0"'))
    assert (stale.not_modified, stale.http_status, stale.content) == (False, 200, FEED)


# ---- broken bodies ---------------------------------------------------------------------


@pytest.mark.parametrize("route", [truncated, truncated_chunked], ids=["content-length", "chunked"])
def test_a_truncated_body_is_an_error_not_half_a_feed(server, fetcher, route):
    url = server.route("/cut.xml", route(FEED[:80]))
    result = fetcher.get(url)

    # urllib3 raises ProtocolError(IncompleteRead) while streaming; requests turns it into ChunkedEncodingError
    assert (result.ok, result.error_class, result.content) == (False, "ChunkedEncodingError", b"")
    assert "IncompleteRead" in result.error_message
    assert server.hits("/cut.xml") == 1  # a body cut short is not retried


def test_gzip_content_encoding_is_decoded(server, fetcher):
    url = server.route("/feed.xml", gzipped(FEED))
    result = fetcher.get(url)

    assert (result.ok, result.content) == (True, FEED)
    assert result.headers["content-encoding"] == "gzip"
    assert "gzip" in server.seen("/feed.xml")[0].headers["accept-encoding"]


def test_a_gzip_bomb_is_stopped_by_the_cap_on_decoded_bytes(server):
    url = server.route("/bomb.gz", gzipped(b"\0" * (20 * 1024 * 1024)))  # ~20 KB on the wire
    with Fetcher(settings(max_bytes=1024 * 1024), local=True) as capped:
        result = capped.get(url)
    assert (result.ok, result.error_class, result.content) == (False, "BodyTooLarge", b"")


@pytest.mark.parametrize("mode", ["length", "chunked", "close"])
def test_a_body_over_the_cap_is_refused(server, mode):
    url = server.route("/huge", big(300_000, mode))
    at_cap = server.route("/exact", big(100_000, mode))
    with Fetcher(settings(max_bytes=100_000), local=True) as capped:
        result = capped.get(url)
        exact = capped.get(at_cap)

    assert (result.ok, result.error_class, result.content) == (False, "BodyTooLarge", b"")
    if mode == "length":
        assert result.error_message.startswith("Content-Length 300000 exceeds the 100000 byte cap")
    else:
        assert result.error_message == "body exceeds the 100000 byte cap"
    assert (exact.ok, len(exact.content)) == (True, 100_000)  # the cap itself is allowed


# ---- charsets: the fetcher keeps bytes, the parser decodes them ----------------------

CP1252_FEED = (
    '<?xml version="1.0"?>\n<rss version="2.0"><channel><title>Café Oekraïne</title><language>nl</language>'
    "<item><title>Oekraïne: café in Zoë's dorp vraagt 5 € meer</title><link>https://news.example/cafe</link>"
    "<description>Amélie en Noël betalen € 12 voor een crème brûlée; à la carte, naïef, coöperatie.</description>"
    "</item></channel></rss>\n"
)
TITLE = "Oekraïne: café in Zoë's dorp vraagt 5 € meer"


@pytest.mark.parametrize(
    ("content_type", "payload"),
    [
        ("application/rss+xml; charset=utf-8", CP1252_FEED.encode("cp1252")),  # header lies
        ("application/rss+xml", CP1252_FEED.encode("cp1252")),  # nothing declared anywhere
        ("application/rss+xml", CP1252_FEED.replace('"1.0"?', '"1.0" encoding="windows-1252"?').encode("cp1252")),
        ("text/xml", CP1252_FEED.encode("utf-8")),  # missing charset, UTF-8 bytes
    ],
    ids=["header-says-utf8", "undeclared-cp1252", "xml-declares-cp1252", "undeclared-utf8"],
)
def test_wrong_or_missing_charset_keeps_the_text_intact(server, tmp_path, content_type, payload):
    url = server.route("/feed.xml", ok(payload, content_type))
    with Fetcher(FAST, local=True) as local:
        assert local.get(url).content == payload  # bytes as sent; decoding is the parser's job

    manifest = extract_source(local_source((url, "rss")), DAY, tmp_path, settings=FAST)
    assert (manifest["feeds_ok"], manifest["records"]) == (1, 1)
    record = read_jsonl(partition(tmp_path) / "records.jsonl")[0]
    assert record["title"] == TITLE
    assert "€ 12" in record["summary"] and "crème brûlée" in record["summary"] and "coöperatie" in record["summary"]
    assert "\ufffd" not in json.dumps(record, ensure_ascii=False)


# ---- redirects -----------------------------------------------------------------------


def test_a_redirect_chain_is_followed_within_max_redirects(server):
    server.route("/chain/3", redirect("/chain/2", 301))
    server.route("/chain/2", redirect(server.url("/chain/1"), 307))  # absolute and relative Locations
    server.route("/chain/1", redirect("end", 303))
    server.route("/chain/end", ok("arrived"))

    with Fetcher(settings(max_redirects=3), local=True) as enough:
        result = enough.get(server.url("/chain/3"))
    assert (result.ok, result.http_status, result.content) == (True, 200, b"arrived")
    assert (result.url, result.final_url) == (server.url("/chain/3"), server.url("/chain/end"))
    assert server.paths() == ["/robots.txt", "/chain/3", "/chain/2", "/chain/1", "/chain/end"]

    server.reset()
    with Fetcher(settings(max_redirects=2), local=True) as short:
        stopped = short.get(server.url("/chain/3"))
    assert (stopped.ok, stopped.error_class, stopped.http_status) == (False, "TooManyRedirects", 303)
    assert stopped.final_url == server.url("/chain/end")
    assert "/chain/end" not in server.paths()


def test_a_redirect_loop_stops_at_max_redirects(server, fetcher):
    url = server.route("/loop", redirect("/loop"))
    result = fetcher.get(url)

    assert (result.ok, result.error_class, result.http_status) == (False, "TooManyRedirects", 302)
    assert result.error_message == f"more than {FAST.max_redirects} redirects, last to {url}"
    assert server.hits("/loop") == FAST.max_redirects + 1


# ---- the address guard -----------------------------------------------------------------


@pytest.fixture()
def connections(monkeypatch):
    """Every (host, port) urllib3 opens a socket to, while the test runs."""
    opened: list[tuple[str, int]] = []
    real = urllib3.util.connection.create_connection

    def recording(address, *args, **kwargs):
        opened.append(address)
        return real(address, *args, **kwargs)

    monkeypatch.setattr(urllib3.util.connection, "create_connection", recording)
    return opened


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_a_non_local_fetcher_refuses_loopback_before_sending_anything(server, connections, host):
    server.route("/secret", ok("internal"))
    with Fetcher(FAST) as public_only:
        result = public_only.get(server.url("/secret", host=host))

    assert (result.ok, result.error_class, result.http_status, result.content) == (False, "BlockedAddress", None, b"")
    assert "only sources marked local may fetch it" in result.error_message
    assert server.hits() == 0
    assert connections == []  # refused at resolution, before any connect


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",  # cloud metadata (link-local)
        "http://10.0.0.1/",
        "http://192.168.1.1/admin",
        "http://[::1]/",
        "http://[fd00::1]/",
        "http://[::ffff:10.0.0.1]/",
        "http://0.0.0.0/",
    ],
)
def test_a_non_local_fetcher_refuses_private_and_metadata_addresses_without_traffic(connections, url):
    with Fetcher(settings(connect_timeout=0.2)) as public_only:
        started = time.monotonic()
        result = public_only.get(url)
    assert (result.error_class, result.http_status) == ("BlockedAddress", None)
    assert connections == []
    assert time.monotonic() - started < 0.2  # no connect attempt was even timed out


@pytest.fixture()
def loopback_as_public(monkeypatch):
    """Let the address guard treat 127.0.0.1 (the fault server) as a public host; all else unchanged.

    A redirect from a public site to a private address cannot be staged
    otherwise: the only server a test can run is itself on loopback.
    """
    real = fetch.check_public

    def check(address: str, host: str) -> None:
        if address != "127.0.0.1":
            real(address, host)

    monkeypatch.setattr(fetch, "check_public", check)


@pytest.mark.parametrize("obey_robots", [True, False], ids=["via-robots", "direct"])
@pytest.mark.parametrize(
    "target",
    ["http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/admin", "http://0.0.0.0:{port}/secret"],
)
def test_a_redirect_to_a_private_address_is_refused(server, connections, loopback_as_public, obey_robots, target):
    target = target.format(port=server.port)
    url = server.route("/innocent", redirect(target))
    server.route("/secret", ok("internal"))
    with Fetcher(settings(obey_robots=obey_robots)) as public_only:
        assert public_only.get(server.url("/page")).http_status == 404  # 127.0.0.1 stands in for a public host
        result = public_only.get(url)

    assert (result.ok, result.error_class, result.http_status, result.final_url) == (
        False, "BlockedAddress", 302, target
    )  # fmt: skip
    assert "/secret" not in server.paths()  # 0.0.0.0 reaches this very server when not refused
    assert {host for host, _port in connections} == {"127.0.0.1"}


def test_dns_rebinding_is_caught_at_the_connected_peer(server, monkeypatch):
    """The name resolves to a public address when checked, to loopback when connected."""
    server.route("/robots.txt", robots("User-agent: *\nAllow: /\n"))
    real_getaddrinfo = socket.getaddrinfo
    answers = []

    def rebinding(host, port, *args, **kwargs):
        if host != "rebind.test":
            return real_getaddrinfo(host, port, *args, **kwargs)
        address = "93.184.215.14" if not answers else "127.0.0.1"
        answers.append(address)
        return [(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    with Fetcher(FAST) as public_only:
        result = public_only.get(f"http://rebind.test:{server.port}/page")

    assert answers[:2] == ["93.184.215.14", "127.0.0.1"]
    assert (result.error_class, result.http_status) == ("BlockedAddress", None)
    assert "rebind.test resolves to 127.0.0.1" in result.error_message
    time.sleep(0.05)
    assert server.hits() == 0  # connected, but closed before a byte of the request


@pytest.mark.parametrize(
    "url",
    ["http://10.0.0.1/admin", "http://169.254.169.254/latest/meta-data/", "http://93.184.215.14/", "http://[fd00::1]/"],
)
def test_a_local_fetcher_reaches_loopback_only(connections, url):
    with Fetcher(settings(connect_timeout=0.2), local=True) as local_only:
        result = local_only.get(url)
    assert (result.error_class, result.http_status) == ("BlockedAddress", None)
    assert "a source marked local may fetch loopback only" in result.error_message
    assert connections == []


def test_a_local_fetcher_does_not_follow_a_redirect_off_loopback(server, connections):
    url = server.route("/innocent", redirect("http://10.0.0.1/admin"))
    with Fetcher(FAST, local=True) as local_only:
        result = local_only.get(url)
    assert (result.error_class, result.http_status, result.final_url) == (
        "BlockedAddress",
        302,
        "http://10.0.0.1/admin",
    )
    assert {host for host, _port in connections} == {"127.0.0.1"}


# ---- robots.txt and politeness -----------------------------------------------------------


def test_a_path_robots_txt_disallows_is_never_requested(server, fetcher):
    server.route("/robots.txt", robots("User-agent: *\nDisallow: /private/\n"))
    server.route("/private/page", ok("hidden"))
    server.route("/public", ok("open"))

    refused = fetcher.get(server.url("/private/page"))
    allowed = fetcher.get(server.url("/public"))
    assert (refused.ok, refused.error_class, refused.http_status) == (False, "RobotsDisallowed", None)
    assert refused.error_message.endswith(f"of http://127.0.0.1:{server.port} disallows {server.url('/private/page')}")
    assert allowed.ok
    assert server.paths() == ["/robots.txt", "/public"]  # robots.txt once, the private page never


def test_a_robots_group_for_newsdesk_applies_to_newsdesk(server, fetcher):
    server.route("/robots.txt", robots("User-agent: Newsdesk\nDisallow: /\n\nUser-agent: *\nAllow: /\n"))
    assert fetcher.get(server.url("/page")).error_class == "RobotsDisallowed"
    assert server.paths() == ["/robots.txt"]


def test_a_redirect_into_a_disallowed_path_is_stopped(server, fetcher):
    server.route("/robots.txt", robots("User-agent: *\nDisallow: /private/\n"))
    server.route("/open", redirect("/private/page"))
    result = fetcher.get(server.url("/open"))
    assert (result.error_class, result.final_url) == ("RobotsDisallowed", server.url("/private/page"))
    assert server.paths() == ["/robots.txt", "/open"]


def test_an_unreachable_robots_txt_disallows_everything(server, fetcher):
    server.route("/robots.txt", status(503))
    result = fetcher.get(server.url("/page"))
    assert result.error_class == "RobotsDisallowed"
    assert server.paths() == ["/robots.txt"] * (1 + FAST.retries)  # retried, then given up; /page never asked


def test_a_missing_robots_txt_allows_everything_and_obey_robots_false_never_asks(server):
    server.route("/page", ok("fine"))
    with Fetcher(FAST, local=True) as polite:
        assert polite.get(server.url("/page")).ok
    assert server.paths() == ["/robots.txt", "/page"]

    server.reset()
    server.route("/robots.txt", robots("User-agent: *\nDisallow: /\n"))
    with Fetcher(settings(obey_robots=False), local=True) as rude:
        assert rude.get(server.url("/page")).ok
    assert server.paths() == ["/page"]


def test_crawl_delay_spaces_request_starts_also_across_threads(server):
    server.route("/robots.txt", robots("User-agent: *\nCrawl-delay: 0.2\n"))
    for n in range(5):
        server.route(f"/p{n}", ok("x"))
    with Fetcher(FAST, local=True) as polite:
        assert polite.get(server.url("/p0")).ok  # learns the Crawl-delay
        assert polite.get(server.url("/p1")).ok
        assert all(r.ok for r in in_threads(3, lambda i: polite.get(server.url(f"/p{i + 2}"))))

    gaps = server.start_gaps(exclude=["/robots.txt"])
    assert len(gaps) == 4
    assert min(gaps) >= 0.2 - SLACK, gaps


def test_a_long_crawl_delay_is_cut_to_max_crawl_delay(server):
    server.route("/robots.txt", robots("User-agent: *\nCrawl-delay: 30\n"))
    with Fetcher(settings(max_crawl_delay=0.2), local=True) as polite:
        for n in range(3):
            assert polite.get(server.url(f"/p{n}")).http_status == 404
    gaps = server.start_gaps(exclude=["/robots.txt"])
    assert all(0.2 - SLACK <= gap < 1.0 for gap in gaps), gaps


def test_per_host_delay_spaces_concurrent_request_starts(server):
    server.route("/page", ok("x"))
    with Fetcher(settings(per_host_delay=0.15), local=True) as polite:
        assert polite.get(server.url("/page")).ok  # robots.txt is cached before the burst
        assert all(r.ok for r in in_threads(4, lambda i: polite.get(server.url("/page"))))
    gaps = server.start_gaps()  # robots.txt included: the configured delay holds from the first request
    assert len(gaps) == 5
    assert min(gaps) >= 0.15 - SLACK, gaps


def test_per_host_connections_limits_concurrency_per_host(server):
    server.route("/slow", delayed(0.25, ok("slow")))
    with Fetcher(settings(per_host_connections=2), local=True) as polite:
        assert polite.get(server.url("/slow")).ok  # robots.txt is cached before the burst
        server.reset()
        started = time.monotonic()
        results = in_threads(6, lambda i: polite.get(server.url("/slow")))
        elapsed = time.monotonic() - started

    assert all(r.ok for r in results) and server.hits("/slow") == 6
    assert server.max_in_flight == 2  # never more than 2, and really 2 at once
    assert elapsed >= 3 * 0.25 - SLACK


def test_the_connection_limit_is_per_host_not_global(server):
    server.route("/slow", delayed(0.2, ok("slow")))
    with Fetcher(settings(per_host_connections=2), local=True) as polite:
        for host in ("127.0.0.1", "localhost"):
            assert polite.get(server.url("/slow", host=host)).ok
        server.reset()
        hosts = ["127.0.0.1", "localhost"] * 3
        results = in_threads(6, lambda i: polite.get(server.url("/slow", host=hosts[i])))

    assert all(r.ok for r in results)
    assert 3 <= server.max_in_flight <= 4  # two per host, two hosts


def test_robots_txt_is_fetched_once_per_origin_under_concurrency(server):
    server.route("/robots.txt", delayed(0.2, robots("User-agent: *\nAllow: /\n")))
    server.route("/page", ok("x"))
    with Fetcher(FAST, local=True) as polite:
        assert all(r.ok for r in in_threads(4, lambda i: polite.get(server.url("/page"))))
    assert server.hits("/robots.txt") == 1


# ---- timeouts ---------------------------------------------------------------------------


def test_headers_slower_than_read_timeout_time_out_after_the_retries(server):
    url = server.route("/slow", delayed(1.0, ok("too late")))
    with Fetcher(settings(read_timeout=0.2, retries=1), local=True) as impatient:
        started = time.monotonic()
        result = impatient.get(url)
        elapsed = time.monotonic() - started

    assert (result.ok, result.error_class, result.http_status) == (False, "ReadTimeout", None)
    assert "Read timed out" in result.error_message
    assert server.hits("/slow") == 2  # a read timeout on GET is retried
    assert elapsed < 1.0


def test_a_body_stalling_longer_than_read_timeout_times_out(server):
    url = server.route("/stall", trickle(b"<rss/>", 0.6))
    with Fetcher(settings(read_timeout=0.2), local=True) as impatient:
        result = impatient.get(url)

    assert (result.ok, result.error_class, result.content, result.http_status) == (False, "ReadTimeout", b"", 200)
    assert "Read timed out" in result.error_message
    assert server.hits("/stall") == 1  # a body read error is not retried


@pytest.mark.parametrize("content_length", [True, False], ids=["content-length", "close-delimited"])
def test_a_body_trickling_past_total_timeout_is_deadline_exceeded(server, content_length):
    url = server.route("/trickle", trickle(b"x" * 12, 0.05, content_length=content_length))  # 0.6 s
    with Fetcher(settings(read_timeout=0.5, total_timeout=0.3), local=True) as impatient:
        result = impatient.get(url)

    assert (result.ok, result.error_class, result.content) == (False, "DeadlineExceeded", b"")
    assert result.error_message == "body not complete after 0.3 s"


def test_total_timeout_stops_a_trickling_body_in_time(server):
    url = server.route("/trickle", trickle(b"x" * 20, 0.05, content_length=False))  # 1 s in all
    with Fetcher(settings(read_timeout=0.3, total_timeout=0.3), local=True) as impatient:
        started = time.monotonic()
        result = impatient.get(url)
        elapsed = time.monotonic() - started
    assert result.error_class == "DeadlineExceeded"
    assert elapsed < 0.3 + 0.3  # at the latest one read_timeout after the deadline


def test_waiting_for_a_polite_slot_does_not_count_against_total_timeout(server):
    server.route("/fast", ok("instant"))
    with Fetcher(settings(per_host_delay=0.15, total_timeout=0.3), local=True) as polite:
        assert polite.get(server.url("/fast")).ok  # robots.txt is cached before the burst
        results = in_threads(4, lambda i: polite.get(server.url("/fast")))  # slots 0.15 s apart
    assert [r.error_class for r in results] == [None] * 4


# ---- through extract_source: what lands -------------------------------------------------


def test_an_xml_bomb_is_refused_and_logged_while_the_other_feeds_land(server, tmp_path):
    bomb = server.route("/bomb.xml", ok(XML_BOMB, "application/rss+xml"))
    good = server.route("/good.xml", ok(FEED, "application/rss+xml; charset=utf-8"))

    manifest = extract_source(local_source((bomb, "rss"), (good, "rss")), DAY, tmp_path, settings=FAST)

    assert (manifest["feeds_ok"], manifest["feeds_failed"], manifest["items"], manifest["records"]) == (1, 1, 2, 2)
    assert manifest["feed_errors"][0].startswith(f"{bomb}: HostileXML: ")
    landed = partition(tmp_path)
    fetches = read_jsonl(landed / "fetches.jsonl")
    assert [(f["url"], f["status"], f["http_status"], f["items"], f["error_class"]) for f in fetches] == [
        (bomb, "error", 200, None, "HostileXML"),
        (good, "ok", 200, 2, None),
    ]
    assert fetches[0]["bytes"] == len(XML_BOMB)
    assert gzip.decompress((landed / fetches[0]["payload_file"]).read_bytes()) == XML_BOMB  # kept for replay
    assert [r["title"] for r in read_jsonl(landed / "records.jsonl")] == ["First story", "Second story"]


@pytest.mark.parametrize("name", ["xmlbomb.xml", "xmlbomb2.xml", "quadratic.xml", "cyclic.xml"])
def test_real_hostile_xml_samples_are_refused(server, tmp_path, realdata, name):
    payload = (realdata / "hostile-xml" / name).read_bytes()
    url = server.route(f"/{name}", ok(payload, "application/xml"))
    good = server.route("/good.xml", ok(FEED, "application/rss+xml"))
    manifest = extract_source(local_source((url, "rss"), (good, "rss")), DAY, tmp_path, settings=FAST)
    assert (manifest["feeds_failed"], manifest["records"]) == (1, 2)
    assert read_jsonl(partition(tmp_path) / "fetches.jsonl")[0]["error_class"] == "HostileXML"


def test_a_truncated_feed_lands_no_records_and_the_other_feed_still_does(server, tmp_path):
    cut = server.route("/cut.xml", truncated(FEED[: len(FEED) // 2]))
    good = server.route("/good.xml", gzipped(FEED))

    manifest = extract_source(local_source((cut, "rss"), (good, "rss")), DAY, tmp_path, settings=FAST)

    assert (manifest["feeds_ok"], manifest["feeds_failed"], manifest["items"], manifest["records"]) == (1, 1, 2, 2)
    fetches = read_jsonl(partition(tmp_path) / "fetches.jsonl")
    assert [(f["status"], f["error_class"], f["items"], f["bytes"], f["payload_file"] is None) for f in fetches] == [
        ("error", "ChunkedEncodingError", None, 0, True),
        ("ok", None, 2, len(FEED), False),
    ]
    # the gzip-encoded feed is landed decoded, byte for byte as the publisher wrote it
    assert gzip.decompress((partition(tmp_path) / fetches[1]["payload_file"]).read_bytes()) == FEED


def test_validators_are_always_sent_and_a_304_attempt_loses_nothing(server, tmp_path, monkeypatch):
    """The latest fetch's validators go with every later fetch, whatever its date; a rerun of D that
    gets a 304 lands an attempt without records, and D's earlier attempt still loads its articles."""
    parsed = []
    real_parse_feed = extract.parse_feed

    def counting_parse_feed(payload, **kwargs):
        parsed.append(payload)
        return real_parse_feed(payload, **kwargs)

    monkeypatch.setattr(extract, "parse_feed", counting_parse_feed)
    last_modified = "Mon, 02 Nov 2026 06:00:00 GMT"
    url = server.route("/feed.xml", conditional(FEED, etag='"v1"', last_modified=last_modified))
    source = local_source((url, "rss"))
    state, landing_root, warehouse = tmp_path / "state", tmp_path / "landing", tmp_path / "wh.duckdb"

    first = extract_source(source, DAY, landing_root, settings=FAST, state_dir=state, run_id="run-1")
    assert (first["feeds_ok"], first["feeds_not_modified"], first["items"], first["records"]) == (1, 0, 2, 2)
    assert parsed == [FEED]
    assert "if-none-match" not in server.seen("/feed.xml")[0].headers
    stored = json.loads((state / "faults.json").read_text())
    assert stored == {url: {"etag": '"v1"', "last_modified": last_modified}}  # no date rule any more

    rerun = extract_source(source, DAY, landing_root, settings=FAST, state_dir=state, run_id="run-2")
    assert (rerun["feeds_ok"], rerun["feeds_failed"], rerun["feeds_not_modified"]) == (1, 0, 1)
    assert (rerun["items"], rerun["records"], rerun["rejects"], rerun["bytes"]) == (0, 0, 0, 0)
    assert parsed == [FEED]  # the 304 was not parsed
    asked = server.seen("/feed.xml")[1].headers
    assert (asked["if-none-match"], asked["if-modified-since"]) == ('"v1"', last_modified)
    first_attempt, rerun_attempt = landing.attempts(landing_root, DAY, "faults")
    assert (first_attempt.attempt_id, rerun_attempt.attempt_id) == (first["attempt_id"], rerun["attempt_id"])
    rows = read_jsonl(rerun_attempt.file("fetches.jsonl"))
    assert [(r["status"], r["http_status"], r["items"], r["bytes"], r["payload_file"], r["etag"]) for r in rows] == [
        ("not_modified", 304, 0, 0, None, '"v1"')
    ]
    assert rerun_attempt.file("records.jsonl").read_text() == ""
    assert len(read_jsonl(first_attempt.file("records.jsonl"))) == 2  # the earlier attempt keeps its records
    assert json.loads((state / "faults.json").read_text()) == stored  # a 304 teaches nothing new

    # another date, later or earlier, sends the same validators
    for other_day in (DAY + timedelta(days=1), DAY - timedelta(days=1)):
        other = extract_source(source, other_day, landing_root, settings=FAST, state_dir=state)
        assert (other["feeds_not_modified"], other["records"]) == (1, 0)
    assert [seen.headers.get("if-none-match") for seen in server.seen("/feed.xml")] == [None, '"v1"', '"v1"', '"v1"']

    [replayed_first, replayed_rerun] = replay_source(source, DAY, landing_root)  # a 304 replays as a 304
    assert {k: v for k, v in replayed_rerun.items() if k != "duration_ms"} == {
        k: v for k, v in rerun.items() if k != "duration_ms"
    }
    assert replayed_first["records"] == 2
    assert server.hits("/feed.xml") == 4

    result = load_partition(warehouse, landing_root, DAY, run_id="load", sources=[source])
    assert (result.rows["articles"], result.source_status) == (2, {"faults": "ok"})
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        assert conn.execute("SELECT url, attempt_id FROM raw.articles ORDER BY url").fetchall() == [
            ("https://news.example/1", first["attempt_id"]),
            ("https://news.example/2", first["attempt_id"]),
        ]
    assert sorted(
        (run["run_id"], run["status"], run["feeds_not_modified"], run["records"], run["new_items"])
        for run in result.source_runs
    ) == [("run-1", "ok", 0, 2, 2), ("run-2", "ok", 1, 0, 0)]


def test_a_backfill_and_a_rerun_do_not_make_a_date_lose_its_records(server, tmp_path):
    url = server.route("/feed.xml", conditional(FEED, etag='"v1"'))
    source = local_source((url, "rss"))
    state, landing_root, warehouse = tmp_path / "state", tmp_path / "landing", tmp_path / "wh.duckdb"
    next_day = DAY + timedelta(days=1)

    assert extract_source(source, next_day, landing_root, settings=FAST, state_dir=state)["records"] == 2
    assert (
        extract_source(source, DAY, landing_root, settings=FAST, state_dir=state)["feeds_not_modified"] == 1
    )  # backfill
    rerun = extract_source(source, next_day, landing_root, settings=FAST, state_dir=state)
    assert (rerun["feeds_not_modified"], rerun["records"]) == (1, 0)

    load_partition(warehouse, landing_root, next_day, run_id="load", sources=[source])
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        assert conn.execute("SELECT count(*) FROM raw.articles WHERE partition_date = ?", [next_day]).fetchone() == (2,)


def test_a_feed_that_failed_to_parse_is_not_fetched_conditionally(server, tmp_path):
    url = server.route("/feed.xml", conditional(XML_BOMB, etag='"bomb"'))
    source = local_source((url, "rss"), (server.route("/good.xml", ok(FEED, "application/rss+xml")), "rss"))
    state, landing = tmp_path / "state", tmp_path / "landing"

    assert extract_source(source, DAY, landing, settings=FAST, state_dir=state)["feeds_failed"] == 1
    next_day = extract_source(source, DAY + timedelta(days=1), landing, settings=FAST, state_dir=state)
    assert next_day["feeds_failed"] == 1  # the feed is as broken as yesterday
    assert "if-none-match" not in server.seen("/feed.xml")[1].headers
