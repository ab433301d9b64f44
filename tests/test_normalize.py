"""Value rules of the article record: URLs, text, dates, language, hash, decoding."""

import hashlib
import time
from datetime import datetime, timedelta, timezone

import pytest

from newsdesk.normalize import (
    canonical_url,
    clean_text,
    content_hash,
    decode_text,
    language_code,
    utc_timestamp,
)


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


def test_utc_timestamp_from_struct_time_and_datetime():
    assert utc_timestamp(time.struct_time((2020, 4, 27, 21, 8, 5, 0, 118, 0))) == "2020-04-27T21:08:05Z"
    assert utc_timestamp(time.struct_time((2020, 2, 30, 0, 0, 0, 0, 61, 0))) is None
    amsterdam = timezone(timedelta(hours=2))
    assert utc_timestamp(datetime(2026, 7, 1, 12, 0, 0, tzinfo=amsterdam)) == "2026-07-01T10:00:00Z"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("nl-NL", "nl"), ("en_US", "en"), ("DE", "de"), (" fr ", "fr"),
        ("eng", None), ("x-default", None), ("", None), (None, None),
    ],  # fmt: skip
)
def test_language_code(raw, expected):
    assert language_code(raw) == expected


def test_content_hash_joins_title_summary_body_with_nulls_as_empty():
    expected = hashlib.sha256("Title\n\nBody".encode("utf-8")).hexdigest()
    assert content_hash("Title", None, "Body") == expected
    assert content_hash("Title", "", "Body") == expected
    assert content_hash("Title", "Summary", "Body") != expected
    assert content_hash("Zoë", None, None) == hashlib.sha256("Zoë\n\n".encode("utf-8")).hexdigest()


def test_decode_text_prefers_valid_utf8_over_a_wrong_single_byte_label():
    assert decode_text("Straße in Zoë's Café".encode("utf-8"), ["iso-8859-1"]) == ("Straße in Zoë's Café", "utf-8")


def test_decode_text_falls_back_when_the_label_says_utf8_but_bytes_are_not():
    text, encoding = decode_text("Müller über Oekraïne".encode("cp1252"), ["utf-8", "windows-1252"])
    assert (text, encoding) == ("Müller über Oekraïne", "cp1252")


def test_decode_text_detects_unlabelled_text():
    assert decode_text("Müller über Oekraïne, €5".encode("cp1252"), [None])[0] == "Müller über Oekraïne, €5"
    assert decode_text("Новости дня: Москва и Киев".encode("cp1251"), [])[0] == "Новости дня: Москва и Киев"


def test_decode_text_honours_byte_order_marks():
    assert decode_text("Zoë".encode("utf-16"), ["utf-8"]) == ("Zoë", "utf-16")
    assert decode_text(b"\xef\xbb\xbfZo\xc3\xab", ["latin-1"]) == ("Zoë", "utf-8-sig")
