"""The invented publishers of the sample world: 16 sources, 6 countries, 3 languages.

Each language has one wire agency whose copy other publishers of that
language syndicate. The mix covers what a collector meets in practice:

- RSS 2.0 and Atom 1.0 feeds; four publishers with two feeds each (disjoint
  categories, except ``kempenstem`` whose sport items are also on its general
  feed, so the same URL appears in two feeds of one source);
- ``fetch_pages`` publishers whose feeds give only title, link, date and a
  short summary: the body, author and image are on the article page;
- feed links with ``utm_*`` tracking parameters (the canonical URL has none);
- RSS dates in +01:00 / +02:00 and Atom dates in +01:00;
- one publisher without bylines or images (author and image are null);
- ``alpenbote``'s feed is written in windows-1252, its XML declaration says so,
  but the server labels it ``charset=utf-8``;
- live feeds (``live_items``): one URL listing the latest N items as of the
  server's clock, like a real feed, instead of one archive file per day
  (``scheldebode``, ``capitol-dispatch``, ``elbe-kurier``);
- ``snelnieuws`` (in ``FLASH_PUBLISHERS``): news flashes around the clock,
  each a short first report or follow-up of one of the day's Dutch events
  (so one event can have several), whose live feed turns over within hours;
  the day's last flash is corrected after midnight;
- ``grachtengazet``'s items carry their lead image's caption in
  ``media:description`` (as the New York Times' do): a caption, not the body;
- ``lakeshore-tribune`` adds tracking parameters of its own (``ito``,
  ``ns_mchannel``, as the Daily Mail does), which its registry entry names;
- ``capitol-dispatch`` links its items through short links on the server's
  ``/go/`` path, which redirect to the article (as ``cnn.it`` does);
- ``scheldebode``'s feed declares ``en-US`` (a CMS default) over Dutch text;
- ``rheinblatt``'s items are undated and its pages carry the date only in
  their JSON-LD, on a ``WebPage`` object beside the ``NewsArticle``.
"""

from __future__ import annotations

from newsdesk.sample.model import FeedSpec, Publisher

PUBLISHERS: tuple[Publisher, ...] = (
    # Dutch: Netherlands and Belgium
    Publisher("nll", "Nieuwsdienst der Lage Landen", "NL", "nl", (FeedSpec("rss"),), wire=True, agency_credit="NLL"),
    Publisher(
        "dagkoerier",
        "De Dagkoerier",
        "NL",
        "nl",
        (
            FeedSpec("rss", "politics", frozenset({"politics"}), "politiek"),
            FeedSpec("rss", "economy", frozenset({"economy"}), "economie"),
        ),
        permalink_guids=True,
    ),
    Publisher("polderpost", "Polderpost", "NL", "nl", (FeedSpec("atom"),), fetch_pages=True),
    Publisher(
        "grachtengazet",
        "Grachtengazet",
        "NL",
        "nl",
        (FeedSpec("rss"),),
        fetch_pages=True,
        tracking=True,
        time_zone="+0000",
        captions=True,
    ),
    Publisher(
        "scheldebode",
        "De Scheldebode",
        "BE",
        "nl",
        (FeedSpec("rss"),),
        time_zone="+0100",
        declared_language="en-US",
        live_items=20,
    ),
    Publisher(
        "kempenstem",
        "Kempense Stem",
        "BE",
        "nl",
        (FeedSpec("atom"), FeedSpec("atom", "sport", frozenset({"sport"}), "sport")),
        time_zone="+0100",
    ),
    # English: United Kingdom and United States
    Publisher("albion-wire", "Albion Wire", "GB", "en", (FeedSpec("atom"),), wire=True, agency_credit="Albion Wire"),
    Publisher(
        "thames-herald",
        "The Thames Herald",
        "GB",
        "en",
        (
            FeedSpec("rss", None, frozenset({"politics", "economy", "world", "tech"}), "news"),
            FeedSpec("rss", "sport", frozenset({"sport"}), "sport"),
        ),
        permalink_guids=True,
    ),
    Publisher("northern-ledger", "The Northern Ledger", "GB", "en", (FeedSpec("atom"),), fetch_pages=True),
    Publisher(
        "lakeshore-tribune",
        "Lakeshore Tribune",
        "US",
        "en",
        (FeedSpec("rss"),),
        tracking=True,
        bylines=False,
        time_zone="+0000",
        own_tracking=("ito", "ns_mchannel"),
    ),
    Publisher("capitol-dispatch", "Capitol Dispatch", "US", "en", (FeedSpec("atom"),), short_links=True, live_items=20),
    # German: Germany and Austria
    Publisher(
        "mnd", "Mitteleuropäischer Nachrichtendienst", "DE", "de", (FeedSpec("rss"),), wire=True, agency_credit="MND"
    ),
    Publisher(
        "rheinblatt",
        "Rheinblatt",
        "DE",
        "de",
        (FeedSpec("rss"),),
        fetch_pages=True,
        time_zone="+0100",
        dated_in_json_ld_only=True,
    ),
    Publisher(
        "elbe-kurier",
        "Elbe-Kurier",
        "DE",
        "de",
        (
            FeedSpec("atom", "politics", frozenset({"politics"}), "politik"),
            FeedSpec("atom", "economy", frozenset({"economy"}), "wirtschaft"),
        ),
        live_items=12,
    ),
    Publisher("alpenbote", "Der Alpenbote", "AT", "de", (FeedSpec("rss"),), time_zone="+0200", feed_encoding="cp1252"),
    Publisher("donau-presse", "Donau-Presse", "AT", "de", (FeedSpec("atom"),), tracking=True),
)

# Kept apart from PUBLISHERS: they write no stories, so the stories' draws are the same with or without them.
FLASH_PUBLISHERS: tuple[Publisher, ...] = (
    Publisher("snelnieuws", "Snelnieuws", "NL", "nl", (FeedSpec("rss"),), live_items=6, collect_every_minutes=60),
)
ALL_PUBLISHERS: tuple[Publisher, ...] = PUBLISHERS + FLASH_PUBLISHERS


def publisher_by_id(publisher_id: str) -> Publisher:
    return next(p for p in ALL_PUBLISHERS if p.id == publisher_id)
