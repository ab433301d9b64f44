"""HTTP GET with Newsdesk's limits, returning what happened instead of raising.

`Fetcher` owns one pooled `requests.Session` and adds what a session lacks:

- retries of 429, 5xx and errors before a response arrives, with exponential
  backoff and jitter, honouring Retry-After; each attempt waits for its host
  slot like any request, so retries stay polite;
- an address guard on every connection: the socket's peer address, after DNS
  resolution, must be public (no loopback, private, link-local or
  cloud-metadata address), and for a source marked local, loopback and
  nothing else; checked where the connection is made, so redirects and DNS
  rebinding cannot slip past it;
- redirects followed by hand, at most `max_redirects`;
- a body cap enforced while streaming, and a deadline for the whole response
  (counted from when the host slot is granted, checked after every read);
- conditional GET from stored ETag / Last-Modified validators;
- robots.txt (RFC 9309, parsed by protego), cached per origin;
- politeness per host: at most `per_host_connections` requests at once and
  at least `per_host_delay` seconds (or the robots.txt Crawl-delay) between
  request starts, shared by every thread using the fetcher.
"""

from __future__ import annotations

import ipaddress
import random
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
from urllib3.exceptions import DecodeError, ProtocolError, ReadTimeoutError
from urllib3.exceptions import SSLError as Urllib3SSLError
from urllib3.util.retry import Retry

from newsdesk import __version__

USER_AGENT = f"Newsdesk/{__version__} (news-article warehouse; +https://github.com/newsdesk/newsdesk)"
ROBOTS_AGENT = "Newsdesk"  # the product token robots.txt groups are matched against
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
DEFAULT_PORTS = {"http": 80, "https": 443}
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_DISALLOW_ALL = Protego.parse("User-agent: *\nDisallow: /\n")


@dataclass(frozen=True)
class FetchSettings:
    connect_timeout: float = 5.0
    read_timeout: float = 20.0  # longest silence between two reads
    total_timeout: float = 60.0  # a whole response, however slowly it trickles in
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    retries: int = 3
    backoff_factor: float = 0.5  # waits 0.5 s, 1 s, 2 s ... between attempts (or Retry-After, if longer)
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


class _NoResponse(Exception):
    """A request that failed before any response arrived: the kind worth retrying."""

    def __init__(self, error: requests.RequestException) -> None:
        super().__init__(str(error))
        self.error = error


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
    and reserved ranges, also when written as IPv4-mapped, 6to4, Teredo or
    NAT64 IPv6.
    """
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        # IPv6 forms that carry an IPv4 address reach that address: judge it instead.
        if ip.ipv4_mapped or ip.sixtofour or ip.teredo:
            ip = ip.ipv4_mapped or ip.sixtofour or ip.teredo[1]
        elif ip in _NAT64:
            ip = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if not ip.is_global or ip.is_multicast:
        where = f"{host} resolves to {ip}" if host != str(ip) else host
        raise BlockedAddress(f"{where}, a non-public address; only sources marked local may fetch it (loopback only)")


def check_loopback(address: str, host: str) -> None:
    """Raise BlockedAddress unless `address` is a loopback address (also written as IPv4-mapped IPv6)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if not ip.is_loopback:
        where = f"{host} resolves to {ip}" if host != str(ip) else host
        raise BlockedAddress(f"{where}, not a loopback address; a source marked local may fetch loopback only")


def _check_address(address: str, host: str, *, local: bool) -> None:
    # looked up on each call, so a test can stand a loopback server in for a public host
    (check_loopback if local else check_public)(address, host)


class _GuardedConnectionMixin:
    """Checks every address the host resolves to before connecting, and the
    connected peer after, so a DNS answer that changes in between (rebinding)
    is caught before a byte of the request is sent. `local`: loopback only,
    else public only."""

    host: str
    port: int
    local: bool

    def _new_conn(self) -> socket.socket:
        for *_, sockaddr in socket.getaddrinfo(self.host, self.port, type=socket.SOCK_STREAM):
            _check_address(sockaddr[0], self.host, local=self.local)
        sock = super()._new_conn()  # type: ignore[misc]
        try:
            _check_address(sock.getpeername()[0], self.host, local=self.local)
        except BlockedAddress:
            sock.close()
            raise
        return sock


def _guarded_pools(*, local: bool) -> dict[str, type]:
    """urllib3 connection pools, by scheme, whose connections check addresses as `local` says."""
    guard = {"local": local}
    http = type("GuardedHTTPConnection", (_GuardedConnectionMixin, HTTPConnection), guard)
    https = type("GuardedHTTPSConnection", (_GuardedConnectionMixin, HTTPSConnection), guard)
    return {
        "http": type("GuardedHTTPConnectionPool", (HTTPConnectionPool,), {"ConnectionCls": http}),
        "https": type("GuardedHTTPSConnectionPool", (HTTPSConnectionPool,), {"ConnectionCls": https}),
    }


_GUARDED_POOLS = {local: _guarded_pools(local=local) for local in (False, True)}


class _GuardedAdapter(HTTPAdapter):
    def __init__(self, *, local: bool, **kwargs) -> None:
        self.local = local  # before HTTPAdapter.__init__, which calls init_poolmanager
        super().__init__(**kwargs)

    def init_poolmanager(self, *args, **kwargs) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = _GUARDED_POOLS[self.local]


def make_session(*, local: bool = False) -> requests.Session:
    """A pooled session with Newsdesk's User-Agent and address guard (`local`: loopback only); retries are the fetcher's."""
    adapter = _GuardedAdapter(local=local, max_retries=0, pool_connections=16, pool_maxsize=32)
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
    """GETs URLs within `settings`; `local` (a source marked local) allows loopback addresses only.

    Thread-safe: extract runs feeds and pages of a source through one fetcher
    from several threads, and the per-host limits hold across them.
    """

    settings: FetchSettings = field(default_factory=FetchSettings)
    local: bool = False

    def __post_init__(self) -> None:
        self.session = make_session(local=self.local)
        self._slots = HostSlots(self.settings.per_host_connections, self.settings.per_host_delay)
        self._robots: dict[str, tuple[Protego | None, str]] = {}
        self._robots_locks: dict[str, threading.Lock] = defaultdict(threading.Lock)
        self._lock = threading.Lock()

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
                url, validators.request_headers() if validators else {}, obey_robots=self.settings.obey_robots
            )
            if 200 <= status < 300 or status == 304:
                return result()
            return result(requests.HTTPError(f"HTTP {status}"))
        except _Stopped as stopped:
            current, status, headers = stopped.url, stopped.status, stopped.headers
            return result(stopped.error)

    def _follow(
        self, url: str, conditional_headers: dict[str, str], *, obey_robots: bool
    ) -> tuple[str, int, dict[str, str], bytes]:
        """GET `url`, following redirects by hand: final URL, status, headers and body."""
        current, status, headers = url, None, {}
        try:
            for hop in range(self.settings.max_redirects + 1):
                self._check_allowed(current, obey_robots=obey_robots)
                # Validators describe the URL asked for, not wherever it redirects to.
                status, headers, content, location = self._get_with_retries(
                    current, conditional_headers if hop == 0 else {}
                )
                if location is None:
                    return current, status, headers, content
                current = urljoin(current, location)
            raise requests.TooManyRedirects(f"more than {self.settings.max_redirects} redirects, last to {current}")
        except (requests.RequestException, FetchError) as exc:
            raise _Stopped(exc, current, getattr(exc, "http_status", status), headers) from exc

    def _get_with_retries(
        self, url: str, extra_headers: dict[str, str]
    ) -> tuple[int, dict[str, str], bytes, str | None]:
        """One hop, retried on 429, 5xx and errors before a response, with backoff and jitter."""
        for attempt in range(self.settings.retries + 1):
            last = attempt == self.settings.retries
            try:
                status, headers, body, location = self._get_once(url, extra_headers)
            except _NoResponse as failed:
                if last:
                    raise failed.error from None
                wait = self._backoff(attempt)
            else:
                if status not in RETRY_STATUSES or last:
                    return status, headers, body, location
                wait = max(self._backoff(attempt), self._retry_after(headers.get("retry-after")))
            time.sleep(wait)
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _backoff(self, attempt: int) -> float:
        return self.settings.backoff_factor * 2**attempt + random.uniform(0, self.settings.backoff_jitter)

    def _retry_after(self, value: str | None) -> float:
        """Seconds a Retry-After header (seconds or an HTTP date) asks for, cut to retry_after_max."""
        if not value:
            return 0.0
        try:
            seconds = Retry().parse_retry_after(value)
        except Exception:  # urllib3 raises InvalidHeader for a value it cannot read: ignore the header
            return 0.0
        return min(seconds, self.settings.retry_after_max)

    def _get_once(self, url: str, extra_headers: dict[str, str]) -> tuple[int, dict[str, str], bytes, str | None]:
        """One request under the host's limits: status, headers, body and a redirect target."""
        semaphore = self._slots.acquire(origin_of(url))
        try:
            try:
                response = self.session.get(
                    url,
                    headers=extra_headers,
                    stream=True,
                    allow_redirects=False,
                    timeout=(self.settings.connect_timeout, self.settings.read_timeout),
                )
            except (requests.ConnectionError, requests.Timeout) as exc:
                raise _NoResponse(exc) from exc
            with response:
                headers = {name.lower(): value for name, value in response.headers.items()}
                if response.status_code in REDIRECT_STATUSES and "location" in headers:
                    return response.status_code, headers, b"", headers["location"]
                try:
                    body = self._read_body(response, deadline=time.monotonic() + self.settings.total_timeout)
                except (requests.RequestException, FetchError) as exc:
                    exc.http_status = response.status_code  # the result still says what the server answered
                    raise
                return response.status_code, headers, body, None
        finally:
            semaphore.release()

    def _check_allowed(self, url: str, *, obey_robots: bool) -> None:
        if urlsplit(url).scheme.lower() not in DEFAULT_PORTS:
            raise requests.exceptions.InvalidSchema(f"only http and https URLs are fetched, not {url!r}")
        if not urlsplit(url).hostname:
            raise requests.exceptions.InvalidURL(f"no host in {url!r}")
        if obey_robots:
            robots, why = self._robots_for(url)
            if robots is not None and not robots.can_fetch(url, ROBOTS_AGENT):
                raise RobotsDisallowed(f"{why} of {origin_of(url)} disallows {url}")

    def _robots_for(self, url: str) -> tuple[Protego | None, str]:
        """The origin's robots.txt rules, fetched once, and where they came from; None allows all.

        As RFC 9309 says: a 4xx robots.txt (none there) allows everything, a
        5xx one disallows everything. A network error is raised as it is,
        since the URL itself could not be fetched either, and is not cached.
        """
        origin = origin_of(url)
        with self._lock:
            origin_lock = self._robots_locks[origin]
        with origin_lock:  # one fetch of robots.txt per origin, however many threads ask at once
            if origin in self._robots:
                return self._robots[origin]
            parts = urlsplit(url)
            robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
            try:
                _, status, _, body = self._follow(robots_url, {}, obey_robots=False)
            except _Stopped as stopped:
                raise stopped.error from None
            rules: tuple[Protego | None, str] = (None, "no robots.txt")
            if status >= 500 or status == 429:
                rules = (_DISALLOW_ALL, f"robots.txt answering HTTP {status} (taken as disallow-all, RFC 9309)")
            elif 200 <= status < 300:
                robots = Protego.parse(body.decode("utf-8", errors="replace"))
                rules = (robots, "robots.txt")
                delay = robots.crawl_delay(ROBOTS_AGENT)
                if delay:
                    self._slots.set_delay(origin, min(float(delay), self.settings.max_crawl_delay))
            self._robots[origin] = rules
        return rules

    def _read_body(self, response: requests.Response, *, deadline: float) -> bytes:
        """The decoded body, read as it arrives so the cap and the deadline are checked after every read."""
        cap = self.settings.max_bytes
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > cap:
            raise BodyTooLarge(f"Content-Length {declared} exceeds the {cap} byte cap")
        chunks, size = [], 0
        for chunk in _read_as_it_arrives(response):
            size += len(chunk)
            if size > cap:
                raise BodyTooLarge(f"body exceeds the {cap} byte cap")
            if time.monotonic() > deadline:
                raise DeadlineExceeded(f"body not complete after {self.settings.total_timeout} s")
            chunks.append(chunk)
        return b"".join(chunks)


def _read_as_it_arrives(response: requests.Response, size: int = 64 * 1024):
    """Decoded chunks of at most `size` bytes, each returned as soon as the socket has data.

    `iter_content` waits until a whole chunk has arrived, so a body that
    trickles in would pass the deadline unseen; urllib3's read1 does not wait.
    Errors are mapped to requests' exceptions as `iter_content` maps them,
    except that a read timeout stays a ReadTimeout.
    """
    try:
        while chunk := response.raw.read1(size, decode_content=True):
            yield chunk
    except ProtocolError as exc:
        raise requests.exceptions.ChunkedEncodingError(exc) from exc
    except DecodeError as exc:
        raise requests.exceptions.ContentDecodingError(exc) from exc
    except ReadTimeoutError as exc:  # iter_content says ConnectionError; the log should say what happened
        raise requests.exceptions.ReadTimeout(exc) from exc
    except Urllib3SSLError as exc:
        raise requests.exceptions.SSLError(exc) from exc
