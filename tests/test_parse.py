"""Feed payloads to entries and records: formats, encodings, bad items, hostile XML, real feeds."""

import re
import tracemalloc

import pytest

from newsdesk.collect.parse import EmptyPayload, FeedError, HostileXML, NotAFeed, parse_feed
from newsdesk.collect.records import ItemRejected, RecordBuilder
from newsdesk.collect.registry import Source

SOURCE = Source(id="demo", name="Demo", country="NL", language="nl", homepage="https://demo.example/")
FETCHED_AT = "2026-11-02T06:00:00Z"


def build(payload: bytes, *, kind: str = "rss", headers=None, category: str | None = "general"):
    """Records and rejects of one feed payload, as one source-run would make them."""
    feed_url = "https://demo.example/feed.xml"
    parsed = parse_feed(payload, kind=kind, headers=headers)
    builder = RecordBuilder(SOURCE)
    records, rejects = [], []
    for entry in parsed.entries:
        try:
            record = builder.build(
                entry, feed_url=feed_url, feed_language=parsed.language, category=category, fetched_at=FETCHED_AT
            )
            records.append(record)
        except ItemRejected as rejected:
            rejects.append(rejected.row(SOURCE.id, feed_url))
    return parsed, records, rejects


RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:media="http://search.yahoo.com/mrss/">
<channel>
  <title>Demo Nieuws</title><link>https://demo.example/</link><language>nl-NL</language>
  <item>
    <title>Oekraïne: overleg in Genève</title>
    <link>https://Demo.example/nieuws/1?utm_source=rss#top</link>
    <guid isPermaLink="false">demo-1</guid>
    <description>&lt;p&gt;Korte &lt;b&gt;samenvatting&lt;/b&gt;.&lt;/p&gt;</description>
    <content:encoded><![CDATA[<p>Eerste alinea.</p><p>Tweede alinea.</p>]]></content:encoded>
    <pubDate>Mon, 02 Nov 2026 08:15:00 +0100</pubDate>
    <author>redactie@demo.example (Jan de Vries)</author>
    <category>Buitenland</category>
    <media:content url="https://img.demo.example/1.jpg" medium="image"/>
  </item>
  <item>
    <title>Tweede bericht</title>
    <link>/nieuws/2</link>
  </item>
</channel>
</rss>""".encode()


def test_rss2_item_becomes_a_full_record():
    parsed, records, rejects = build(RSS)
    assert (parsed.format, parsed.encoding, parsed.language, rejects) == ("rss20", "utf-8", "nl", [])
    assert records[0] == {
        "source_id": "demo",
        "feed_url": "https://demo.example/feed.xml",
        "url": "https://demo.example/nieuws/1",
        "guid": "demo-1",
        "title": "Oekraïne: overleg in Genève",
        "summary": "Korte samenvatting.",
        "body": "Eerste alinea.\nTweede alinea.",
        "author": "Jan de Vries",
        "published_at": "2026-11-02T07:15:00Z",
        "updated_at": None,
        "language": "nl",
        "category": "Buitenland",
        "image_url": "https://img.demo.example/1.jpg",
        "fetched_at": FETCHED_AT,
        "content_hash": records[0]["content_hash"],
        "feed_link": "https://Demo.example/nieuws/1?utm_source=rss#top",
        "media_kind": None,
        "language_declared": "nl",
        "language_detected": None,  # a title this short says too little
        "published_at_source": "feed",
        "body_source": "feed",
    }
    assert len(records[0]["content_hash"]) == 64
    # fields the feed does not give stay null; relative links resolve against the feed
    assert records[1]["url"] == "https://demo.example/nieuws/2"
    assert (records[1]["guid"], records[1]["summary"], records[1]["body"], records[1]["published_at"]) == (None,) * 4
    assert records[1]["category"] == "general"


ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="de-DE">
  <title>Beispiel</title><id>urn:beispiel</id><updated>2026-11-02T10:00:00Z</updated>
  <entry>
    <id>urn:beispiel:1</id>
    <title type="html">&lt;em&gt;Straße&lt;/em&gt; gesperrt</title>
    <link rel="alternate" href="https://beispiel.example/a/1"/>
    <published>2026-11-02T09:30:00+01:00</published>
    <updated>2026-11-02T11:00:00+01:00</updated>
    <summary>Kurz.</summary>
    <content type="html">&lt;p&gt;Lang.&lt;/p&gt;</content>
    <author><name>Anna Müller</name></author>
    <category term="verkehr"/>
  </entry>
  <entry xml:lang="en">
    <id>urn:beispiel:2</id>
    <title>Only content</title>
    <link href="https://beispiel.example/a/2"/>
    <updated>2026-11-02T12:00:00Z</updated>
    <content type="text">The whole text.</content>
  </entry>
</feed>""".encode()


def test_atom10_entries():
    parsed, records, rejects = build(ATOM, kind="atom")
    assert (parsed.format, parsed.language, rejects) == ("atom10", "de", [])
    first, second = records
    assert (first["guid"], first["title"]) == ("urn:beispiel:1", "Straße gesperrt")
    assert (first["summary"], first["body"]) == ("Kurz.", "Lang.")
    assert (first["published_at"], first["updated_at"]) == ("2026-11-02T08:30:00Z", "2026-11-02T10:00:00Z")
    assert (first["author"], first["category"], first["language"]) == ("Anna Müller", "verkehr", "de")
    # an entry with only <content> has no summary of its own; its only date is <updated>
    assert (second["summary"], second["body"], second["language"]) == (None, "The whole text.", "en")
    assert (second["published_at"], second["updated_at"]) == ("2026-11-02T12:00:00Z", "2026-11-02T12:00:00Z")


RDF = """<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
         xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://heise.example/">
    <title>RDF</title><link>https://heise.example/</link><description>d</description><dc:language>de</dc:language>
  </channel>
  <item rdf:about="https://heise.example/meldung/1">
    <title>Größere Änderung</title>
    <link>https://heise.example/meldung/1</link>
    <description>Text über ß.</description>
    <dc:date>2026-11-02T02:30:00+02:00</dc:date>
    <dc:subject>IT</dc:subject>
    <dc:creator>Redaktion</dc:creator>
  </item>
</rdf:RDF>""".encode()


def test_rdf_items():
    parsed, records, _ = build(RDF, kind="rdf")
    assert (parsed.format, parsed.language) == ("rss10", "de")
    (record,) = records
    assert record["guid"] == "https://heise.example/meldung/1"
    assert (record["title"], record["summary"], record["author"], record["category"]) == (
        "Größere Änderung",
        "Text über ß.",
        "Redaktion",
        "IT",
    )
    assert record["published_at"] == "2026-11-02T00:30:00Z"


WRONG_CHARSET_TEXT = "Zoë en de Straße van Müller in Oekraïne"


def wrong_charset_feed(declared: str, actual: str) -> bytes:
    return (
        f'<?xml version="1.0" encoding="{declared}"?>\n<rss version="2.0"><channel><title>t</title>'
        f"<item><title>{WRONG_CHARSET_TEXT}</title><link>https://demo.example/x</link>"
        f"<description>€ 5 – „quote“ – ß</description></item></channel></rss>"
    ).encode(actual)


@pytest.mark.parametrize(
    ("declared", "actual", "content_type"),
    [
        ("iso-8859-1", "utf-8", "application/rss+xml; charset=iso-8859-1"),  # UTF-8 served as Latin-1
        ("utf-8", "cp1252", "text/xml; charset=utf-8"),  # Windows-1252 served as UTF-8
        ("utf-8", "cp1252", "text/xml"),  # text/xml without charset, wrong declaration
        ("windows-1252", "cp1252", "text/html; charset=us-ascii"),  # header wrong, declaration right
    ],
)
def test_wrong_charset_keeps_characters_intact(declared, actual, content_type):
    parsed, records, _ = build(wrong_charset_feed(declared, actual), headers={"Content-Type": content_type})
    assert records[0]["title"] == WRONG_CHARSET_TEXT
    assert records[0]["summary"] == "€ 5 – „quote“ – ß"
    assert parsed.encoding == ("utf-8" if actual == "utf-8" else "cp1252")


BAD_ITEMS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Bad</title><link>https://demo.example/</link>
  <item><link>https://demo.example/no-title</link><guid isPermaLink="false">g-no-title</guid></item>
  <item><title>   </title><link>https://demo.example/blank-title</link></item>
  <item><title>No link at all</title><guid isPermaLink="false">g-no-link</guid></item>
  <item><title>Script link</title><link>javascript:alert(1)</link></item>
  <item><title>First copy</title><link>https://demo.example/story?utm_source=rss</link>
        <guid isPermaLink="false">g-1</guid><pubDate>Mon, 02 Nov 2026 08:00:00 GMT</pubDate></item>
  <item><title>Same url, other tracking</title><link>https://DEMO.example/story?fbclid=zz#x</link>
        <guid isPermaLink="false">g-2</guid></item>
  <item><title>Same guid</title><link>https://demo.example/elsewhere</link><guid isPermaLink="false">g-1</guid></item>
  <item><title>No date here</title><link>https://demo.example/undated</link></item>
  <item><title>&lt;b&gt;Bold&lt;/b&gt; &amp;amp; &lt;script&gt;alert("x")&lt;/script&gt;safe</title>
        <link>https://demo.example/html</link>
        <description><![CDATA[<div onclick="evil()">Hi<script>document.cookie</script>
          <style>.a{}</style> there</div>]]></description>
        <pubDate>Mon, 30 Feb 2026 08:00:00 GMT</pubDate></item>
  <item><title>Robert'); DROP TABLE articles;-- "quoted" 'single'</title><link>https://demo.example/sql</link></item>
</channel></rss>"""


def test_bad_items_are_rejected_with_reasons_and_the_rest_kept():
    _, records, rejects = build(BAD_ITEMS)
    assert [(r["reason"], r["item_ref"]) for r in rejects] == [
        ("missing title", "g-no-title"),
        ("missing title", "https://demo.example/blank-title"),
        ("missing link", "g-no-link"),
        ("missing link", "javascript:alert(1)"),
        ("duplicate item", "g-2"),
        ("duplicate item", "g-1"),
    ]
    assert rejects[4]["detail"] == "same url as the earlier item g-1 in https://demo.example/feed.xml"
    assert rejects[5]["detail"].startswith("same guid as the earlier item g-1")
    assert all(r["source_id"] == "demo" and r["feed_url"] == "https://demo.example/feed.xml" for r in rejects)

    assert {(r["language"], r["category"]) for r in records} == {("nl", "general")}  # the registry's
    by_url = {r["url"]: r for r in records}
    assert list(by_url) == [
        "https://demo.example/story",
        "https://demo.example/undated",
        "https://demo.example/html",
        "https://demo.example/sql",
    ]
    assert by_url["https://demo.example/story"]["title"] == "First copy"
    assert by_url["https://demo.example/undated"]["published_at"] is None
    html_item = by_url["https://demo.example/html"]
    assert html_item["title"] == "Bold & safe"
    assert html_item["summary"] == "Hi there"
    assert html_item["published_at"] is None  # 30 February
    assert by_url["https://demo.example/sql"]["title"] == "Robert'); DROP TABLE articles;-- \"quoted\" 'single'"


def test_json_feed():
    payload = """{"version": "https://jsonfeed.org/version/1.1", "title": "J", "language": "fr-FR",
      "items": [{"id": 17, "url": "https://j.example/1", "title": "Été", "content_html": "<p>Corps</p>",
                 "summary": "Résumé", "date_published": "2026-11-02T10:00:00+01:00",
                 "authors": [{"name": "Léa"}], "tags": ["culture"], "image": "https://j.example/1.jpg"},
                {"title": "no link"}, "not an object"]}""".encode()
    parsed, records, rejects = build(payload, kind="jsonfeed")
    assert (parsed.format, parsed.language) == ("jsonfeed", "fr")
    assert records[0]["guid"] == "17"
    assert (records[0]["title"], records[0]["body"], records[0]["author"]) == ("Été", "Corps", "Léa")
    assert (records[0]["published_at"], records[0]["category"]) == ("2026-11-02T09:00:00Z", "culture")
    assert [(r["reason"], r["item_ref"]) for r in rejects] == [
        ("missing link", "position 2"),
        ("missing title", "position 3"),
    ]


def test_news_sitemap():
    payload = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url><loc>https://s.example/a?utm_medium=x</loc>
    <news:news><news:publication><news:name>S</news:name><news:language>nl</news:language></news:publication>
      <news:publication_date>2026-11-02T07:00:00Z</news:publication_date><news:title>Kop &amp; staart</news:title>
    </news:news></url>
</urlset>"""
    _, records, _ = build(payload, kind="sitemap")
    assert [(r["url"], r["title"], r["published_at"], r["language"]) for r in records] == [
        ("https://s.example/a", "Kop & staart", "2026-11-02T07:00:00Z", "nl")
    ]


@pytest.mark.parametrize(
    ("payload", "error"),
    [
        (b"", EmptyPayload),
        (b"  \n ", EmptyPayload),
        (b"<html><body><p>Not a feed</p></body></html>", NotAFeed),
        (b"\x89PNG\r\n\x1a\n\x00\x00binary", NotAFeed),
    ],
)
def test_non_feeds_are_refused_with_a_reason(payload, error):
    with pytest.raises(error) as refused:
        parse_feed(payload)
    assert str(refused.value)


def test_hostile_xml_is_refused_without_expanding_anything(realdata):
    files = sorted((realdata / "hostile-xml").glob("*.xml"))
    assert len(files) == 10
    tracemalloc.start()
    try:
        reasons = {}
        for path in files:
            with pytest.raises(FeedError) as refused:
                parse_feed(path.read_bytes())
            reasons[path.name] = (type(refused.value), str(refused.value))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20 * 1024 * 1024
    for name in ("xmlbomb.xml", "xmlbomb2.xml", "quadratic.xml", "cyclic.xml", "external.xml", "external_file.xml"):
        error_type, message = reasons[name]
        assert error_type is HostileXML, name
        assert "EntitiesForbidden" in message
    # the rest are well-formed XML, just not feeds
    assert {name for name, (error_type, _) in reasons.items() if error_type is NotAFeed} == {
        "dtd.xml",
        "dtd_element.xml",
        "simple.xml",
        "simple-ns.xml",
    }


def test_an_ill_formed_document_with_entities_is_refused_too():
    payload = b'junk<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><rss><item><title>&b;</title>'
    with pytest.raises(HostileXML, match="declares entities"):
        parse_feed(payload)


def test_every_real_publisher_feed_parses(realdata):
    files = sorted((realdata / "feeds-multi-publisher").glob("*/*.xml"))
    assert len(files) >= 140
    total = 0
    for path in files:
        payload = path.read_bytes()
        parsed = parse_feed(payload)
        expected = len(re.findall(rb"<(?:item|entry)[\s>]", payload))
        assert len(parsed.entries) == expected, path
        total += expected
    assert total > 4000


CAPTIONED = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Captions</title><link>https://demo.example/</link>
  <item>
    <title>Court overturns ban on shock devices</title><link>https://demo.example/court</link>
    <description>A federal appeals court threw out the ban.</description>
    <media:content url="https://img.demo.example/c.jpg" medium="image"/>
    <media:description>Students wear a special fanny pack with two protruding wires.</media:description>
  </item>
  <item>
    <title>Caption first</title><link>https://demo.example/first</link>
    <media:description>A caption written before the item's description.</media:description>
    <description>The item's own description.</description>
  </item>
  <item>
    <title>Caption and content</title><link>https://demo.example/content</link>
    <description>Lede.</description>
    <media:description>Another caption.</media:description>
    <content:encoded><![CDATA[<p>The full article.</p>]]></content:encoded>
    <media:text>A transcript of the picture.</media:text>
  </item>
</channel></rss>"""

VIDEO_ATOM = b"""<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:media="http://search.yahoo.com/mrss/">
  <title>A news channel</title>
  <entry>
    <id>yt:video:abc</id><title>Evening bulletin</title>
    <link rel="alternate" href="https://www.youtube.com/watch?v=abc"/>
    <published>2026-11-02T07:00:00+00:00</published>
    <media:group><media:title>Evening bulletin</media:title>
      <media:description>Tonight's stories. Subscribe to the channel.</media:description>
    </media:group>
  </entry>
</feed>"""


def test_a_picture_caption_is_never_the_body():
    _parsed, records, _rejects = build(CAPTIONED)
    bodies = {record["title"]: (record["summary"], record["body"], record["body_source"]) for record in records}
    assert bodies == {
        "Court overturns ban on shock devices": ("A federal appeals court threw out the ban.", None, None),
        "Caption first": ("The item's own description.", None, None),
        "Caption and content": ("Lede.", "The full article.", "feed"),
    }


def test_a_video_entry_s_media_description_is_its_summary_not_its_body():
    _parsed, records, _rejects = build(VIDEO_ATOM, kind="atom")
    assert [(r["summary"], r["body"]) for r in records] == [("Tonight's stories. Subscribe to the channel.", None)]
