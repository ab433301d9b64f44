"""The aggregator page parser: the seed page's exact values, hand-written variants, and text that is no such page."""

from datetime import datetime

import pytest

from conftest import shared_dir
from newsdesk.collect.aggregator import (
    AggregatorPage,
    NotAnAggregatorPage,
    SimilarArticle,
    parse_aggregator_page,
    reading_time_seconds,
)
from newsdesk.collect.normalize import content_hash
from newsdesk.collect.parse import FeedError
from newsdesk.collect.sniff import records_from_payload

SEED_TITLE = "Sinds invasie Oekraïne willen meer beroepsmilitairen het Russische leger uit"

ENGLISH_PAGE = """Storm closes ports along the North Sea coast

World News News

Storm closes ports along the North Sea coast
World Latest News,World Headlines
  • 📰 BBC
  • ⏱ Reading Time:
  • 45 sec. here
  • 1 min. 30 sec. at publisher
  • 📊 Quality Score:
  • News: 71%
  • Publisher: 88%

Ports from Calais to Hamburg closed on Sunday as the storm reached the coast.

Ferries stayed in harbour and lorries queued on the motorways.

We summarised this news so you can read it quickly. If you are interested, you can read the full text here. Read more:

BBC /  🏆 2. in GB

Similar News:You can also read news stories similar to this one that we have collected from other news sources.

Ferries cancelled until MondayFerries cancelled until MondayAll crossings between Dover and Calais stopped.
Read more »

Render Time: 2025-04-11 10:00:00"""


@pytest.fixture(scope="module")
def seed_text() -> str:
    path = shared_dir() / "seed" / "aggregator-page-nl.txt"
    if not path.is_file():
        pytest.skip(f"seed page not found at {path} (set NEWSDESK_SHARED to the shared/ folder)")
    return path.read_text(encoding="utf-8")


def test_seed_page_values(seed_text):
    page = parse_aggregator_page(seed_text)
    assert page.title == SEED_TITLE
    assert page.source_name == "NOS"
    assert page.category == "Nederland Nieuws"
    assert page.headlines == ("Nederland Laatste Nieuws", "Nederland Headlines")
    assert (page.reading_time_here_seconds, page.reading_time_publisher_seconds) == (26, 120)
    assert (page.news_quality_pct, page.publisher_quality_pct) == (14, 63)
    assert (page.source_rank, page.rank_country) == (5, "NL")
    assert [item.title for item in page.similar] == [
        "Politicus in Moskou krijgt zeven jaar cel wegens kritiek op oorlog",
        "Rusland onder vuur bij G20-top; minister Lavrov vertrekt voortijdig",
    ]
    assert page.similar[1].summary == (
        "Bijna alle landen vroegen Rusland om de blokkade van graanexport uit Oekraïne op te heffen."
    )
    assert page.render_time == datetime(2025, 4, 11, 9, 58, 25)


def test_seed_summary_is_the_three_paragraphs_without_the_aggregators_closing_note(seed_text):
    paragraphs = parse_aggregator_page(seed_text).summary.split("\n\n")
    assert len(paragraphs) == 3
    assert paragraphs[0].startswith("Sommige Russische soldaten zijn moegestreden")
    assert paragraphs[2].endswith("die was opgeroepen om langs te komen bij een rekruteringsbureau.")
    assert not any("Lees verder" in paragraph for paragraph in paragraphs)


def test_seed_page_becomes_one_record_when_given_its_url(seed_text):
    url = "https://nos.nl/artikel/2437381?utm_source=aggregator"
    page = parse_aggregator_page(seed_text)
    fmt, records, rejects = records_from_payload(
        seed_text.encode(), source_id="nos", url=url, fetched_at="2025-04-11T09:58:25Z"
    )
    summary = " ".join(page.summary.split())
    assert (fmt, rejects) == ("aggregator", [])
    assert records == [
        {
            "source_id": "nos",
            "feed_url": url,
            "url": "https://nos.nl/artikel/2437381",
            "guid": None,
            "title": SEED_TITLE,
            "summary": summary,
            "body": None,
            "author": None,
            "published_at": None,
            "updated_at": None,
            # The page declares none: RecordBuilder detects it in the text; no registry default is added.
            "language": "nl",
            "category": "Nederland Nieuws",
            "image_url": None,
            "fetched_at": "2025-04-11T09:58:25Z",
            "content_hash": content_hash(SEED_TITLE, summary, None),
            "feed_link": url,  # the link as given; the canonical URL drops its tracking parameter
            "media_kind": None,
            "language_declared": None,
            "language_detected": "nl",
            "published_at_source": None,
            "body_source": None,
        }
    ]


def test_seed_page_without_a_url_is_rejected_as_missing_link(seed_text):
    _fmt, records, rejects = records_from_payload(seed_text.encode(), source_id="nos", url=None)
    assert records == []
    assert [reject["reason"] for reject in rejects] == ["missing link"]


def test_english_page_with_mixed_durations():
    page = parse_aggregator_page(ENGLISH_PAGE)
    assert page == AggregatorPage(
        title="Storm closes ports along the North Sea coast",
        source_name="BBC",
        category="World News",
        headlines=("World Latest News", "World Headlines"),
        reading_time_here_seconds=45,
        reading_time_publisher_seconds=90,
        news_quality_pct=71,
        publisher_quality_pct=88,
        summary=(
            "Ports from Calais to Hamburg closed on Sunday as the storm reached the coast.\n\n"
            "Ferries stayed in harbour and lorries queued on the motorways."
        ),
        source_rank=2,
        rank_country="GB",
        similar=(SimilarArticle("Ferries cancelled until Monday", "All crossings between Dover and Calais stopped."),),
        render_time=datetime(2025, 4, 11, 10, 0, 0),
    )


def test_missing_quality_block_leaves_the_scores_none_and_the_rest_intact():
    without_quality = ENGLISH_PAGE.replace("  • 📊 Quality Score:\n  • News: 71%\n  • Publisher: 88%\n", "")
    assert without_quality != ENGLISH_PAGE
    page = parse_aggregator_page(without_quality)
    assert (page.news_quality_pct, page.publisher_quality_pct) == (None, None)
    assert (page.source_name, page.reading_time_here_seconds, page.reading_time_publisher_seconds) == ("BBC", 45, 90)
    assert page.summary.startswith("Ports from Calais")


def test_minimal_page_takes_the_source_from_the_rank_line():
    page = parse_aggregator_page("Kabinet valt over asielbeleid\n\nNU.nl / 🏆 12. in NL\n")
    assert (page.title, page.source_name, page.source_rank, page.rank_country) == (
        "Kabinet valt over asielbeleid", "NU.nl", 12, "NL"
    )  # fmt: skip
    assert (page.category, page.headlines, page.summary, page.similar, page.render_time) == (None, (), None, (), None)
    assert page.reading_time_here_seconds is None


def test_similar_item_whose_title_is_not_doubled_keeps_the_line_as_title():
    page = parse_aggregator_page("Titel\n\nSimilar News:\n\nEen ander bericht\nLees verder »\n")
    assert page.similar == (SimilarArticle("Een ander bericht", None),)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("26 sec.", 26),
        ("2 min.", 120),
        ("1 min. 30 sec.", 90),
        ("3 min read", 180),
        ("1,5 min", 90),
        ("2 minutes 5 seconds", 125),
        ("soon", None),
    ],
)
def test_reading_time_seconds(text, seconds):
    assert reading_time_seconds(text) == seconds


@pytest.mark.parametrize(
    "text",
    [
        "Just a paragraph of prose about the news.\n\nAnd another one.",
        # The brief quotes the labels inside a table: prose about a page is no page.
        '| "Reading Time: 26 sec. here, 2 min. at publisher" | reading time |\n| "NOS / 🏆 5. in NL" | ranking |',
        # Markers but no title above them.
        "Render Time: 2025-04-11 09:58:25\n",
    ],
)
def test_text_that_is_no_aggregator_page_is_refused(text):
    with pytest.raises(NotAnAggregatorPage) as refused:
        parse_aggregator_page(text)
    assert isinstance(refused.value, FeedError)
    assert str(refused.value)
