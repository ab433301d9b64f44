"""HTTP GET with Newsdesk's limits, returning what happened instead of raising.

One pooled `requests.Session` (see `make_session`) retries 429, 5xx and
connection errors with exponential backoff, honouring Retry-After. `Fetcher`
adds what a session lacks: redirects followed by hand so every hop passes the
address guard (no loopback, private, link-local or cloud-metadata addresses
unless the source is marked local), a body cap enforced while streaming, and
a deadline for the whole response. Conditional GET, robots.txt and per-host
politeness belong in `Fetcher.get` too, when they come.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

USER_AGENT = "Newsdesk/0.1 (+https://github.com/newsdesk)"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True)
class FetchSettings:
    connect_timeout: float = 5.0
    read_timeout: float = 20.0  # longest silence between two reads
    total_timeout: float = 60.0  # a whole response, however slowly it trickles in
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    retries: int = 3
    backoff_factor: float = 0.5  # waits 0.5 s, 1 s, 2 s ... between attempts
    retry_after_max: int = 60  # a longer Retry-After is cut to this


class FetchError(Exception):
    """A fetch stopped by one of Newsdesk's own limits; the class name is the logged error_class."""


class BlockedAddress(FetchError):
    """The host resolves to an address that only a local source may fetch."""


class BodyTooLarge(FetchError):
    """The body exceeds the configured size cap."""


class DeadlineExceeded(FetchError):
    """The whole response took longer than the total timeout."""


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


def make_session(settings: FetchSettings = FetchSettings()) -> requests.Session:
    """A pooled session with Newsdesk's User-Agent and retry policy."""
    retry = Retry(
        total=settings.retries,
        status_forcelist=RETRY_STATUSES,
        allowed_methods=frozenset({"GET", "HEAD"}),
        backoff_factor=settings.backoff_factor,
        respect_retry_after_header=True,
        retry_after_max=settings.retry_after_max,
        raise_on_status=False,  # the last response is returned and logged with its status
    )
    adapter = HTTPAdapter(max_retries=retry, pool_connections=16, pool_maxsize=16)
    session = requests.Session()
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers["User-Agent"] = USER_AGENT
    return session


def ensure_public_address(url: str) -> None:
    """Raise BlockedAddress unless every address the URL's host resolves to is public.

    Covers loopback, RFC 1918 and other private ranges, link-local (which holds
    the 169.254.169.254 cloud metadata service), unique-local IPv6, multicast
    and reserved ranges, also when written as IPv4-mapped IPv6.
    """
    parts = urlsplit(url)
    host = parts.hostname
    if not host:
        raise requests.exceptions.InvalidURL(f"no host in {url!r}")
    try:
        port = parts.port or DEFAULT_PORTS[parts.scheme.lower()]
        addresses = {info[4][0] for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)}
    except (socket.gaierror, UnicodeError, ValueError) as exc:
        raise requests.exceptions.ConnectionError(f"cannot resolve {host!r}: {exc}") from exc
    for text in sorted(addresses):
        address = ipaddress.ip_address(text.split("%", 1)[0])
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
            address = address.ipv4_mapped
        if not address.is_global or address.is_multicast:
            where = f"{host} resolves to {address}" if host != str(address) else host
            raise BlockedAddress(f"{where}, a non-public address; only sources marked local may fetch it")


@dataclass
class Fetcher:
    """GETs URLs through `session` within `settings`; `allow_private` is set for local sources."""

    session: requests.Session
    settings: FetchSettings = field(default_factory=FetchSettings)
    allow_private: bool = False

    def get(self, url: str) -> FetchResult:
        """Fetch `url`. Failures (HTTP >= 400, timeouts, refused addresses, caps) come back
        as a result with error_class and error_message, keeping any body received."""
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
            for _hop in range(self.settings.max_redirects + 1):
                self._check(current)
                with self.session.get(
                    current,
                    stream=True,
                    allow_redirects=False,
                    timeout=(self.settings.connect_timeout, self.settings.read_timeout),
                ) as response:
                    status = response.status_code
                    headers = {name.lower(): value for name, value in response.headers.items()}
                    if status in REDIRECT_STATUSES and "location" in headers:
                        current = urljoin(current, headers["location"])
                        continue
                    content = self._read_body(response, deadline=started + self.settings.total_timeout)
                if 200 <= status < 300:
                    return result()
                return result(requests.HTTPError(f"HTTP {status} {response.reason or ''}".strip()))
            raise requests.TooManyRedirects(f"more than {self.settings.max_redirects} redirects, last to {current}")
        except (requests.RequestException, FetchError) as exc:
            return result(exc)

    def _check(self, url: str) -> None:
        if urlsplit(url).scheme.lower() not in DEFAULT_PORTS:
            raise requests.exceptions.InvalidSchema(f"only http and https URLs are fetched, not {url!r}")
        if not self.allow_private:
            ensure_public_address(url)

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
