"""Language of a record: declared by the item or feed unless its text says otherwise with confidence,
else detected from its text, else the registry's."""

import json

import pytest

from newsdesk.collect.normalize import clean_text, detect_language
from newsdesk.collect.parse import FeedEntry, FeedError, parse_feed
from newsdesk.collect.records import RecordBuilder
from newsdesk.collect.registry import Source
from newsdesk.sample import feed_as_fetched, generate_world, load_ground_truth

DUTCH_SOURCE = Source(id="demo", name="Demo", country="NL", language="nl", homepage="https://demo.example/")
FEED_URL = "https://demo.example/feed.xml"

DUTCH = "Het kabinet wil dat gemeenten meer woningen bouwen voor starters en ouderen, maar de financiering is nog niet rond."
ENGLISH = "The government has announced new measures to help households with rising energy bills this winter."
GERMAN = (
    "Die Bundesregierung hat am Mittwoch ein Entlastungspaket beschlossen, "
    "das Haushalte mit niedrigen Einkommen bei den Heizkosten unterstützen soll."
)


def record_language(entry: FeedEntry, feed_language: str | None = None) -> str:
    record = RecordBuilder(DUTCH_SOURCE).build(
        entry, feed_url=FEED_URL, feed_language=feed_language, category=None, fetched_at="2026-11-02T06:00:00Z"
    )
    return record["language"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (DUTCH, "nl"),
        (ENGLISH, "en"),
        (GERMAN, "de"),
        ("Oekraïne: overleg in Genève over een staakt-het-vuren", "nl"),
        ("Le gouvernement a annoncé mercredi de nouvelles mesures pour aider les ménages.", "fr"),
        ("Правительство объявило в среду о новых мерах поддержки семей с низкими доходами.", "ru"),
        ("政府は水曜日、低所得世帯の光熱費を支援する新たな対策を発表した。", "ja"),
    ],
)
def test_detects_the_language_of_news_text(text, expected):
    assert detect_language(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        None,
        "",
        "Kabinet valt",  # shorter than 20 characters
        "Van der Steur op de grill",  # Dutch, but the model says Luxembourgish at 0.57
        "https://example.com/a?id=12345 12345 67890 2026-11-02",  # no language at all (py3langid's zxx)
    ],
)
def test_no_answer_for_short_unsure_or_languageless_text(text):
    assert detect_language(text) is None


def test_detected_language_replaces_the_registry_default():
    entry = FeedEntry(position=1, link="https://demo.example/1", title="Energy bills", summary=ENGLISH)
    assert record_language(entry) == "en"


def test_a_short_title_falls_back_to_the_registry_language():
    entry = FeedEntry(position=1, link="https://demo.example/1", title="Energy bills soar")
    assert record_language(entry) == "nl"


def test_a_declared_language_stands_unless_the_text_contradicts_it_with_confidence():
    too_short = {"position": 1, "link": "https://demo.example/1", "title": "Energy bills soar"}
    assert record_language(FeedEntry(**too_short, language="nl-BE")) == "nl"
    assert record_language(FeedEntry(**too_short), feed_language="de") == "de"
    english_text = {**too_short, "title": "Energy bills", "summary": ENGLISH}
    record = RecordBuilder(DUTCH_SOURCE).build(
        FeedEntry(**english_text), feed_url=FEED_URL, feed_language="de", category=None,
        fetched_at="2026-11-02T06:00:00Z",
    )  # fmt: skip
    assert (record["language"], record["language_declared"], record["language_detected"]) == ("en", "de", "en")


# ---- accuracy on real and sample text (the figures in normalize.py) ------------

# Their feeds mix Tagalog items into English ones, so the publisher's language is no ground truth.
PHILIPPINE_FEEDS = {"abscbnnews", "gmanews", "gmanewstv", "philstar"}


def record_text(title: str | None, summary: str | None = None, body: str | None = None) -> str:
    """The text RecordBuilder detects the language of: title, summary and body as the record holds them."""
    parts = (clean_text(title), clean_text(summary), clean_text(body, keep_paragraphs=True))
    return " ".join(filter(None, parts))


def detection_share(texts: list[str], expected: str) -> float:
    """Share of `texts` detected; fails on any text detected as another language than `expected`."""
    detected = [(text, detect_language(text)) for text in texts]
    wrong = [(language, text[:80]) for text, language in detected if language not in (None, expected)]
    assert wrong == []
    return sum(language == expected for _, language in detected) / len(texts)


def test_no_wrong_detection_on_real_english_feeds(realdata):
    texts = []
    for path in sorted((realdata / "feeds-multi-publisher").glob("*/*.xml")):
        if path.stem in PHILIPPINE_FEEDS:
            continue
        try:
            entries = parse_feed(path.read_bytes()).entries
        except FeedError:  # the one empty snapshot
            continue
        texts += [record_text(e.title, e.summary, e.body) for e in entries if e.title]
    assert len(texts) > 4000
    assert detection_share(texts, "en") > 0.99


def test_no_wrong_detection_on_real_dutch_teasers(realdata):
    sites = json.loads((realdata / "dutch-homepages" / "data.json").read_text(encoding="utf-8"))
    texts = [record_text(a.get("headline"), a.get("standfirst")) for site in sites for a in site["articles"]]
    assert len(texts) > 500
    assert detection_share(texts, "nl") > 0.75


def test_no_wrong_detection_in_the_sample_world(tmp_path):
    world = generate_world(tmp_path, port=8000)
    truth = load_ground_truth(world.out_dir)
    by_language: dict[str, list[str]] = {}
    for source in truth["sources"].values():
        for feed in source["feeds"]:
            for day in world.dates:
                content = feed_as_fetched(world.out_dir, feed["url"], day)
                if content is None:  # the source is down at that day's fetch
                    continue
                entries = parse_feed(content, kind=feed["kind"]).entries
                by_language.setdefault(source["language"], []).extend(
                    record_text(e.title, e.summary, e.body) for e in entries if e.title
                )
    assert set(by_language) == {"nl", "en", "de"}
    for language, texts in by_language.items():
        assert detection_share(texts, language) > 0.99, language
