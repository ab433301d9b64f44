"""Format sniffing from content, gzip, records from any payload, and the `newsdesk parse` command function."""

import gzip
import io
import json

import pytest

from newsdesk.collect.parse import EmptyPayload, FeedError, HostileXML, NotAFeed
from newsdesk.collect.records import ARTICLE_COLUMNS
from newsdesk.collect.sniff import (
    MAX_PAYLOAD_BYTES,
    CorruptGzip,
    PayloadTooLarge,
    UnrecognizedFormat,
    decompress_gzip,
    parse_main,
    records_from_payload,
    sniff_format,
)

RSS20 = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Demo</title><link>https://demo.example/</link>
<item><title>Dijk versterkt</title><link>https://demo.example/nieuws/1</link><guid>d-1</guid></item>
<item><title>Relatief</title><link>/nieuws/2</link></item>
</channel></rss>"""

RSS091 = b"""<?xml version="1.0"?>
<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">
<rss version="0.91"><channel><title>Old</title><link>https://old.example/</link><language>en-us</language>
<item><title>Old news</title><link>https://old.example/1</link></item></channel></rss>"""

RDF = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">
<channel rdf:about="https://rdf.example/"><title>RDF</title><link>https://rdf.example/</link></channel>
<item rdf:about="https://rdf.example/1"><title>RDF item</title><link>https://rdf.example/1</link></item>
</rdf:RDF>"""

ATOM10 = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="de"><title>Atom</title><id>urn:a</id>
<entry><title>Hochwasser am Rhein</title><link rel="alternate" href="https://atom.example/1"/><id>urn:a:1</id>
<updated>2026-11-02T08:00:00+01:00</updated></entry></feed>"""

ATOM03 = b"""<?xml version="1.0" encoding="utf-8"?>
<feed version="0.3" xmlns="http://purl.org/atom/ns#"><title>Atom 0.3</title>
<entry><title>Old Atom</title><link rel="alternate" type="text/html" href="https://atom03.example/1"/>
<id>tag:atom03.example,2005:1</id><issued>2005-01-01T00:00:00Z</issued></entry></feed>"""

JSON_FEED = json.dumps(
    {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "JSON",
        "items": [{"id": "j1", "url": "https://json.example/1", "title": "JSON item", "content_text": "Body."}],
    }
).encode()

NEWS_SITEMAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>https://map.example/1</loc><news:news><news:publication><news:name>Map</news:name>
<news:language>fr</news:language></news:publication><news:publication_date>2026-11-02</news:publication_date>
<news:title>La digue tient</news:title></news:news></url></urlset>"""

ARTICLE_PAGE = """<!DOCTYPE html>
<html lang="nl-NL"><head><meta charset="utf-8"><title>Dijk bij Zoë's dorp versterkt | Demo</title>
<link rel="canonical" href="https://demo.example/artikel/1">
<meta property="og:title" content="Dijk bij Zoë's dorp versterkt">
<meta name="description" content="Het waterschap is klaar met de dijk.">
<meta name="author" content="Els Jansen">
<meta property="article:published_time" content="2026-11-02T07:00:00+01:00">
</head><body><article><h1>Dijk bij Zoë's dorp versterkt</h1>
<p>De dijk langs de rivier bij het dorp is de afgelopen maanden over een lengte van vier kilometer versterkt,
meldt het waterschap. Bewoners hadden al jaren om de werkzaamheden gevraagd.</p>
<p>Volgens het waterschap is de dijk nu bestand tegen een waterstand die eens in de tienduizend jaar voorkomt.
De kosten bedroegen ruim twintig miljoen euro, betaald door het Rijk en de provincie samen.</p>
</article></body></html>""".encode()

AGGREGATOR_PAGE = """Kabinet valt over asielbeleid

  • 📰 NU.nl
  • ⏱ Reading Time:
  • 20 sec. here
  • 3 min. at publisher

Het kabinet is gevallen.

NU.nl /  🏆 3. in NL
""".encode()

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<rss version="2.0"><channel><title>&lol2;</title></channel></rss>"""

PAYLOADS = {
    "rss20": (RSS20, "rss", "rss20"),
    "rss091": (RSS091, "rss", "rss091n"),  # feedparser tells Netscape's 0.91 by its doctype
    "rdf": (RDF, "rdf", "rss10"),
    "atom10": (ATOM10, "atom", "atom10"),
    "atom03": (ATOM03, "atom", "atom03"),
    "jsonfeed": (JSON_FEED, "jsonfeed", "jsonfeed"),
    "sitemap": (NEWS_SITEMAP, "sitemap", "sitemap"),
    "html": (ARTICLE_PAGE, "html", "html"),
    "aggregator": (AGGREGATOR_PAGE, "aggregator", "aggregator"),
}


@pytest.mark.parametrize("name", PAYLOADS)
def test_format_is_sniffed_from_content_also_when_gzipped(name):
    payload, sniffed, _ = PAYLOADS[name]
    assert sniff_format(payload) == sniffed
    assert sniff_format(gzip.compress(payload)) == sniffed + "+gzip"


@pytest.mark.parametrize("name", PAYLOADS)
def test_every_format_gives_its_record(name):
    payload, _, format_name = PAYLOADS[name]
    url = "https://nu.nl/artikel/9" if name == "aggregator" else "https://feeds.example/in"
    fmt, records, _rejects = records_from_payload(gzip.compress(payload), source_id="demo", url=url)
    assert fmt == format_name + "+gzip"
    assert records and all(list(record) == list(ARTICLE_COLUMNS) for record in records)
    assert all(record["source_id"] == "demo" and record["url"].startswith("https://") for record in records)


@pytest.mark.parametrize(
    ("payload", "sniffed"),
    [
        (RSS20.decode().encode("utf-16"), "rss"),  # with BOM
        (RSS20.decode().replace("utf-8", "utf-16be").encode("utf-16-be"), "rss"),  # without
        (b"\xef\xbb\xbf" + ATOM10, "atom"),
        # A feed carrying an XHTML doctype is still the feed its root says.
        (b'<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0//EN" "x.dtd"><!-- c --><rss><channel/></rss>', "rss"),
        (b"<!-- [if IE]><html class=ie><![endif]--><HTML><body>x</body></HTML>", "html"),
        (b"<?xml version='1.0'?><catalog><book/></catalog>", "xml"),
    ],
)
def test_sniffing_sees_through_encodings_and_prologs(payload, sniffed):
    assert sniff_format(payload) == sniffed


def test_html_page_record_uses_the_canonical_link_and_the_pages_own_values():
    fmt, records, rejects = records_from_payload(ARTICLE_PAGE, source_id="demo", url="file:///tmp/page.html")
    assert (fmt, rejects, len(records)) == ("html", [], 1)
    record = records[0]
    assert record["url"] == "https://demo.example/artikel/1"
    assert record["title"] == "Dijk bij Zoë's dorp versterkt"
    assert record["summary"] == "Het waterschap is klaar met de dijk."
    assert record["language"] == "nl"
    assert record["author"] == "Els Jansen"
    assert record["published_at"] == "2026-11-02T06:00:00Z"
    assert "tienduizend jaar" in record["body"]


def test_html_page_record_prefers_the_given_url():
    _fmt, records, _ = records_from_payload(ARTICLE_PAGE, source_id="demo", url="https://mirror.example/a?utm_source=x")
    assert records[0]["url"] == "https://mirror.example/a"


def test_relative_links_resolve_only_against_an_http_url():
    _fmt, records, rejects = records_from_payload(RSS20, source_id="demo", url="file:///tmp/feed.xml")
    assert [r["url"] for r in records] == ["https://demo.example/nieuws/1"]
    assert [r["reason"] for r in rejects] == ["missing link"]
    assert rejects[0]["item_ref"].endswith("/nieuws/2")
    _fmt, records, rejects = records_from_payload(RSS20, source_id="demo", url="https://demo.example/feed.xml")
    assert [r["url"] for r in records] == ["https://demo.example/nieuws/1", "https://demo.example/nieuws/2"]


def test_no_registry_language_is_invented_for_a_payload_of_unknown_origin():
    # Too short for RecordBuilder's detection, and no registry default to fall back on.
    _fmt, records, _ = records_from_payload(RSS20, source_id="demo", url=None)
    assert records[0]["language"] is None
    assert records[0]["feed_url"] is None
    _fmt, records, _ = records_from_payload(RSS091, source_id="demo", url=None)
    assert records[0]["language"] == "en"


@pytest.mark.parametrize(
    ("payload", "error"),
    [
        (b"", EmptyPayload),
        (b" \n\t ", EmptyPayload),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR binary", UnrecognizedFormat),
        (b"Just some notes.\nNothing to see here.\n", UnrecognizedFormat),
        (b'{"version": "1.0", "items": []}', NotAFeed),
        (b"<?xml version='1.0'?><catalog><book/></catalog>", NotAFeed),
        (BILLION_LAUGHS, HostileXML),
        (b'<!DOCTYPE bomb [<!ENTITY a "aaaa">]><bomb>&a;</bomb>', HostileXML),
        (b'<!DOCTYPE html [<!ENTITY a "aaaa">]><html><body>&a;</body></html>', HostileXML),
        (gzip.compress(BILLION_LAUGHS), HostileXML),
        (b"\x1f\x8b\x08\x00not really gzip", CorruptGzip),
        (gzip.compress(RSS20)[:-12], CorruptGzip),
    ],
)
def test_unreadable_payloads_are_refused_with_a_reason(payload, error):
    with pytest.raises(error) as refused:
        records_from_payload(payload, source_id="demo", url=None)
    assert isinstance(refused.value, FeedError)
    assert str(refused.value)


def test_gzip_is_decompressed_only_up_to_the_cap():
    assert decompress_gzip(gzip.compress(b"a" * 100), limit=100) == b"a" * 100
    with pytest.raises(PayloadTooLarge):
        decompress_gzip(gzip.compress(b"a" * 101), limit=100)


def test_a_gzip_bomb_is_refused():
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb") as bomb:
        for _ in range(MAX_PAYLOAD_BYTES // (1 << 20) + 1):
            bomb.write(bytes(1 << 20))
    assert len(buffer.getvalue()) < 1 << 20  # a small file that expands past the cap
    with pytest.raises(PayloadTooLarge):
        records_from_payload(buffer.getvalue(), source_id="demo", url=None)


# ---- the command ------------------------------------------------------------


def run_parse(paths, *, source_id=None, url=None):
    stdout, stderr = io.StringIO(), io.StringIO()
    status = parse_main([str(path) for path in paths], source_id=source_id, url=url, stdout=stdout, stderr=stderr)
    return status, stdout.getvalue().splitlines(), stderr.getvalue().splitlines()


def test_command_writes_json_lines_and_reports_rejects_on_stderr(tmp_path):
    feed = tmp_path / "Demo Feed.rss.gz"  # the name says nothing true about the format
    feed.write_bytes(gzip.compress(ATOM10 + b"\n"))
    rss = tmp_path / "news.json"
    rss.write_bytes(RSS20)
    status, out, err = run_parse([feed, rss])
    assert status == 0
    records = [json.loads(line) for line in out]
    assert [(r["source_id"], r["url"], r["language"]) for r in records] == [
        ("demo-feed", "https://atom.example/1", "de"),
        ("news", "https://demo.example/nieuws/1", None),
    ]
    assert all(list(record) == list(ARTICLE_COLUMNS) for record in records)
    assert records[1]["feed_url"] == rss.resolve().as_uri()
    assert len(err) == 1
    assert err[0].startswith(f"newsdesk parse: {rss}: rejected: ")
    assert "/nieuws/2: missing link: " in err[0]


def test_command_options_set_source_and_base_url(tmp_path):
    rss = tmp_path / "feed.xml"
    rss.write_bytes(RSS20)
    status, out, err = run_parse([rss], source_id="demo", url="https://demo.example/feed.xml")
    assert (status, err) == (0, [])
    assert [(json.loads(line)["source_id"], json.loads(line)["url"]) for line in out] == [
        ("demo", "https://demo.example/nieuws/1"),
        ("demo", "https://demo.example/nieuws/2"),
    ]


@pytest.mark.parametrize(
    ("content", "error_class"),
    [
        (b"", "EmptyPayload"),
        (b"Lorem ipsum dolor sit amet.\n", "UnrecognizedFormat"),
        (bytes(range(256)) * 4, "UnrecognizedFormat"),
        (BILLION_LAUGHS, "HostileXML"),
        (b"<?xml version='1.0'?><catalog><book/></catalog>", "NotAFeed"),
        (gzip.compress(ATOM10)[:40], "CorruptGzip"),
    ],
)
def test_command_refuses_bad_input_with_one_line_and_keeps_the_other_files(tmp_path, content, error_class):
    bad = tmp_path / "bad.xml"
    bad.write_bytes(content)
    good = tmp_path / "good.xml"
    good.write_bytes(ATOM10)
    status, out, err = run_parse([bad, good])
    assert status == 1
    assert [json.loads(line)["url"] for line in out] == ["https://atom.example/1"]
    assert len(err) == 1
    assert err[0].startswith(f"newsdesk parse: {bad}: {error_class}: ")
    assert len(err[0]) > len(f"newsdesk parse: {bad}: {error_class}: ")


def test_command_usage_errors_exit_2(tmp_path):
    status, out, err = run_parse([tmp_path / "missing.xml"])
    assert (status, out) == (2, [])
    assert err == [f"newsdesk parse: {tmp_path / 'missing.xml'}: FileNotFoundError: No such file or directory"]
    assert run_parse([])[0] == 2


def test_command_refuses_a_file_over_the_fetch_cap_unless_raised(tmp_path):
    assert MAX_PAYLOAD_BYTES == 10 * 1024 * 1024  # the fetcher's body cap
    feed = tmp_path / "big.xml"
    feed.write_bytes(RSS20)
    stdout, stderr = io.StringIO(), io.StringIO()
    status = parse_main([str(feed)], source_id=None, url=None, stdout=stdout, stderr=stderr, max_bytes=len(RSS20) - 1)
    assert status == 1 and stdout.getvalue() == ""
    assert f"PayloadTooLarge: more than {len(RSS20) - 1} bytes (--max-bytes raises the cap)" in stderr.getvalue()
    status = parse_main([str(feed)], source_id=None, url=None, stdout=stdout, stderr=stderr, max_bytes=len(RSS20))
    assert status == 0 and stdout.getvalue().strip()
