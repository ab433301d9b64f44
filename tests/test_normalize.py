"""Value rules of the article record: URLs, text, dates, language, hash, decoding, repeats."""

import hashlib
import time
from datetime import datetime, timedelta, timezone

import pytest

from newsdesk.collect.normalize import (
    article_timestamp,
    canonical_url,
    clean_text,
    content_hash,
    decode_text,
    is_short_link,
    language_code,
    media_kind,
    utc_timestamp,
)
from newsdesk.collect.pages import PageInfo
from newsdesk.collect.parse import FeedEntry
from newsdesk.collect.records import DUPLICATE_IN_FEED, REPEATED_ACROSS_FEEDS, ItemRejected, RecordBuilder, needs_page
from newsdesk.collect.registry import Source

SOURCE = Source(id="demo", name="Demo", country="NL", language="nl", homepage="https://demo.example/")
GENERAL_FEED = "https://demo.example/general.xml"
SPORT_FEED = "https://demo.example/sport.xml"
FETCHED_AT = "2026-11-02T06:00:00Z"


def build(builder: RecordBuilder, entry: FeedEntry, feed_url: str = GENERAL_FEED) -> dict:
    return builder.build(entry, feed_url=feed_url, feed_language=None, category=None, fetched_at=FETCHED_AT)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("HTTPS://WWW.Example.COM/News/Story-1", "https://www.example.com/News/Story-1"),
        ("https://example.com:443/a", "https://example.com/a"),
        ("http://example.com:80/a", "http://example.com/a"),
        ("http://example.com:8080/a", "http://example.com:8080/a"),
        ("https://example.com/a?utm_source=rss&utm_medium=feed&id=7", "https://example.com/a?id=7"),
        ("https://example.com/a?UTM_Campaign=x&fbclid=abc&gclid=1&mc_cid=2&mc_eid=3", "https://example.com/a"),
        ("https://example.com/a?b=2&a=1&utm_term=z", "https://example.com/a?b=2&a=1"),
        ("https://example.com/a?q=caf%C3%A9&empty=", "https://example.com/a?q=caf%C3%A9&empty="),
        ("https://example.com/a#comments", "https://example.com/a"),
        ("https://user:secret@example.com/a", "https://example.com/a"),
        ("https://example.com", "https://example.com/"),
        ("  https://example.com/a\n", "https://example.com/a"),
        ("http://[2001:DB8::1]:80/a", "http://[2001:db8::1]/a"),
    ],
)
def test_canonical_url(raw, expected):
    assert canonical_url(raw) == expected


def test_canonical_url_resolves_relative_links_against_the_feed():
    assert canonical_url("/nieuws/1?utm_source=x", base="https://NOS.nl/feed.xml") == "https://nos.nl/nieuws/1"
    assert canonical_url("//cdn.example.com/a", base="https://example.com/feed") == "https://cdn.example.com/a"


@pytest.mark.parametrize(
    "raw", [None, "", "   ", "javascript:alert(1)", "mailto:a@b.c", "urn:uuid:1", "ftp://x/y", "http://host:99999/"]
)
def test_canonical_url_refuses_non_web_urls(raw):
    assert canonical_url(raw) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("<p>Hello <b>world</b></p>", "Hello world"),
        ("Tom &amp; Jerry &quot;live&quot; &#8211; &eacute;t&eacute;", 'Tom & Jerry "live" – été'),
        ("<p>one</p><script>alert('x')</script><style>p {color: red}</style><p>two</p>", "one two"),
        ("<noscript>enable js</noscript>text<!-- a comment -->", "text"),
        ("  lots \n\t of   \u00a0 space  ", "lots of space"),
        ("5 < 6 and 7 > 3", "5 < 6 and 7 > 3"),
        ("Robert'); DROP TABLE articles;--", "Robert'); DROP TABLE articles;--"),
        ("bell\x07 and null\x00 removed", "bell and null removed"),
        ("<p></p>&nbsp;", None),
        (None, None),
    ],
)
def test_clean_text(raw, expected):
    assert clean_text(raw) == expected


def test_clean_text_keeps_paragraphs_when_asked():
    assert clean_text("<p>First  para.</p><p>Second<br>line</p>", keep_paragraphs=True) == "First para.\nSecond\nline"


def test_clean_text_is_nfc():
    decomposed = "Oekrai\u0308ne Zoe\u0308"  # i and e followed by a combining diaeresis
    cleaned = clean_text(decomposed)
    assert cleaned == "Oekra\u00efne Zo\u00eb"
    assert len(cleaned) == len("Oekraïne Zoë")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2021-03-28T02:30:00+02:00", "2021-03-28T00:30:00Z"),
        ("2021-03-28T02:30:00.123456Z", "2021-03-28T02:30:00Z"),
        ("2024-01-15T09:00:00-05:00", "2024-01-15T14:00:00Z"),
        ("Tue, 10 Jun 2003 04:00:00 EST", "2003-06-10T09:00:00Z"),
        ("Sat, 31 Dec 2022 23:30:00 -0130", "2023-01-01T01:00:00Z"),
        ("Mon, 06 Sep 2021 16:45:00 GMT", "2021-09-06T16:45:00Z"),
        ("2021-05-01", "2021-05-01T00:00:00Z"),
        ("2021-05-01T10:00:00", "2021-05-01T10:00:00Z"),
        ("2021-02-30T10:00:00Z", None),
        ("2021-13-01T10:00:00Z", None),
        ("2021-01-01T25:00:00Z", None),
        ("Mon, 30 Feb 2020 10:00:00 +0000", None),
        ("yesterday", None),
        ("", None),
        (None, None),
    ],
)
def test_utc_timestamp_from_text(raw, expected):
    assert utc_timestamp(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # RFC 822's names; CST is US Central as RFC 822 defines it
        ("Tue, 10 Jun 2003 04:00:00 EDT", "2003-06-10T08:00:00Z"),
        ("Tue, 10 Jun 2003 04:00:00 CST", "2003-06-10T10:00:00Z"),
        ("Tue, 10 Jun 2003 04:00:00 CDT", "2003-06-10T09:00:00Z"),
        ("Tue, 10 Jun 2003 04:00:00 MST", "2003-06-10T11:00:00Z"),
        ("Tue, 10 Jun 2003 04:00:00 PST", "2003-06-10T12:00:00Z"),
        ("Tue, 10 Jun 2003 04:00:00 PDT", "2003-06-10T11:00:00Z"),
        ("Tue, 10 Jun 2003 04:00:00 UT", "2003-06-10T04:00:00Z"),
        ("Tue, 10 Jun 2003 04:00:00 Z", "2003-06-10T04:00:00Z"),
        # European names, as PHP's date("T") writes them; BST is British Summer Time
        ("Mon, 02 Nov 2026 08:15:00 CET", "2026-11-02T07:15:00Z"),
        ("Sun, 02 Aug 2026 08:15:00 CEST", "2026-08-02T06:15:00Z"),
        ("Mon, 02 Nov 2026 08:15:00 MEZ", "2026-11-02T07:15:00Z"),
        ("Sun, 02 Aug 2026 08:15:00 MESZ", "2026-08-02T06:15:00Z"),
        ("Sun, 02 Aug 2026 08:15:00 BST", "2026-08-02T07:15:00Z"),
        ("Sun, 02 Aug 2026 08:15:00 EEST", "2026-08-02T05:15:00Z"),
        ("Mon, 02 Nov 2026 08:15:00 AEDT", "2026-11-01T21:15:00Z"),
        ("Mon, 02 Nov 2026 08:15:00 NZDT", "2026-11-01T19:15:00Z"),
        # numeric offsets, also after a UTC name the way feeds mean it (GMT+0100 is UTC+1)
        ("Mon, 02 Nov 2026 08:15:00 +0530", "2026-11-02T02:45:00Z"),
        ("Mon, 02 Nov 2026 08:15:00 GMT+0100", "2026-11-02T07:15:00Z"),
        ("Mon, 02 Nov 2026 08:15:00 UTC-05:00", "2026-11-02T13:15:00Z"),
        ("Mon, 02 Nov 2026 08:15:00 -0500 (EST)", "2026-11-02T13:15:00Z"),
        # other written forms
        ("2026-11-02 08:15:00 CET", "2026-11-02T07:15:00Z"),
        ("2 November 2026 08:15 CET", "2026-11-02T07:15:00Z"),
        ("Sun Jan  4 16:29:06 PST 2004", "2004-01-05T00:29:06Z"),
        ("Mon, 02 Nov 26 08:15:00 GMT", "2026-11-02T08:15:00Z"),
        ("13/11/2026", "2026-11-13T00:00:00Z"),
        ("Mon, 02 Nov 2026 08:15:00", "2026-11-02T08:15:00Z"),  # no zone: UTC
    ],
)
def test_utc_timestamp_reads_zone_names_and_offsets(raw, expected):
    assert utc_timestamp(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        # ambiguous or unknown zone names are not guessed: IST is India, Ireland or Israel
        "Mon, 02 Nov 2026 08:15:00 IST",
        "Mon, 02 Nov 2026 08:15:00 AST",
        "Mon, 02 Nov 2026 08:15:00 M",
        "Mon, 02 Nov 2026 08:15:00 XYZ",
        "Mon, 02 Nov 2026 08:15:00 -0500 (CET)",
        # impossible
        "Mon, 02 Nov 2026 25:15:00 GMT",
        "Mon, 02 Nov 2026 08:61:00 GMT",
        "Sat, 29 Feb 2025 10:00:00 GMT",
        "31 November 2026 10:00 CET",
        "2026-11-31T10:00:00Z",
        "2026-11-02T08:15:00+25:00",
        # incomplete or ambiguous: dateutil would fill in or guess
        "Nov 2026",
        "10:00",
        "Monday",
        "02/11/2026",
        "02.11.2026",
        "1700000000",
    ],
)
def test_utc_timestamp_refuses_what_it_would_have_to_guess(raw):
    assert utc_timestamp(raw) is None


def test_utc_timestamp_takes_a_leap_day():
    assert utc_timestamp("Thu, 29 Feb 2024 10:00:00 GMT") == "2024-02-29T10:00:00Z"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-11-02T07:00:00+01:00", "2026-11-02T06:00:00Z"),
        ("1990-01-01T00:00:00Z", "1990-01-01T00:00:00Z"),
        ("2026-11-03T06:00:00Z", "2026-11-03T06:00:00Z"),  # a day ahead: a publisher's clock or zone error
        ("2026-11-03T06:00:01Z", None),
        ("9999-12-31T23:59:59Z", None),
        ("0001-01-01T00:00:00Z", None),  # the zero value of .NET and Go
        ("1970-01-01T00:00:00Z", None),  # the Unix epoch
        ("1899-12-30T00:00:00Z", None),  # the zero value of OLE automation dates
        ("0001-01-01T00:00:00+01:00", None),
        ("not a date", None),
    ],
)
def test_article_timestamp_refuses_implausible_dates(raw, expected):
    assert article_timestamp(raw, FETCHED_AT) == expected


def test_utc_timestamp_from_struct_time_and_datetime():
    assert utc_timestamp(time.struct_time((2020, 4, 27, 21, 8, 5, 0, 118, 0))) == "2020-04-27T21:08:05Z"
    assert utc_timestamp(time.struct_time((2020, 2, 30, 0, 0, 0, 0, 61, 0))) is None
    amsterdam = timezone(timedelta(hours=2))
    assert utc_timestamp(datetime(2026, 7, 1, 12, 0, 0, tzinfo=amsterdam)) == "2026-07-01T10:00:00Z"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("nl-NL", "nl"),
        ("en_US", "en"),
        ("DE", "de"),
        (" fr ", "fr"),
        ("eng", None),
        ("x-default", None),
        ("", None),
        (None, None),
    ],  # fmt: skip
)
def test_language_code(raw, expected):
    assert language_code(raw) == expected


def test_content_hash_joins_title_summary_body_with_nulls_as_empty():
    expected = hashlib.sha256(b"Title\n\nBody").hexdigest()
    assert content_hash("Title", None, "Body") == expected
    assert content_hash("Title", "", "Body") == expected
    assert content_hash("Title", "Summary", "Body") != expected
    assert content_hash("Zoë", None, None) == hashlib.sha256("Zoë\n\n".encode()).hexdigest()


def test_decode_text_prefers_valid_utf8_over_a_wrong_single_byte_label():
    assert decode_text("Straße in Zoë's Café".encode(), ["iso-8859-1"]) == ("Straße in Zoë's Café", "utf-8")


def test_decode_text_falls_back_when_the_label_says_utf8_but_bytes_are_not():
    text, encoding = decode_text("Müller über Oekraïne".encode("cp1252"), ["utf-8", "windows-1252"])
    assert (text, encoding) == ("Müller über Oekraïne", "cp1252")


def test_decode_text_detects_unlabelled_text():
    assert decode_text("Müller über Oekraïne, €5".encode("cp1252"), [None])[0] == "Müller über Oekraïne, €5"
    assert decode_text("Новости дня: Москва и Киев".encode("cp1251"), [])[0] == "Новости дня: Москва и Киев"


def test_decode_text_honours_byte_order_marks():
    assert decode_text("Zoë".encode("utf-16"), ["utf-8"]) == ("Zoë", "utf-16")
    assert decode_text(b"\xef\xbb\xbfZo\xc3\xab", ["latin-1"]) == ("Zoë", "utf-8-sig")


def test_implausible_dates_become_null_and_the_record_is_kept():
    entry = FeedEntry(
        position=1, link="https://demo.example/a", title="Placeholder dates",
        published="0001-01-01T00:00:00Z", updated="2026-11-09T08:00:00Z",
    )  # fmt: skip
    builder = RecordBuilder(SOURCE)
    record = build(builder, entry)
    assert (record["published_at"], record["updated_at"]) == (None, None)

    page = PageInfo(published="1970-01-01T00:00:00Z", updated="2026-11-02T05:00:00+01:00", updated_source="page_meta")
    filled = builder.fill_from_page(record, page, page_url="https://demo.example/a")
    # the placeholder publication date is dropped, so the page's modification date stands in, as in feeds
    assert (filled["published_at"], filled["updated_at"]) == ("2026-11-02T04:00:00Z", "2026-11-02T04:00:00Z")
    assert filled["published_at_source"] == "page_meta"


def test_a_repeat_in_the_same_feed_is_a_duplicate():
    builder = RecordBuilder(SOURCE)
    first = build(builder, FeedEntry(position=1, link="https://demo.example/a", guid="g-1", title="First"))
    with pytest.raises(ItemRejected) as same_url:
        build(builder, FeedEntry(position=2, link="https://demo.example/a?utm_source=x", guid="g-2", title="Again"))
    with pytest.raises(ItemRejected) as same_guid:
        build(builder, FeedEntry(position=3, link="https://demo.example/b", guid="g-1", title="Again"))

    assert first["url"] == "https://demo.example/a"
    assert (same_url.value.reason, same_url.value.detail) == (
        "duplicate item", f"same url as the earlier item g-1 in {GENERAL_FEED}"
    )  # fmt: skip
    assert (same_guid.value.reason, same_guid.value.detail) == (
        "duplicate item", f"same guid as the earlier item g-1 in {GENERAL_FEED}"
    )  # fmt: skip


def test_a_repeat_in_another_feed_has_its_own_reason_and_the_first_copy_stays():
    builder = RecordBuilder(SOURCE)
    first = build(builder, FeedEntry(position=1, link="https://demo.example/match", guid="m-1", title="Ajax wint"))
    with pytest.raises(ItemRejected) as repeat:
        build(
            builder,
            FeedEntry(position=1, link="https://demo.example/match", guid="m-1", title="Ajax wint!"),
            SPORT_FEED,
        )
    with pytest.raises(ItemRejected) as repeat_by_guid:
        build(
            builder,
            FeedEntry(position=2, link="https://demo.example/sport/match", guid="m-1", title="Ajax"),
            SPORT_FEED,
        )

    assert first["title"] == "Ajax wint"
    assert (repeat.value.reason, repeat.value.detail) == (
        "repeated in another feed", f"same url as the earlier item m-1 in {GENERAL_FEED}"
    )  # fmt: skip
    assert repeat.value.row(SOURCE.id, SPORT_FEED)["reason"] == REPEATED_ACROSS_FEEDS
    # the same guid in the sport feed again: a duplicate inside that feed, though also in the general feed
    assert (repeat_by_guid.value.reason, repeat_by_guid.value.detail) == (
        DUPLICATE_IN_FEED, f"same guid as the earlier item m-1 in {SPORT_FEED}"
    )  # fmt: skip


# ---- fields true to the source ----------------------------------------------

DAILY = Source(
    id="daily", name="Daily", country="GB", language="en", homepage="https://www.daily.example/",
    tracking_params=frozenset({"ito", "ns_mchannel", "ns_campaign"}), short_links=("dly.to",),
)  # fmt: skip


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # the ClearURLs rules: referral marketing (ref), campaign and click identifiers
        (
            "https://www.smh.example/world/a-20200801-p55hl2.html?ref=rss",
            "https://www.smh.example/world/a-20200801-p55hl2.html",
        ),
        ("https://news.example/a?id=7&ref=rss&_ga=1&yclid=2", "https://news.example/a?id=7"),
        # parameters that name the article stay, even when they look like a tracker's prefix
        ("https://news.example/a?game=3&gallery=2&source=x", "https://news.example/a?game=3&gallery=2&source=x"),
        # a host the rules make an exception for keeps the parameter
        ("https://github.com/owner/repo/tree/x?ref=main", "https://github.com/owner/repo/tree/x?ref=main"),
    ],
)
def test_canonical_url_strips_what_the_clearurls_rules_name(raw, expected):
    assert canonical_url(raw) == expected


def test_a_source_s_own_tracking_parameters_are_stripped_from_its_links():
    link = "https://www.daily.example/news/article-1/Story.html?ns_mchannel=rss&ito=1490&ns_campaign=1490"
    record = build(RecordBuilder(DAILY), FeedEntry(position=1, link=link, title="Story"))
    assert record["url"] == "https://www.daily.example/news/article-1/Story.html"
    assert record["feed_link"] == link
    # without the registry's rule the parameters stay: the ClearURLs rules do not name them here
    assert canonical_url(link) == link


@pytest.mark.parametrize(
    ("link", "kind"),
    [
        ("https://dts.podtrac.example/redirect.mp3/chrt.fm/track/episode-12.mp3", "audio"),
        ("https://cdn.example/clips/flood.mp4?x=1", "video"),
        ("https://news.example/2026/11/02/flood.html", None),
    ],
)
def test_a_link_to_an_audio_or_video_file_gets_its_media_kind(link, kind):
    assert media_kind(link) == kind
    assert build(RecordBuilder(SOURCE), FeedEntry(position=1, link=link, title="Episode"))["media_kind"] == kind


def test_short_links_are_known_by_host_or_by_the_source_s_prefixes():
    assert is_short_link("https://bit.ly/3abc")
    assert is_short_link("https://dly.to/x1", DAILY.short_links)
    assert is_short_link("http://127.0.0.1:8642/go/x1", ("127.0.0.1:8642/go/",))
    assert not is_short_link("http://127.0.0.1:8642/news/x1", ("127.0.0.1:8642/go/",))
    assert not is_short_link("https://www.daily.example/x", DAILY.short_links)
    record = build(RecordBuilder(DAILY), FeedEntry(position=1, link="https://dly.to/x1", title="Short"))
    assert needs_page(record, DAILY)  # fetched even though the source has no pages fetched, to resolve it


def test_the_title_s_language_wins_over_a_declaration_it_contradicts():
    builder = RecordBuilder(DAILY)
    entry = FeedEntry(position=1, link="https://www.daily.example/1",
                      title="Pumanaw na si dating DOT Secretary Ramon Jimenez sa edad na 65", language="en-us")  # fmt: skip
    record = build(builder, entry)
    assert (record["language"], record["language_declared"], record["language_detected"]) == ("tl", "en", "tl")
    english = build(builder, FeedEntry(position=2, link="https://www.daily.example/2", language="en-us",
                                        title="Court overturns the ban on electric shock devices at a school"))  # fmt: skip
    assert (english["language"], english["language_declared"], english["language_detected"]) == ("en", "en", "en")


PAGE_BODY = " ".join(f"Word{n}" for n in range(200))


def test_a_page_body_replaces_a_teaser_but_not_a_full_feed_body():
    builder = RecordBuilder(SOURCE)
    teaser = build(
        builder, FeedEntry(position=1, link="https://demo.example/a", title="A", summary="Lede.", body="Lede.")
    )
    full = build(builder, FeedEntry(position=2, link="https://demo.example/b", title="B", body=PAGE_BODY[:-10]))
    page = PageInfo(body=PAGE_BODY)
    replaced = builder.fill_from_page(teaser, page, page_url="https://demo.example/a")
    kept = builder.fill_from_page(full, page, page_url="https://demo.example/b")
    assert (replaced["body"], replaced["body_source"]) == (PAGE_BODY, "page")
    assert replaced["content_hash"] == content_hash("A", "Lede.", PAGE_BODY)
    assert (kept["body"], kept["body_source"]) == (PAGE_BODY[:-10], "feed")


def test_the_page_s_canonical_url_on_its_own_site_becomes_the_record_s_url():
    builder = RecordBuilder(SOURCE)
    short = build(builder, FeedEntry(position=1, link="https://bit.ly/3abc", title="Short"))
    other = build(builder, FeedEntry(position=2, link="https://demo.example/taken", title="Taken"))
    resolved = builder.fill_from_page(
        short, PageInfo(canonical_url="/nieuws/1?utm_source=x"), page_url="https://www.demo.example/n/1"
    )
    assert (resolved["url"], resolved["feed_link"]) == ("https://www.demo.example/nieuws/1", "https://bit.ly/3abc")
    # a canonical link to another site is not taken: the address the fetch ended at is
    elsewhere = builder.fill_from_page(
        build(builder, FeedEntry(position=3, link="https://bit.ly/3abd", title="Elsewhere")),
        PageInfo(canonical_url="https://aggregator.example/story"), page_url="https://demo.example/n/2",
    )  # fmt: skip
    assert elsewhere["url"] == "https://demo.example/n/2"
    # an address another record of the run holds already stays with that record
    clash = builder.fill_from_page(
        build(builder, FeedEntry(position=4, link="https://bit.ly/3abe", title="Clash")),
        PageInfo(canonical_url=other["url"]), page_url="https://demo.example/n/3",
    )  # fmt: skip
    assert clash["url"] == "https://bit.ly/3abe"
