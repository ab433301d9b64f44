"""HTTP GET with Newsdesk's limits, returning what happened instead of raising.

`Fetcher` owns one pooled `requests.Session` that retries 429, 5xx and
connection errors with exponential backoff and jitter, honouring Retry-After.
Around it the fetcher adds what a session lacks:

- an address guard on every connection: the socket's peer address, after DNS
  resolution, must be public (no loopback, private, link-local or
  cloud-metadata address) unless the source is marked local; checked where
  the connection is made, so redirects and DNS rebinding cannot slip past it;
- redirects followed by hand, at most `max_redirects`;
- a body cap enforced while streaming, and a deadline for the whole response;
- conditional GET from stored ETag / Last-Modified validators;
- robots.txt (RFC 9309, parsed by protego), cached per origin;
- politeness per host: at most `per_host_connections` requests at once and
  at least `per_host_delay` seconds (or the robots.txt Crawl-delay) between
  request starts, shared by every thread using the fetcher.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

import requests
from protego import Protego
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.util.retry import Retry

from newsdesk import __version__

USER_AGENT = f"Newsdesk/{__version__} (news-article warehouse; +https://github.com/newsdesk/newsdesk)"
ROBOTS_AGENT = "Newsdesk"  # the product token robots.txt groups are matched against
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
DEFAULT_PORTS = {"http": 80, "https": 443}
_DISALLOW_ALL = Protego.parse("User-agent: *\nDisallow: /\n")


@dataclass(frozen=True)
class FetchSettings:
    connect_timeout: float = 5.0
    read_timeout: float = 20.0  # longest silence between two reads
    total_timeout: float = 60.0  # a whole response, however slowly it trickles in
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    retries: int = 3
    backoff_factor: float = 0.5  # waits 0.5 s, 1 s, 2 s ... between attempts
    backoff_jitter: float = 0.5  # plus up to this many random seconds, so clients do not retry in step
    retry_after_max: int = 60  # a longer Retry-After is cut to this
    per_host_connections: int = 4
    per_host_delay: float = 0.0  # seconds between request starts to one host; robots Crawl-delay raises it
    max_crawl_delay: float = 10.0  # a longer Crawl-delay is cut to this
    obey_robots: bool = True


class FetchError(Exception):
    """A fetch stopped by one of Newsdesk's own limits; the class name is the logged error_class."""


class BlockedAddress(FetchError):
    """The host resolves to an address that only a local source may fetch."""


class BodyTooLarge(FetchError):
    """The body exceeds the configured size cap."""


class DeadlineExceeded(FetchError):
    """The whole response took longer than the total timeout."""


class RobotsDisallowed(FetchError):
    """The site's robots.txt does not allow Newsdesk to fetch this URL."""


class _Stopped(Exception):
    """Carries an error out of a redirect chain with the hop it happened at."""

    def __init__(self, error: Exception, url: str, status: int | None, headers: dict[str, str]) -> None:
        super().__init__(str(error))
        self.error, self.url, self.status, self.headers = error, url, status, headers


@dataclass(frozen=True)
class Validators:
    """What a server said about a body, to ask next time whether it changed."""

    etag: str | None = None
    last_modified: str | None = None

    def request_headers(self) -> dict[str, str]:
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


@dataclass(frozen=True)
class FetchResult:
    url: str
    final_url: str
    http_status: int | None
    headers: dict[str, str]
    content: bytes
    elapsed_ms: float
    fetched_at: datetime
    error_class: str | None = None
    error_message: str | None = None

    @property
    def ok(self) -> bool:
        return self.error_class is None

    @property
    def not_modified(self) -> bool:
        """The server answered a conditional GET with 304: the stored copy is current."""
        return self.http_status == 304

    @property
    def validators(self) -> Validators:
        return Validators(etag=self.headers.get("etag"), last_modified=self.headers.get("last-modified"))


# ---- the address guard ----------------------------------------------------------


def check_public(address: str, host: str) -> None:
    """Raise BlockedAddress unless `address` is a public unicast address.

    Covers loopback, RFC 1918 and other private ranges, link-local (which holds
    the 169.254.169.254 cloud metadata service), unique-local IPv6, multicast
    and reserved ranges, also when written as IPv4-mapped IPv6.
    """
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if not ip.is_global or ip.is_multicast:
        where = f"{host} resolves to {ip}" if host != str(ip) else host
        raise BlockedAddress(f"{where}, a non-public address; only sources marked local may fetch it")


class _GuardedConnectionMixin:
    """Checks every address the host resolves to before connecting, and the
    connected peer after, so a DNS answer that changes in between (rebinding)
    is caught before a byte of the request is sent."""

    host: str
    port: int

    def _new_conn(self) -> socket.socket:
        for *_, sockaddr in socket.getaddrinfo(self.host, self.port, type=socket.SOCK_STREAM):
            check_public(sockaddr[0], self.host)
        sock = super()._new_conn()  # type: ignore[misc]
        try:
            check_public(sock.getpeername()[0], self.host)
        except BlockedAddress:
            sock.close()
            raise
        return sock


class _GuardedHTTPConnection(_GuardedConnectionMixin, HTTPConnection):
    pass


class _GuardedHTTPSConnection(_GuardedConnectionMixin, HTTPSConnection):
    pass


class _GuardedHTTPConnectionPool(HTTPConnectionPool):
    ConnectionCls = _GuardedHTTPConnection


class _GuardedHTTPSConnectionPool(HTTPSConnectionPool):
    ConnectionCls = _GuardedHTTPSConnection


class _GuardedAdapter(HTTPAdapter):
    def init_poolmanager(self, *args, **kwargs) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": _GuardedHTTPConnectionPool,
            "https": _GuardedHTTPSConnectionPool,
        }


def make_session(settings: FetchSettings = FetchSettings(), *, allow_private: bool = False) -> requests.Session:
    """A pooled session with Newsdesk's User-Agent, retry policy and address guard."""
    retry = Retry(
        total=settings.retries,
        status_forcelist=RETRY_STATUSES,
        allowed_methods=frozenset({"GET", "HEAD"}),
        backoff_factor=settings.backoff_factor,
        backoff_jitter=settings.backoff_jitter,
        respect_retry_after_header=True,
        retry_after_max=settings.retry_after_max,
        raise_on_status=False,  # the last response is returned and logged with its status
    )
    adapter_class = HTTPAdapter if allow_private else _GuardedAdapter
    adapter = adapter_class(max_retries=retry, pool_connections=16, pool_maxsize=32)
    session = requests.Session()
    # Environment proxies would make the proxy the socket's peer and hide the
    # real destination from the address guard.
    session.trust_env = False
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers["User-Agent"] = USER_AGENT
    return session


# ---- politeness ---------------------------------------------------------------


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    return f"{scheme}://{(parts.hostname or '').lower()}:{parts.port or DEFAULT_PORTS.get(scheme, 0)}"


class HostSlots:
    """Per-host limits shared by threads: a connection semaphore and a start-to-start delay."""

    def __init__(self, connections: int, delay: float) -> None:
        self._connections = connections
        self._delay = delay
        self._lock = threading.Lock()
        self._semaphores: dict[str, threading.BoundedSemaphore] = {}
        self._next_start: dict[str, float] = defaultdict(float)
        self._delays: dict[str, float] = {}

    def set_delay(self, origin: str, seconds: float) -> None:
        with self._lock:
            self._delays[origin] = max(self._delay, seconds)

    def acquire(self, origin: str) -> threading.BoundedSemaphore:
        with self._lock:
            semaphore = self._semaphores.setdefault(origin, threading.BoundedSemaphore(self._connections))
        semaphore.acquire()
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next_start[origin])
            self._next_start[origin] = start + self._delays.get(origin, self._delay)
        if start > now:
            time.sleep(start - now)
        return semaphore


@dataclass
class Fetcher:
    """GETs URLs within `settings`; `allow_private` is set for local sources.

    Thread-safe: extract runs feeds and pages of a source through one fetcher
    from several threads, and the per-host limits hold across them.
    """

    settings: FetchSettings = field(default_factory=FetchSettings)
    allow_private: bool = False

    def __post_init__(self) -> None:
        self.session = make_session(self.settings, allow_private=self.allow_private)
        self._slots = HostSlots(self.settings.per_host_connections, self.settings.per_host_delay)
        self._robots: dict[str, Protego | None] = {}
        self._robots_lock = threading.Lock()

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def get(self, url: str, validators: Validators | None = None) -> FetchResult:
        """Fetch `url`, conditionally when `validators` are given (a 304 is an ok result).

        Failures (HTTP >= 400, timeouts, refused addresses, caps, robots.txt)
        come back as a result with error_class and error_message, keeping any
        body received.
        """
        fetched_at = datetime.now(UTC)
        started = time.monotonic()
        current, status, headers, content = url, None, {}, b""

        def result(error: Exception | None = None) -> FetchResult:
            return FetchResult(
                url=url,
                final_url=current,
                http_status=status,
                headers=headers,
                content=content,
                elapsed_ms=(time.monotonic() - started) * 1000,
                fetched_at=fetched_at,
                error_class=type(error).__name__ if error else None,
                error_message=str(error)[:1000] if error else None,
            )

        try:
            current, status, headers, content = self._follow(
                url, validators.request_headers() if validators else {}, started, obey_robots=self.settings.obey_robots
            )
            if 200 <= status < 300 or status == 304:
                return result()
            return result(requests.HTTPError(f"HTTP {status}"))
        except _Stopped as stopped:
            current, status, headers = stopped.url, stopped.status, stopped.headers
            return result(stopped.error)

    def _follow(
        self, url: str, extra_headers: dict[str, str], started: float, *, obey_robots: bool
    ) -> tuple[str, int, dict[str, str], bytes]:
        """GET `url`, following redirects by hand: final URL, status, headers and body."""
        current, status, headers = url, None, {}
        try:
            for _hop in range(self.settings.max_redirects + 1):
                self._check_allowed(current, obey_robots=obey_robots)
                status, headers, content, location = self._get_once(current, extra_headers, started)
                if location is None:
                    return current, status, headers, content
                current = urljoin(current, location)
            raise requests.TooManyRedirects(f"more than {self.settings.max_redirects} redirects, last to {current}")
        except (requests.RequestException, FetchError) as exc:
            raise _Stopped(exc, current, status, headers) from exc

    def _get_once(
        self, url: str, extra_headers: dict[str, str], started: float
    ) -> tuple[int, dict[str, str], bytes, str | None]:
        """One request under the host's limits: status, headers, body and a redirect target."""
        semaphore = self._slots.acquire(origin_of(url))
        try:
            with self.session.get(
                url,
                headers=extra_headers,
                stream=True,
                allow_redirects=False,
                timeout=(self.settings.connect_timeout, self.settings.read_timeout),
            ) as response:
                headers = {name.lower(): value for name, value in response.headers.items()}
                if response.status_code in REDIRECT_STATUSES and "location" in headers:
                    return response.status_code, headers, b"", headers["location"]
                body = self._read_body(response, deadline=started + self.settings.total_timeout)
                return response.status_code, headers, body, None
        finally:
            semaphore.release()

    def _check_allowed(self, url: str, *, obey_robots: bool) -> None:
        if urlsplit(url).scheme.lower() not in DEFAULT_PORTS:
            raise requests.exceptions.InvalidSchema(f"only http and https URLs are fetched, not {url!r}")
        if not urlsplit(url).hostname:
            raise requests.exceptions.InvalidURL(f"no host in {url!r}")
        if obey_robots:
            robots = self._robots_for(url)
            if robots is not None and not robots.can_fetch(url, ROBOTS_AGENT):
                raise RobotsDisallowed(f"robots.txt of {origin_of(url)} disallows {url}")

    def _robots_for(self, url: str) -> Protego | None:
        """The origin's parsed robots.txt, fetched once; None means no rules apply.

        As RFC 9309 says: a 4xx robots.txt (none there) allows everything, an
        unreachable one (5xx, network error) disallows everything for now.
        """
        origin = origin_of(url)
        with self._robots_lock:
            if origin in self._robots:
                return self._robots[origin]
        parts = urlsplit(url)
        robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
        robots: Protego | None = None
        try:
            _, status, _, body = self._follow(robots_url, {}, time.monotonic(), obey_robots=False)
        except _Stopped as stopped:
            if isinstance(stopped.error, BlockedAddress):
                raise stopped.error
            robots = _DISALLOW_ALL
        else:
            if status >= 500 or status == 429:
                robots = _DISALLOW_ALL
            elif 200 <= status < 300:
                robots = Protego.parse(body.decode("utf-8", errors="replace"))
                delay = robots.crawl_delay(ROBOTS_AGENT)
                if delay:
                    self._slots.set_delay(origin, min(float(delay), self.settings.max_crawl_delay))
        with self._robots_lock:
            self._robots[origin] = robots
        return robots

    def _read_body(self, response: requests.Response, *, deadline: float) -> bytes:
        cap = self.settings.max_bytes
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > cap:
            raise BodyTooLarge(f"Content-Length {declared} exceeds the {cap} byte cap")
        chunks, size = [], 0
        for chunk in response.iter_content(chunk_size=64 * 1024):
            size += len(chunk)
            if size > cap:
                raise BodyTooLarge(f"body exceeds the {cap} byte cap")
            if time.monotonic() > deadline:
                raise DeadlineExceeded(f"body not complete after {self.settings.total_timeout} s")
            chunks.append(chunk)
        return b"".join(chunks)
