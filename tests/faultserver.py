"""A scripted HTTP server on 127.0.0.1 that injects faults, for tests of the fetch path.

    with FaultServer() as server:
        server.route("/slow", delayed(0.5, ok(b"late")))
        server.route("/flaky", flaky(2, ok(b"third time lucky")))
        fetcher.get(server.url("/flaky"))
        assert server.hits("/flaky") == 3

`FaultServer` runs `http.server.ThreadingHTTPServer` (HTTP/1.1, keep-alive)
in a background thread on an ephemeral port. A route is a callable taking an
`Exchange` (the request plus a few ways to answer it, including wrong ones);
the functions below build the usual faults: slow headers, trickling bodies,
5xx or 429 before success, dropped connections, 304 for matching validators,
truncated bodies, gzip, redirect chains and loops, bodies over a cap (with
Content-Length, chunked, or delimited by closing the connection), an XML bomb.

Every request is recorded (`SeenRequest`: path, lower-cased headers, start
and answer times, its attempt number for that path), with the most requests
ever in flight at once (`max_in_flight`), so a test can assert what a client
sent, how often, how far apart and how many at a time. A path without a route
gets 404.
"""

from __future__ import annotations

import gzip
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

# Billion laughs, small: entities expanding to 10 * 8**3 characters. Never expand it.
XML_BOMB = b"""<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE rss [
<!ENTITY a "1234567890">
<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">
<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;">
]>
<rss version="2.0"><channel><title>&d;</title>
<item><title>&d;</title><link>http://bomb.example/1</link></item>
</channel></rss>
"""


@dataclass
class SeenRequest:
    """One request as the server received it; times are time.monotonic() seconds."""

    method: str
    path: str
    headers: dict[str, str]
    attempt: int  # 1 for the first request to this path, 2 for the second ...
    started: float
    answered: float | None = None  # when the last byte of the answer was handed to the socket


class Exchange:
    """One request being answered: what was asked, and ways to answer it (well or badly)."""

    def __init__(self, handler: BaseHTTPRequestHandler, seen: SeenRequest, server: FaultServer) -> None:
        self.handler = handler
        self.seen = seen
        self.server = server

    @property
    def path(self) -> str:
        return self.seen.path

    @property
    def headers(self) -> dict[str, str]:
        return self.seen.headers

    @property
    def attempt(self) -> int:
        return self.seen.attempt

    def start(self, status: int, headers: Iterable[tuple[str, str]] = ()) -> None:
        """Send the status line and headers only."""
        self.handler.send_response(status)
        for name, value in headers:
            self.handler.send_header(name, value)
        self.handler.end_headers()
        self.handler.wfile.flush()

    def write(self, data: bytes) -> None:
        self.handler.wfile.write(data)
        self.handler.wfile.flush()

    def done(self) -> None:
        """Mark the answer complete (before its last byte leaves, so in-flight counts never overshoot)."""
        self.server._answered(self.seen)

    def send(
        self,
        status: int,
        body: bytes = b"",
        content_type: str | None = "text/plain; charset=utf-8",
        headers: Iterable[tuple[str, str]] = (),
    ) -> None:
        """A complete answer with Content-Length."""
        all_headers = [("Content-Type", content_type)] if content_type else []
        all_headers += [*headers, ("Content-Length", str(len(body)))]
        self.handler.send_response(status)
        for name, value in all_headers:
            self.handler.send_header(name, value)
        self.handler.end_headers()  # buffered until the write below
        self.done()
        self.write(body)

    def close_connection(self) -> None:
        """Close the connection after this handler returns (at once, when nothing was sent)."""
        self.handler.close_connection = True


Route = Callable[[Exchange], None]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def do_GET(self) -> None:  # noqa: N802
        self.server.fault._handle(self)

    def log_message(self, *args) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    fault: FaultServer

    def handle_error(self, request, client_address) -> None:
        pass  # a client that hung up on a slow or broken answer is the point of most tests


class FaultServer:
    """A threaded HTTP/1.1 server on 127.0.0.1 with scripted routes; a context manager."""

    def __init__(self, routes: dict[str, Route] | None = None) -> None:
        self.routes: dict[str, Route] = dict(routes or {})
        self.requests: list[SeenRequest] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self._attempts: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # ---- lifecycle ----

    def start(self) -> FaultServer:
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.fault = self
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FaultServer:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._server is not None, "the server is not running"
        return self._server.server_address[1]

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    # ---- routes and what was seen ----

    def route(self, path: str, handler: Route) -> str:
        """Serve `path` (exact, query included if given) with `handler`; returns its URL."""
        self.routes[path] = handler
        return self.url(path)

    def seen(self, path: str | None = None) -> list[SeenRequest]:
        with self._lock:
            return [r for r in self.requests if path is None or r.path == path]

    def hits(self, path: str | None = None) -> int:
        return len(self.seen(path))

    def paths(self) -> list[str]:
        return [r.path for r in self.seen()]

    def start_gaps(self, path: str | None = None, *, exclude: Iterable[str] = ()) -> list[float]:
        """Seconds between consecutive request starts (to `path`, or to all paths but `exclude`)."""
        excluded = set(exclude)
        starts = [r.started for r in self.seen(path) if r.path not in excluded]
        return [later - earlier for earlier, later in zip(starts, starts[1:])]

    def reset(self) -> None:
        with self._lock:
            self.requests.clear()
            self._attempts.clear()
            self.max_in_flight = self.in_flight

    def _handle(self, handler: _Handler) -> None:
        path = handler.path
        with self._lock:
            self._attempts[path] += 1
            seen = SeenRequest(
                method=handler.command,
                path=path,
                headers={name.lower(): value for name, value in handler.headers.items()},
                attempt=self._attempts[path],
                started=time.monotonic(),
            )
            self.requests.append(seen)
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        exchange = Exchange(handler, seen, self)
        try:
            route = self.routes.get(path) or self.routes.get(urlsplit(path).path)
            if route is None:
                exchange.send(404, b"not found")
            else:
                route(exchange)
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            handler.close_connection = True
        finally:
            self._answered(seen)

    def _answered(self, seen: SeenRequest) -> None:
        with self._lock:
            if seen.answered is None:
                seen.answered = time.monotonic()
                self.in_flight -= 1


# ---- routes --------------------------------------------------------------------------


def ok(
    body: bytes | str,
    content_type: str | None = "text/plain; charset=utf-8",
    *,
    status: int = 200,
    headers: Iterable[tuple[str, str]] = (),
) -> Route:
    data = body.encode("utf-8") if isinstance(body, str) else body
    extra = list(headers)

    def route(exchange: Exchange) -> None:
        exchange.send(status, data, content_type, extra)

    return route


def status(code: int, body: bytes = b"", headers: Iterable[tuple[str, str]] = ()) -> Route:
    return ok(body, status=code, headers=headers)


def delayed(seconds: float, then: Route) -> Route:
    """Wait `seconds` before sending anything (slow headers)."""

    def route(exchange: Exchange) -> None:
        time.sleep(seconds)
        then(exchange)

    return route


def trickle(
    body: bytes,
    interval: float,
    content_type: str = "application/rss+xml; charset=utf-8",
    *,
    content_length: bool = True,
) -> Route:
    """Headers at once, then the body one byte every `interval` seconds (with Content-Length,
    or delimited by closing the connection)."""

    def route(exchange: Exchange) -> None:
        headers = [("Content-Type", content_type)]
        if content_length:
            headers.append(("Content-Length", str(len(body))))
        else:
            headers.append(("Connection", "close"))
            exchange.close_connection()
        exchange.start(200, headers)
        for index in range(len(body)):
            time.sleep(interval)
            if index == len(body) - 1:
                exchange.done()
            exchange.write(body[index : index + 1])

    return route


def flaky(failures: int, then: Route, *, code: int = 500, headers: Iterable[tuple[str, str]] = ()) -> Route:
    """Answer `code` to the first `failures` requests for the path, then as `then`."""
    extra = list(headers)

    def route(exchange: Exchange) -> None:
        if exchange.attempt <= failures:
            exchange.send(code, f"attempt {exchange.attempt} fails".encode(), headers=extra)
        else:
            then(exchange)

    return route


def rate_limited(retry_after: int | str, failures: int, then: Route) -> Route:
    """429 with Retry-After (seconds or an HTTP date) for the first `failures` requests."""
    return flaky(failures, then, code=429, headers=[("Retry-After", str(retry_after))])


def hang_up(failures: int, then: Route) -> Route:
    """Close the connection without a word for the first `failures` requests."""

    def route(exchange: Exchange) -> None:
        if exchange.attempt <= failures:
            exchange.close_connection()
        else:
            then(exchange)

    return route


def conditional(
    body: bytes,
    content_type: str = "application/rss+xml; charset=utf-8",
    *,
    etag: str | None = None,
    last_modified: str | None = None,
) -> Route:
    """200 with the validators, or 304 when If-None-Match / If-Modified-Since match them."""
    validators = [(n, v) for n, v in (("ETag", etag), ("Last-Modified", last_modified)) if v]

    def route(exchange: Exchange) -> None:
        if_none_match = exchange.headers.get("if-none-match")
        if_modified_since = exchange.headers.get("if-modified-since")
        if (etag and if_none_match and etag in [t.strip() for t in if_none_match.split(",")]) or (
            last_modified and if_none_match is None and if_modified_since == last_modified
        ):
            exchange.send(304, b"", None, validators)
        else:
            exchange.send(200, body, content_type, validators)

    return route


def truncated(body: bytes, missing: int = 100, content_type: str = "application/rss+xml; charset=utf-8") -> Route:
    """Declare `missing` more bytes than are sent, then close the connection."""

    def route(exchange: Exchange) -> None:
        exchange.close_connection()
        exchange.start(200, [("Content-Type", content_type), ("Content-Length", str(len(body) + missing))])
        exchange.done()
        exchange.write(body)

    return route


def truncated_chunked(body: bytes, content_type: str = "application/rss+xml; charset=utf-8") -> Route:
    """A chunked body whose last chunk is cut short and never terminated, then close."""

    def route(exchange: Exchange) -> None:
        exchange.close_connection()
        exchange.start(200, [("Content-Type", content_type), ("Transfer-Encoding", "chunked")])
        exchange.done()
        exchange.write(f"{len(body) + 100:x}\r\n".encode() + body)

    return route


def gzipped(body: bytes, content_type: str = "application/rss+xml; charset=utf-8") -> Route:
    data = gzip.compress(body, mtime=0)

    def route(exchange: Exchange) -> None:
        exchange.send(200, data, content_type, [("Content-Encoding", "gzip"), ("Vary", "Accept-Encoding")])

    return route


def redirect(location: str, code: int = 302) -> Route:
    def route(exchange: Exchange) -> None:
        exchange.send(code, b"", None, [("Location", location)])

    return route


def big(size: int, mode: str = "length", content_type: str = "application/octet-stream") -> Route:
    """`size` bytes of "x", framed by Content-Length ("length"), chunked ("chunked") or closing ("close")."""
    if mode not in ("length", "chunked", "close"):
        raise ValueError(mode)
    piece = b"x" * 16384

    def pieces():
        left = size
        while left > 0:
            yield piece[: min(left, len(piece))]
            left -= len(piece)

    def route(exchange: Exchange) -> None:
        headers = [("Content-Type", content_type)]
        if mode == "length":
            headers.append(("Content-Length", str(size)))
        elif mode == "chunked":
            headers.append(("Transfer-Encoding", "chunked"))
        else:
            headers.append(("Connection", "close"))
            exchange.close_connection()
        exchange.start(200, headers)
        for data in pieces():
            exchange.write(f"{len(data):x}\r\n".encode() + data + b"\r\n" if mode == "chunked" else data)
        exchange.done()
        if mode == "chunked":
            exchange.write(b"0\r\n\r\n")

    return route


def robots(text: str) -> Route:
    return ok(text, "text/plain; charset=utf-8")


def rss(items: Iterable[tuple[str, str]], *, title: str = "Fault feed", language: str | None = "en") -> str:
    """A small RSS 2.0 document with (title, link) items."""
    lang = f"<language>{language}</language>" if language else ""
    body = "".join(
        f"<item><title>{item_title}</title><link>{link}</link><pubDate>Mon, 02 Nov 2026 08:00:00 GMT</pubDate></item>"
        for item_title, link in items
    )
    return f'<?xml version="1.0"?>\n<rss version="2.0"><channel><title>{title}</title>{lang}{body}</channel></rss>\n'


__all__ = [
    "XML_BOMB", "Exchange", "FaultServer", "Route", "SeenRequest", "big", "conditional", "delayed", "flaky",
    "gzipped", "hang_up", "ok", "rate_limited", "redirect", "robots", "rss", "status", "trickle", "truncated",
    "truncated_chunked",
]  # fmt: skip
