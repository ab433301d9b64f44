"""The sample news world: deterministic, complete, consistent with its ground truth, and served over HTTP."""

from __future__ import annotations

import calendar
import hashlib
import http.client
import json
import math
import re
import socket
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import pytest
import requests

from conftest import free_port
from newsdesk.collect.registry import load_registry
from newsdesk.sample import (
    DEFAULT_END_DATE,
    SampleServer,
    SampleServerError,
    daily_fetch_clock,
    feed_as_fetched,
    generate_world,
    load_ground_truth,
)

TRACKING = "?utm_source=rss&utm_medium=feed"


@pytest.fixture(scope="module")
def port() -> int:
    return free_port()


@pytest.fixture(scope="module")
def world(tmp_path_factory, port):
    return generate_world(tmp_path_factory.mktemp("world"), port=port)


@pytest.fixture(scope="module")
def truth(world) -> dict:
    return load_ground_truth(world.out_dir)


@pytest.fixture(scope="module")
def server(world, port):
    with SampleServer(world.out_dir, port=port) as running:
        yield running


@pytest.fixture
def client():
    session = requests.Session()
    session.trust_env = False  # never route loopback through a proxy from the environment
    yield session
    session.close()


def site_path(world, url: str) -> Path:
    """The file behind a sample-world URL."""
    path = url.split("://", 1)[1].split("/", 1)[1].split("?", 1)[0]
    return world.out_dir / "site" / path


def feed_bytes(world, template: str, day: str) -> bytes:
    """The feed as the daily fetch of ``day`` finds it (an empty feed when its source is down)."""
    return feed_as_fetched(world.out_dir, template, date.fromisoformat(day)) or b""


def parsed_entries(world, article: dict, day: str) -> list:
    """The feed entries (in every feed of the article) that link to the article on ``day``."""
    entries = []
    for template in article["feed_urls"]:
        parsed = feedparser.parse(feed_bytes(world, template, day))
        entries += [e for e in parsed.entries if e.get("link", "").split("?")[0] == article["url"]
                    or e.get("link") == article["feed_link"]]  # fmt: skip
    return entries


def as_utc_iso(struct) -> str:
    return datetime.fromtimestamp(calendar.timegm(struct), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def articles_with(truth: dict, quirk: str) -> list[dict]:
    return [a for a in truth["articles"] if quirk in a["quirks"]]


def file_hashes(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


# --- generation ------------------------------------------------------------


def test_same_arguments_give_byte_identical_files(world, port, tmp_path):
    again = generate_world(tmp_path / "again", port=port)
    first, second = file_hashes(world.out_dir), file_hashes(again.out_dir)
    assert len(first) > 300
    assert first == second

    other_seed = generate_world(tmp_path / "other", port=port, seed=8)
    assert other_seed.ground_truth_path.read_bytes() != world.ground_truth_path.read_bytes()


def test_a_day_does_not_depend_on_how_many_days_the_world_has(world, port, tmp_path):
    shorter = generate_world(tmp_path / "shorter", port=port, days=2)
    site = shorter.out_dir / "site"
    feeds = list(site.glob(f"*/{DEFAULT_END_DATE.isoformat()}/**/*.xml"))
    sources = load_ground_truth(shorter.out_dir)["sources"].values()
    assert len(feeds) == sum(len(s["feeds"]) for s in sources if not s["live_items"])
    for feed in feeds:
        assert feed.read_bytes() == (world.out_dir / "site" / feed.relative_to(site)).read_bytes()


def test_world_covers_countries_languages_and_wire_agencies(world, truth):
    sources = truth["sources"]
    assert world.sources == len(sources) >= 12
    assert len({s["country"] for s in sources.values()}) >= 4
    assert {"nl", "en", "de"} <= {s["language"] for s in sources.values()}
    assert {s["language"] for s in sources.values() if s["wire"]} == {"nl", "en", "de"}
    assert world.dates == tuple(DEFAULT_END_DATE - timedelta(days=n) for n in range(4, -1, -1))
    urls = [a["url"] for a in truth["articles"]]
    assert world.articles == len(urls) == len(set(urls))
    assert 150 <= world.articles <= 600
    assert {a["category"] for a in truth["articles"]} == {"politics", "economy", "sport", "tech", "culture", "world"}


def test_size_follows_days_and_stories_per_day(tmp_path, port):
    small = generate_world(tmp_path / "small", port=port, days=2, stories_per_day=40, end_date=date(2026, 1, 31))
    assert small.dates == (date(2026, 1, 30), date(2026, 1, 31))
    # about three articles per story, plus three trap articles a day
    assert 2 * 40 * 2 < small.articles < 2 * 40 * 6
    assert sorted(load_ground_truth(small.out_dir)["expected"]) == ["2026-01-30", "2026-01-31"]


def test_port_zero_is_refused_because_urls_embed_the_port(tmp_path):
    with pytest.raises(ValueError, match="pick a free port first"):
        generate_world(tmp_path, port=0)


def test_every_registry_entry_loads_and_points_at_a_feed_file(world, port):
    sources = load_registry(world.registry_path)
    assert len(sources) == world.sources
    assert all(s.local for s in sources)
    assert {f.kind for s in sources for f in s.feeds} == {"rss", "atom"}
    assert any(s.fetch_pages for s in sources)
    assert sum(len(s.feeds) > 1 for s in sources) >= 3
    live = {
        source_id for source_id, source in load_ground_truth(world.out_dir)["sources"].items() if source["live_items"]
    }
    assert 3 <= len(live) < len(sources) / 2  # most feeds are date-addressed archives, some are live
    for source in sources:
        assert source.homepage == f"http://127.0.0.1:{port}/{source.id}/"
        for feed in source.feeds:
            if source.id in live:
                assert "{date}" not in feed.url and feed.url.startswith(f"http://127.0.0.1:{port}/{source.id}/")
                continue
            assert feed.url.startswith(f"http://127.0.0.1:{port}/{source.id}/{{date}}/")
            for day in world.dates:
                assert site_path(world, feed.url_for(day)).is_file()


# --- feeds and ground truth ------------------------------------------------


def test_feeds_parse_and_hold_the_expected_number_of_items(world, truth):
    for day, expected in truth["expected"].items():
        total = 0
        for source_id, source in truth["sources"].items():
            items = 0
            for feed in source["feeds"]:
                raw = feed_bytes(world, feed["url"], day)
                parsed = feedparser.parse(raw)
                # the windows-1252 feed is well-formed; only a lying HTTP header would make it bozo
                assert not raw or not parsed.bozo, (source_id, day, parsed.get("bozo_exception"))
                items += len(parsed.entries)
            assert items == expected["by_source"][source_id]["items"], (source_id, day)
            total += items
        assert total == expected["items"] == expected["records"] + expected["rejects"]


def test_expected_counts_follow_from_articles_and_rejects(truth):
    for day, expected in truth["expected"].items():
        present = [a for a in truth["articles"] if day in a["feed_dates"]]
        rejects = [r for r in truth["rejects"] if r["date"] == day]
        assert expected["records"] == sum(len(a["feed_urls"]) for a in present)
        assert expected["distinct_urls"] == len(present)
        # three bad items a day; a live feed lists one for as long as it is among its latest
        assert expected["rejects"] == len(rejects) >= 2
        assert {r["reason"] for r in rejects} <= {"duplicate item", "missing link", "missing title"}
    assert {r["reason"] for r in truth["rejects"]} == {"duplicate item", "missing link", "missing title"}
    # one source puts its sport items in two feeds, so some day counts an URL twice
    assert any(e["records"] > e["distinct_urls"] for e in truth["expected"].values())


def test_rejected_items_are_what_their_reason_says(world, truth):
    for reject in truth["rejects"]:
        parsed = feedparser.parse(feed_bytes(world, reject["feed_url"], reject["date"]))
        ids = [e.get("id") for e in parsed.entries]
        if reject["reason"] == "missing title":
            assert reject["title"] is None
            (entry,) = [e for e in parsed.entries if e.get("id") == reject["guid"]]
            assert "title" not in entry
        elif reject["reason"] == "missing link":
            assert reject["link"] is None and not reject["guid"].startswith("http")
            (entry,) = [e for e in parsed.entries if e.get("id") == reject["guid"]]
            # feedparser falls back to the id (a urn:) as the link; there is no http link to give
            assert not entry.get("link", "").startswith("http")
        else:
            assert ids.count(reject["guid"]) == 2


def test_stories_group_articles_of_different_publishers(truth):
    articles = {a["url"]: a for a in truth["articles"]}
    in_stories = [url for urls in truth["stories"].values() for url in urls]
    assert sorted(in_stories) == sorted(articles)
    multi = [urls for urls in truth["stories"].values() if len(urls) > 1]
    assert len(multi) >= 30
    flash_desks = {source_id for source_id, source in truth["sources"].items() if source.get("flashes")}
    for urls in multi:
        sources = [articles[u]["source_id"] for u in urls]
        assert len(set(sources)) >= 2
        # a publisher reports an event once, but a flash desk sends a first report and follow-ups
        repeated = {source for source in sources if sources.count(source) > 1}
        assert repeated <= flash_desks, repeated
        assert len({articles[u]["category"] for u in urls}) == 1
    languages_per_story = [{articles[u]["language"] for u in urls} for urls in multi]
    assert any(len(languages) >= 2 for languages in languages_per_story)


def _lead_sentence(article: dict) -> str:
    """The first sentence of the article's first body version: the event's lead (updates put a sentence before it)."""
    summary = article["versions"][0]["summary"]
    return re.split(r"(?<=[.!?])\s", summary, maxsplit=1)[0]


def test_a_story_is_one_event(truth):
    """Every report of a story opens with its event's lead and runs under a wording of the event's headline."""
    articles = {a["url"]: a for a in truth["articles"]}
    prefixes = ("Net binnen: ", "Just in: ", "Aktuell: ")
    checked = 0
    for urls in truth["stories"].values():
        reports = [articles[url] for url in urls]
        if len(reports) < 2 or len({a["language"] for a in reports}) > 1:
            continue
        checked += 1
        # the same lead, maybe reworded by a house style ("zei" / "verklaarde")
        first = set(_lead_sentence(reports[0]).split())
        for report in reports[1:]:
            words = set(_lead_sentence(report).split())
            assert len(first & words) / len(first | words) >= 0.7, (reports[0]["title"], report["title"])
        wordings = {
            v["title"].removeprefix(p)
            for a in reports
            for v in a["versions"]
            for p in prefixes
            if v["title"].startswith(p)
        } | {
            v["title"].removesuffix(" (update)")  # a flash desk's correction
            for a in reports
            for v in a["versions"]
            if not v["title"].startswith(prefixes)
        }
        assert len(wordings) <= 3, wordings
    assert checked >= 30


def test_running_stories_link_episodes_of_consecutive_days(truth):
    articles = {a["url"]: a for a in truth["articles"]}
    by_story = {story_id: [articles[url] for url in urls] for story_id, urls in truth["stories"].items()}
    linked = [ids for ids in truth["running_stories"].values() if len(ids) >= 2]
    assert len(linked) >= 3
    for ids in linked:
        days = [date.fromisoformat(by_story[story_id][0]["feed_dates"][0]) for story_id in ids]
        assert days == [days[0] + timedelta(days=n) for n in range(len(ids))]
        episodes = [by_story[story_id] for story_id in ids]
        assert len({a["language"] for episode in episodes for a in episode}) == 1
        assert len({a["category"] for episode in episodes for a in episode}) == 1
        assert all(len(episode) >= 2 for episode in episodes)
        # each episode its own event: its own lead sentence
        assert len({_lead_sentence(episode[0]) for episode in episodes}) == len(episodes)
    in_running = [story_id for ids in truth["running_stories"].values() for story_id in ids]
    assert len(in_running) == len(set(in_running)) and set(in_running) <= set(truth["stories"])


def test_syndicated_copies_point_at_the_agency_original(truth):
    articles = {a["url"]: a for a in truth["articles"]}
    pairs = truth["syndicated_pairs"]
    assert len(pairs) >= 10
    for original_url, copy_url in pairs:
        original, copy = articles[original_url], articles[copy_url]
        assert truth["sources"][original["source_id"]]["wire"]
        assert not truth["sources"][copy["source_id"]]["wire"]
        assert copy["syndicated_from"] == original_url and original["syndicated_from"] is None
        assert copy["story_id"] == original["story_id"] and copy["language"] == original["language"]
        # same body, at most one paragraph dropped or added (plus a possible update paragraph on the original)
        assert abs(copy["body_paragraphs"] - original["body_paragraphs"]) <= 2
    assert {a["syndicated_from"] for a in articles.values()} - {None} == {p[0] for p in pairs}


def _tfidf_vectors(world, articles: list[dict]) -> dict[str, dict[str, float]]:
    """Unit-length TF-IDF vectors of title + page body, the plainest similarity method there is."""
    counts = {}
    for article in articles:
        page = site_path(world, article["url"]).read_text(encoding="utf-8")
        body = page.split("<article>", 1)[1].split("</article>", 1)[0]
        counts[article["url"]] = Counter(re.findall(r"\w{3,}", f"{article['title']} {body}".lower()))
    document_frequency = Counter(word for words in counts.values() for word in words)
    vectors = {}
    for url, words in counts.items():
        weights = {w: (1 + math.log(n)) * math.log(len(counts) / document_frequency[w]) for w, n in words.items()}
        norm = math.sqrt(sum(x * x for x in weights.values()))
        vectors[url] = {w: x / norm for w, x in weights.items()}
    return vectors


def test_a_plain_similarity_method_finds_the_other_versions_of_a_story(world, truth):
    """Own-words versions share the story's entities, so each one's nearest neighbour tells the same story."""
    articles = truth["articles"]
    vectors = _tfidf_vectors(world, articles)

    def cosine(a: str, b: str) -> float:
        return sum(x * vectors[b].get(w, 0.0) for w, x in vectors[a].items())

    def own_words(a: dict) -> bool:
        return a["syndicated_from"] is None and not truth["sources"][a["source_id"]]["wire"]

    found = checked = 0
    for article in filter(own_words, articles):
        others = [b for b in articles if b["url"] != article["url"] and b["language"] == article["language"]]
        if not any(b["story_id"] == article["story_id"] and own_words(b) for b in others):
            continue
        nearest = max(others, key=lambda b: cosine(article["url"], b["url"]))
        checked += 1
        found += nearest["story_id"] == article["story_id"]
    assert checked >= 60
    assert found / checked >= 0.9


def test_texts_are_unicode_and_summaries_open_the_body(world, truth):
    titles = " ".join(a["title"] for a in truth["articles"])
    bodies = " ".join(site_path(world, a["url"]).read_text(encoding="utf-8") for a in truth["articles"][:80])
    assert set("ëüßé") <= set(titles + bodies)
    assert set("‘’“”„") & set(bodies)
    for article in truth["articles"]:
        assert 4 <= article["body_paragraphs"] <= 12 or "flash" in article["quirks"]
        assert 1 <= len(re.findall(r"[.!?][’”“]?(?:\s|$)", article["summary"])) <= 2


# --- traps -----------------------------------------------------------------


def test_every_day_has_the_trap_articles(truth):
    for day in truth["dates"]:
        for quirk in ("html_in_text", "sql_like_title", "missing_date"):
            assert len([a for a in articles_with(truth, quirk) if a["feed_dates"][0] == day]) == 1, (day, quirk)


def test_html_in_text_fields_has_a_clean_expected_text(world, truth):
    for article in articles_with(truth, "html_in_text"):
        assert "<" not in article["title"] and "&" in article["title"] and "<" not in article["summary"]
        assert article["title"].endswith(' – "live" & video')
        raw = feed_bytes(world, article["feed_urls"][0], article["feed_dates"][0])
        assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in raw
        entry = parsed_entries(world, article, article["feed_dates"][0])[0]
        assert "<b>" in entry.title  # the feed really gives markup


def test_sql_like_title_and_missing_date_are_valid_articles(world, truth):
    for article in articles_with(truth, "sql_like_title"):
        assert article["language"] == "en"
        assert article["title"].startswith('O\'Brien says "DROP TABLE articles"; --')
        (entry,) = parsed_entries(world, article, article["feed_dates"][0])
        assert entry.title == article["title"]
    for article in articles_with(truth, "missing_date"):
        assert article["published_at"] is None and article["updated_at"] is None
        (entry,) = parsed_entries(world, article, article["feed_dates"][0])
        assert "published_parsed" not in entry and "updated_parsed" not in entry


def test_updated_article_reappears_next_day_under_the_same_url(world, truth):
    updated = [a for a in articles_with(truth, "updated") if not truth["sources"][a["source_id"]]["live_items"]]
    assert updated
    kinds = set()
    for article in updated:
        first, second = article["versions"]
        assert article["feed_dates"] == [first["feed_date"], second["feed_date"]]
        assert date.fromisoformat(second["feed_date"]) - date.fromisoformat(first["feed_date"]) == timedelta(days=1)
        assert second["title"] != first["title"] and second["summary"] != first["summary"]
        assert article["title"] == second["title"] and article["updated_at"] == second["updated_at"]
        assert second["updated_at"][:10] == second["feed_date"]
        old = parsed_entries(world, article, first["feed_date"])[0]
        new = parsed_entries(world, article, second["feed_date"])[0]
        assert (old.title, new.title) == (first["title"], second["title"])
        assert old.id == new.id == article["guid"]
        assert as_utc_iso(old.published_parsed) == as_utc_iso(new.published_parsed) == article["published_at"]
        assert as_utc_iso(new.updated_parsed) == second["updated_at"]
        kinds.add(truth["sources"][article["source_id"]]["feeds"][0]["kind"])
    assert kinds == {"rss", "atom"}


def test_local_time_offsets_convert_to_the_ground_truth_utc(world, truth):
    offset_articles = [
        a for a in articles_with(truth, "non_utc_offset")
        if a["published_at"] and "dated_in_json_ld_only" not in a["quirks"]
    ]  # fmt: skip
    assert {truth["sources"][a["source_id"]]["time_zone"] for a in offset_articles} == {"+0100", "+0200"}
    for article in offset_articles[:40]:
        entry = parsed_entries(world, article, article["feed_dates"][0])[0]
        assert as_utc_iso(entry.published_parsed) == article["published_at"]


def test_tracking_parameters_are_only_on_feed_links(world, truth):
    tracked = articles_with(truth, "tracking_params")
    assert tracked
    for article in tracked:
        own = "&ito=1490&ns_mchannel=1490" if "own_tracking_params" in article["quirks"] else ""
        assert article["feed_link"] == article["url"] + TRACKING + own
        page = site_path(world, article["url"]).read_text(encoding="utf-8")
        assert f'<link rel="canonical" href="{article["url"]}">' in page


def test_page_carries_metadata_and_the_body(world, truth):
    fetched = [a for a in truth["articles"] if truth["sources"][a["source_id"]]["fetch_pages"] and a["published_at"]]
    assert fetched
    for article in fetched[:25]:
        page = site_path(world, article["url"]).read_text(encoding="utf-8")
        data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page).group(1))
        if "dated_in_json_ld_only" in article["quirks"]:  # the dates on a WebPage beside the article
            (page_object, data) = data["@graph"]
            assert page_object["@type"] == "WebPage" and "article:published_time" not in page
            data = {**data, "datePublished": page_object["datePublished"]}
        assert data["@type"] == "NewsArticle" and data["headline"] == article["title"]
        assert data["author"]["name"] == article["author"] and data["image"] == [article["image_url"]]
        assert data["inLanguage"] == article["language"]
        assert datetime.fromisoformat(data["datePublished"]) == datetime.fromisoformat(article["published_at"])
        assert f'<meta property="og:url" content="{article["url"]}">' in page
        body = page.split("<article>", 1)[1].split("</article>", 1)[0]
        assert body.count("<p>") == article["body_paragraphs"]
        assert "<nav" in page and "<footer" in page and 'class="related"' in page
        # the feed alone does not give the body, author or image of these sources
        entry = parsed_entries(world, article, article["feed_dates"][0])[0]
        assert "author" not in entry
        # plain feedparser takes a picture caption (media:description) for content, its issue #53
        assert "content" not in entry or "caption_in_feed" in article["quirks"]


# --- server ----------------------------------------------------------------


def test_server_serves_feeds_pages_and_robots(server, client, world, truth):
    article = next(a for a in articles_with(truth, "tracking_params"))
    response = client.get(article["feed_link"].replace(truth["base_url"], server.base_url), timeout=5)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert response.content == site_path(world, article["url"]).read_bytes()

    rss = client.get(f"{server.base_url}/dagkoerier/{truth['dates'][0]}/politiek/rss.xml", timeout=5)
    assert (rss.status_code, rss.headers["Content-Type"]) == (200, "application/rss+xml; charset=utf-8")
    atom = client.get(f"{server.base_url}/polderpost/{truth['dates'][0]}/atom.xml", timeout=5)
    assert (atom.status_code, atom.headers["Content-Type"]) == (200, "application/atom+xml; charset=utf-8")
    expected_items = truth["expected"][truth["dates"][0]]["by_source"]["polderpost"]["items"]
    assert len(feedparser.parse(atom.content).entries) == expected_items

    robots = client.get(f"{server.base_url}/robots.txt", timeout=5)
    assert robots.status_code == 200 and "Allow: /" in robots.text
    homepage = client.get(f"{server.base_url}/polderpost/", timeout=5)
    assert homepage.status_code == 200 and "Polderpost" in homepage.text


def test_server_answers_404_for_missing_files_and_paths_outside_the_site(server, client):
    assert client.get(f"{server.base_url}/polderpost/2001-01-01/atom.xml", timeout=5).status_code == 404
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    for path in ("/../ground_truth.json", "/%2e%2e/registry.yaml"):
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        assert response.status == 404, path
    connection.close()


def test_server_answers_conditional_requests_with_304(server, client, truth):
    url = f"{server.base_url}/nll/{truth['dates'][-1]}/rss.xml"
    first = client.get(url, timeout=5)
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert client.get(url, headers={"If-None-Match": etag}, timeout=5).status_code == 304
    assert client.get(url, headers={"If-None-Match": '"something-else"'}, timeout=5).status_code == 200
    assert client.get(url, headers={"If-Modified-Since": modified}, timeout=5).status_code == 304
    long_ago = "Mon, 01 Jan 2001 00:00:00 GMT"
    assert client.get(url, headers={"If-Modified-Since": long_ago}, timeout=5).status_code == 200
    assert client.head(url, timeout=5).headers["ETag"] == etag


def test_wrong_charset_feed_is_labelled_utf8_but_written_in_windows_1252(server, client, world, truth):
    day = truth["dates"][-1]
    response = client.get(f"{server.base_url}/alpenbote/{day}/rss.xml", timeout=5)
    assert response.headers["Content-Type"] == "application/rss+xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="windows-1252"?>')
    with pytest.raises(UnicodeDecodeError):
        response.content.decode("utf-8")
    parsed = feedparser.parse(response.content, response_headers=dict(response.headers))
    expected = {a["title"] for a in truth["articles"] if a["source_id"] == "alpenbote" and day in a["feed_dates"]}
    titles = {e.title for e in parsed.entries if "title" in e}
    assert expected and expected <= titles
    assert any(ch in "".join(titles) for ch in "äöüßÄÖÜ„“–")


def test_busy_port_raises_an_error_naming_the_port(world):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        taken = busy.getsockname()[1]
        with pytest.raises(SampleServerError, match=rf"port {taken} .*already in use.*port=0"):
            SampleServer(world.out_dir, port=taken).start()


def test_port_zero_serves_on_a_free_port(world, client):
    with SampleServer(world.out_dir, port=0) as running:
        assert running.port != 0
        assert client.get(f"{running.base_url}/robots.txt", timeout=5).status_code == 200
    with pytest.raises(requests.ConnectionError):
        client.get(f"{running.base_url}/robots.txt", timeout=2)


def test_missing_world_is_a_clear_error(tmp_path):
    with pytest.raises(SampleServerError, match="run generate_world"):
        SampleServer(tmp_path, port=0).start()


# --- live feeds ------------------------------------------------------------


def live_feed_url(server, source_id: str, truth: dict) -> str:
    """The source's (first) live feed on ``server``, whatever port the world was generated for."""
    return f"{server.base_url}/{truth['sources'][source_id]['feeds'][0]['url'].split('/', 3)[3]}"


def listed_links(response) -> list[str]:
    return [entry.link.split("?")[0] for entry in feedparser.parse(response.content).entries]


def test_a_live_feed_moves_on_with_the_clock(world, truth, client):
    with SampleServer(world.out_dir, port=free_port()) as server:
        url = live_feed_url(server, "snelnieuws", truth)
        day = date.fromisoformat(truth["dates"][-2])
        server.clock = daily_fetch_clock(day) - timedelta(hours=3)
        earlier = listed_links(client.get(url, timeout=5))
        server.clock = daily_fetch_clock(day) - timedelta(hours=1)
        later = listed_links(client.get(url, timeout=5))
        server.clock = daily_fetch_clock(day) + timedelta(days=1)
        next_day = listed_links(client.get(url, timeout=5))
    size = truth["sources"]["snelnieuws"]["live_items"]
    assert len(earlier) == len(later) == size
    assert 0 < len(set(earlier) & set(later)) < size  # two fetches two hours apart overlap, and the feed moved on
    assert not set(earlier) & set(next_day)  # a day later it lists none of them: only frequent fetches see them all
    flashes = [a for a in truth["articles"] if a["source_id"] == "snelnieuws" and a["published_at"][:10] == str(day)]
    assert len(flashes) > 2 * size  # a busy publisher: most of its day never shows in one fetch


def test_an_edited_live_item_comes_back_with_its_new_title(world, truth, client):
    article = next(a for a in articles_with(truth, "updated") if a["source_id"] == "snelnieuws")
    first, second = article["versions"]
    with SampleServer(world.out_dir, port=free_port()) as server:
        url = live_feed_url(server, "snelnieuws", truth)
        edited_at = datetime.fromisoformat(second["updated_at"].replace("Z", "+00:00"))
        server.clock = edited_at - timedelta(seconds=1)
        before = {e.link: e.title for e in feedparser.parse(client.get(url, timeout=5).content).entries}
        server.clock = edited_at
        after = {e.link: e.title for e in feedparser.parse(client.get(url, timeout=5).content).entries}
    assert before.get(article["url"]) in (first["title"], None)
    assert after[article["url"]] == second["title"] != first["title"]


def test_a_source_in_an_outage_answers_503_and_comes_back(world, truth, client):
    (outage,) = truth["outages"]
    start = datetime.fromisoformat(outage["from"].replace("Z", "+00:00"))
    until = datetime.fromisoformat(outage["until"].replace("Z", "+00:00"))
    assert (
        start <= datetime.fromisoformat(truth["daily_fetch_clocks"][truth["dates"][-2]].replace("Z", "+00:00")) < until
    )
    with SampleServer(world.out_dir, port=free_port()) as server:
        url = live_feed_url(server, outage["source_id"], truth)
        server.clock = start
        assert client.get(url, timeout=5).status_code == 503
        server.clock = until
        assert client.get(url, timeout=5).status_code == 200
        server.failing_sources.add(outage["source_id"])
        assert client.get(url, timeout=5).status_code == 503
        assert client.get(f"{server.base_url}/nll/{truth['dates'][-1]}/rss.xml", timeout=5).status_code == 200
    assert truth["expected"][truth["dates"][-2]]["by_source"][outage["source_id"]]["items"] == 0


def test_feeds_carry_the_quirks_of_real_ones(server, client, world, truth):
    """Captions in media:description, a source's own tracking parameters, short links that
    redirect, a mis-declared language, pages dated only in JSON-LD: each on some articles."""
    quirky = {quirk: articles_with(truth, quirk) for quirk in (
        "caption_in_feed", "own_tracking_params", "short_link", "misdeclared_language", "dated_in_json_ld_only"
    )}  # fmt: skip
    assert all(quirky.values()), {quirk: len(found) for quirk, found in quirky.items()}
    captioned = quirky["caption_in_feed"][0]
    feed = feed_bytes(world, captioned["feed_urls"][0], captioned["feed_dates"][0]).decode("utf-8")
    assert "<media:description>" in feed and "<content:encoded>" not in feed  # the body is on the page only
    short = quirky["short_link"][0]
    assert short["feed_link"].startswith(truth["base_url"] + "/go/") and short["url"] != short["feed_link"]
    moved = client.get(short["feed_link"].replace(truth["base_url"], server.base_url), allow_redirects=False, timeout=5)
    assert (moved.status_code, moved.headers["Location"]) == (301, short["url"])
    misdeclared = quirky["misdeclared_language"][0]
    rss = feed_bytes(world, misdeclared["feed_urls"][0], misdeclared["feed_dates"][0]).decode("utf-8")
    assert "<language>en-US</language>" in rss and misdeclared["language"] == "nl"
    registry = {source.id: source for source in load_registry(world.registry_path)}
    assert registry["lakeshore-tribune"].tracking_params == frozenset({"ito", "ns_mchannel"})
    assert registry["capitol-dispatch"].short_links == (f"{urlsplit(truth['base_url']).netloc}/go/",)


def test_extracted_records_are_true_to_the_quirky_sources(server, world, truth, tmp_path):
    """extract_source over loopback on the quirky publishers: the records say what the ground truth does."""
    from newsdesk.collect import landing
    from newsdesk.collect.extract import extract_source, read_jsonl

    day = date.fromisoformat(truth["dates"][-1])
    quirky = ("grachtengazet", "lakeshore-tribune", "capitol-dispatch", "scheldebode", "rheinblatt")
    registry = {source.id: source for source in load_registry(world.registry_path)}
    expected = {a["url"]: a for a in truth["articles"] if day.isoformat() in a["feed_dates"]}
    records = {}
    for source_id in quirky:
        extract_source(registry[source_id], day, tmp_path / "landing")
        (attempt,) = landing.attempts(tmp_path / "landing", day, source_id)
        records[source_id] = read_jsonl(attempt.file(landing.RECORDS))
    for source_id, found in records.items():
        assert found and all(record["url"] in expected for record in found), source_id
    # captions never the body: the page's body replaces nothing but fills it
    for record in records["grachtengazet"]:
        truth_article = expected[record["url"]]
        assert record["body_source"] == "page" and len(record["body"].split()) == truth_article["body_words"]
    # a source's own tracking parameters, and short links resolved to the article by a fetch
    for source_id in ("lakeshore-tribune", "capitol-dispatch"):
        for record in records[source_id]:
            assert record["feed_link"] == expected[record["url"]]["feed_link"] != record["url"]
    # the declared language kept beside the one the titles say
    languages = Counter((r["language_declared"], r["language"]) for r in records["scheldebode"])
    assert set(languages) <= {("en", "nl"), ("en", "en")} and languages["en", "nl"] > languages["en", "en"]
    # a date found only in the page's JSON-LD
    for record in records["rheinblatt"]:
        assert record["published_at"] == expected[record["url"]]["published_at"]
        assert record["published_at_source"] == ("page_json_ld" if record["published_at"] else None)
