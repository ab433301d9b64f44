"""Registry files load, and bad entries are refused with the source named."""

from __future__ import annotations

from datetime import date

import pytest

from newsdesk.collect.registries import REAL
from newsdesk.collect.registry import RegistryError, load_registry


def test_real_registry_covers_four_countries_with_nos_and_nunl():
    sources = load_registry(REAL)
    ids = {s.id for s in sources}
    assert {"nos", "nunl"} <= ids
    assert len({s.country for s in sources}) >= 4
    assert not any(s.local for s in sources)
    assert all(f.url.startswith("https://") for s in sources for f in s.feeds)


def test_date_placeholder_is_filled(tmp_path):
    path = tmp_path / "r.yaml"
    path.write_text(
        "sources:\n  - {id: a, name: A, country: nl, language: NL, homepage: 'http://x/',"
        " local: true, feeds: [{url: 'http://127.0.0.1:8642/{date}/rss.xml', kind: rss}]}\n",
        encoding="utf-8",
    )
    (source,) = load_registry(path)
    assert (source.country, source.language, source.local) == ("NL", "nl", True)
    assert source.feeds[0].url_for(date(2026, 11, 24)) == "http://127.0.0.1:8642/2026-11-24/rss.xml"


@pytest.mark.parametrize(
    "entry, message",
    [
        ("{id: a, name: A, country: NL, language: nl, homepage: h, feeds: []}", "source 'a': no feeds"),
        ("{id: a, name: A, country: NLD, language: nl, homepage: h, feeds: [{url: u, kind: rss}]}", "ISO 3166-1"),
        ("{id: a, name: A, country: NL, language: nl, homepage: h, feeds: [{url: u, kind: html}]}", "feed kind 'html'"),
        ("{id: A B, name: A, country: NL, language: nl, homepage: h, feeds: [{url: u, kind: rss}]}", "id must match"),
        ("{name: A, country: NL, language: nl, homepage: h, feeds: [{url: u, kind: rss}]}", "source #1: missing 'id'"),
        (
            "{id: a, name: A, country: NL, language: nl, homepage: h, tracking_params: ito, feeds: [{url: u, kind: rss}]}",
            "source 'a': 'tracking_params' must be a list",
        ),
        (
            "{id: a, name: A, country: NL, language: nl, homepage: h, short_links: [''], feeds: [{url: u, kind: rss}]}",
            "source 'a': 'short_links' must be a list of non-empty strings",
        ),
        # a quoted boolean is a string, and "false" would read as true
        (
            "{id: a, name: A, country: NL, language: nl, homepage: h, local: 'false', feeds: [{url: u, kind: rss}]}",
            "source 'a': 'local' must be true or false .* got 'false'",
        ),
        (
            "{id: a, name: A, country: NL, language: nl, homepage: h, fetch_pages: 'no', feeds: [{url: u, kind: rss}]}",
            "source 'a': 'fetch_pages' must be true or false .* got 'no'",
        ),
        (
            "{id: a, name: A, country: NL, language: nl, homepage: h, local: 1, feeds: [{url: u, kind: rss}]}",
            "source 'a': 'local' must be true or false",
        ),
        # local opens loopback only, so a local source naming any other host is refused
        (
            "{id: a, name: A, country: NL, language: nl, homepage: h, local: true,"
            " feeds: [{url: 'http://127.0.0.1:8642/rss.xml', kind: rss}, {url: 'http://10.0.0.1/rss.xml', kind: rss}]}",
            "source 'a': a local source may only name loopback hosts .* names '10.0.0.1'",
        ),
        (
            "{id: a, name: A, country: NL, language: nl, homepage: h, local: true,"
            " feeds: [{url: 'https://intranet.example/rss.xml', kind: rss}]}",
            "source 'a': a local source may only name loopback hosts .* names 'intranet.example'",
        ),
    ],
)
def test_bad_entries_are_refused(tmp_path, entry, message):
    path = tmp_path / "r.yaml"
    path.write_text(f"sources:\n  - {entry}\n", encoding="utf-8")
    with pytest.raises(RegistryError, match=message):
        load_registry(path)


def test_per_source_url_rules_load_and_survive_a_dump(tmp_path):
    from newsdesk.collect.registry import dump_registry

    path = tmp_path / "r.yaml"
    path.write_text(
        "sources:\n  - {id: a, name: A, country: GB, language: en, homepage: 'https://a.example/',"
        " tracking_params: [ITO, ns_mchannel], short_links: [a.to, '127.0.0.1:8642/go/'],"
        " feeds: [{url: 'https://a.example/rss', kind: rss}]}\n",
        encoding="utf-8",
    )
    (source,) = load_registry(path)
    assert source.tracking_params == frozenset({"ito", "ns_mchannel"})
    assert source.short_links == ("a.to", "127.0.0.1:8642/go/")
    dump_registry([source], tmp_path / "again.yaml")
    assert load_registry(tmp_path / "again.yaml") == [source]


def test_local_sources_may_name_loopback_hosts(tmp_path):
    path = tmp_path / "r.yaml"
    feeds = ", ".join(
        f"{{url: '{url}', kind: rss}}"
        for url in (
            "http://127.0.0.1:8642/a.xml",
            "http://127.3.4.5/b.xml",
            "http://localhost:1/c.xml",
            "http://[::1]/d.xml",
        )
    )
    path.write_text(
        f"sources:\n  - {{id: a, name: A, country: NL, language: nl, homepage: h, local: true, fetch_pages: false,"
        f" feeds: [{feeds}]}}\n",
        encoding="utf-8",
    )
    (source,) = load_registry(path)
    assert source.local is True and source.fetch_pages is False and len(source.feeds) == 4
