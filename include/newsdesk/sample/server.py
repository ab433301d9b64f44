"""Serve a generated sample world over HTTP on loopback, in a background thread.

    with SampleServer(world_dir, port=port) as server:
        requests.get(server.base_url + "/robots.txt")

Serves ``world_dir/site`` read-only: GET and HEAD, ``index.html`` for folder
paths, 404 for anything else (including paths that try to leave the site).
Live feeds (``newsdesk.sample.live``) are rendered on each request as they
stand at the server's ``clock`` (default: the world's last daily fetch; set
it to move the world on), and a source in an outage at that clock, or named
in ``failing_sources``, answers 503 for every URL. Responses carry ``ETag``
(content hash) and ``Last-Modified`` (file time, or a live feed's newest
item) and answer conditional requests with 304. The query string is
ignored, so feed links with tracking parameters resolve to the article page.

Content types: ``application/rss+xml; charset=utf-8`` for ``rss.xml``,
``application/atom+xml; charset=utf-8`` for ``atom.xml``, ``text/html;
charset=utf-8`` for pages. The charset is deliberately the same for every
feed, so the one feed written in windows-1252 (``alpenbote``, which declares
so in its XML prolog) is served with a header that lies about it.

Requests are not logged to stderr; they go to the ``newsdesk.sample.server``
logger at DEBUG level. ``latency`` seconds are waited before each response, to
stand in for a remote publisher's round trip in benchmarks.
"""

from __future__ import annotations

import errno
import hashlib
import logging
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import formatdate, parsedate_to_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from newsdesk.sample.live import LiveWorld, read_live
from newsdesk.sample.world import DEFAULT_PORT, REDIRECT_SUFFIX

log = logging.getLogger(__name__)

_CONTENT_TYPES = {
    "rss.xml": "application/rss+xml; charset=utf-8",
    "atom.xml": "application/atom+xml; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".json": "application/json",
}


class SampleServerError(RuntimeError):
    """The sample server cannot start (busy port, no world)."""


def content_type(path: Path) -> str:
    for suffix, kind in _CONTENT_TYPES.items():
        if path.name.endswith(suffix):
            return kind
    return "application/octet-stream"


@dataclass
class _WorldState:
    """What a running server serves: its clock, the live feeds and the sources made to fail."""

    live: LiveWorld | None
    clock: datetime | None
    failing_sources: set[str] = field(default_factory=set)

    def is_down(self, source_id: str) -> bool:
        if source_id in self.failing_sources:
            return True
        return self.live is not None and self.clock is not None and self.live.is_down(source_id, self.clock)


class _SiteHandler(BaseHTTPRequestHandler):
    site_root: Path  # set on the subclass each server makes
    state: _WorldState
    latency: float = 0.0
    server_version = "NewsdeskSample/1.0"

    def do_GET(self) -> None:
        self._respond(with_body=True)

    def do_HEAD(self) -> None:
        self._respond(with_body=False)

    def log_message(self, format: str, *args) -> None:
        log.debug("%s %s", self.address_string(), format % args)

    def _relative_path(self) -> str:
        return unquote(urlsplit(self.path).path).lstrip("/")

    def _resolve(self, suffix: str = "") -> Path | None:
        relative = self._relative_path() + suffix
        target = (self.site_root / relative).resolve()
        if not target.is_relative_to(self.site_root):
            return None
        if target.is_dir():
            target = target / "index.html"
        return target if target.is_file() else None

    def _plain(self, status: HTTPStatus, body: bytes, *, with_body: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if with_body:
            self.wfile.write(body)

    def _respond(self, *, with_body: bool) -> None:
        if self.latency:
            time.sleep(self.latency)
        relative = self._relative_path()
        if self.state.is_down(relative.split("/", 1)[0]):
            self._plain(HTTPStatus.SERVICE_UNAVAILABLE, b"service unavailable\n", with_body=with_body)
            return
        redirect = self._resolve(REDIRECT_SUFFIX) if self._resolve() is None else None
        if redirect is not None:  # a short link of the sample world
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", redirect.read_text(encoding="utf-8").strip())
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        live = self.state.live.feeds.get(relative) if self.state.live is not None else None
        if live is not None:
            clock = self.state.clock
            data = live.render(clock)
            listed = live.view(clock)
            modified = int(max((item.visible_from for item in listed), default=clock).timestamp())
            target = self.site_root / relative
        else:
            target = self._resolve()
            if target is None:
                self._plain(HTTPStatus.NOT_FOUND, b"not found\n", with_body=with_body)
                return
            data = target.read_bytes()
            modified = int(target.stat().st_mtime)
        etag = f'"{hashlib.sha256(data).hexdigest()[:32]}"'
        if self._not_modified(etag, modified):
            self.send_response(HTTPStatus.NOT_MODIFIED)
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", formatdate(modified, usegmt=True))
            self.end_headers()
            return
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", content_type(target))
        self.send_header("Content-Length", str(len(data)))
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", formatdate(modified, usegmt=True))
        self.end_headers()
        if with_body:
            self.wfile.write(data)

    def _not_modified(self, etag: str, modified: int) -> bool:
        # If-None-Match wins over If-Modified-Since (RFC 9110, 13.2.2).
        if_none_match = self.headers.get("If-None-Match")
        if if_none_match is not None:
            tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
            return "*" in tags or etag in tags
        if_modified_since = self.headers.get("If-Modified-Since")
        if if_modified_since is not None:
            try:
                since = parsedate_to_datetime(if_modified_since).timestamp()
            except (TypeError, ValueError):
                return False
            return modified <= since
        return False


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        # A client hanging up mid-response is normal for a crawler; no traceback on stderr.
        log.debug("error while serving %s", client_address, exc_info=True)


class SampleServer:
    """Serves ``world_dir/site`` on ``host:port`` until stopped; also a context manager.

    ``port=0`` picks a free port (see ``base_url`` after ``start``), but the
    world's registry and pages embed the port given to ``generate_world``, so
    serve a world on the port it was generated for.
    """

    def __init__(
        self,
        world_dir: Path,
        host: str = "127.0.0.1",
        port: int = DEFAULT_PORT,
        latency: float = 0.0,
        clock: datetime | None = None,
    ):
        self.site_root = (Path(world_dir) / "site").resolve()
        self.host = host
        self.port = port
        self.latency = latency
        live = read_live(Path(world_dir))
        self._state = _WorldState(live, clock or (live.default_clock if live else None))
        self._httpd: _QuietServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def clock(self) -> datetime | None:
        """The moment live feeds and outages are served as of (UTC)."""
        return self._state.clock

    @clock.setter
    def clock(self, moment: datetime) -> None:
        self._state.clock = moment

    @property
    def failing_sources(self) -> set[str]:
        """Source ids answered with 503, whatever the clock (add or remove ids while serving)."""
        return self._state.failing_sources

    def start(self) -> SampleServer:
        if self._httpd is not None:
            return self
        if not self.site_root.is_dir():
            raise SampleServerError(f"no sample world at {self.site_root.parent}: run generate_world there first")
        handler = type(
            "SiteHandler", (_SiteHandler,), {"site_root": self.site_root, "latency": self.latency, "state": self._state}
        )
        try:
            httpd = _QuietServer((self.host, self.port), handler)
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise SampleServerError(
                    f"port {self.port} on {self.host} is already in use. Choose another port: "
                    f"SampleServer(world_dir, port=...) (port=0 picks a free one), and generate the world "
                    f"with generate_world(..., port=...) for the same port, since its feed URLs embed it."
                ) from error
            raise
        self._httpd = httpd
        self.port = httpd.server_address[1]
        self._thread = threading.Thread(
            target=httpd.serve_forever, kwargs={"poll_interval": 0.1}, name=f"sample-server-{self.port}", daemon=True
        )
        self._thread.start()
        log.info("sample world served at %s", self.base_url)
        return self

    def stop(self) -> None:
        if self._httpd is None:
            return
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join()
        self._httpd = None
        self._thread = None

    def __enter__(self) -> SampleServer:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()
