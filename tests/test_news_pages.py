"""The news pages on the demo's published warehouse: each value shown is the warehouse's, behind Airflow's login."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from lxml import html as lxml_html

from helpers.published import read_published
from newsdesk.ui.app import create_app
from newsdesk.ui.login import require_login
from newsdesk.warehouse.summary import FEATURED_ARTICLE_SQL, format_duration, format_percent


@pytest.fixture(scope="module")
def client(demo_published, tmp_path_factory) -> TestClient:
    none = tmp_path_factory.mktemp("no-reports")
    app = create_app(reports_dir=none, quality_dir=none, published=demo_published)
    app.dependency_overrides[require_login] = lambda: None  # as if logged in to Airflow
    return TestClient(app)


def rows(published, sql: str, parameters: list | None = None) -> list[tuple]:
    with read_published(published) as conn:
        return conn.execute(sql, parameters or []).fetchall()


def page(client: TestClient, path: str):
    response = client.get(path)
    assert response.status_code == 200, (path, response.text[:300])
    tree = lxml_html.fromstring(response.text)
    assert float(tree.get_element_by_id("render-ms").text_content()) > 0
    return tree


def text(tree, element_id: str) -> str:
    return " ".join(tree.get_element_by_id(element_id).text_content().split())


def test_the_article_page_shows_the_seed_pages_fields_as_the_warehouse_holds_them(client, demo_published):
    ((featured, *_),) = rows(demo_published, FEATURED_ARTICLE_SQL)
    ((title, source, country, category, summary_seconds, full_seconds, quality, publisher, rank, url),) = rows(
        demo_published,
        "SELECT a.title, a.source_name, a.country, a.category, a.reading_time_summary_seconds,"
        " a.reading_time_full_seconds, a.quality_score, s.publisher_score, r.rank, a.url"
        " FROM articles a JOIN sources s USING (source_id) LEFT JOIN source_rankings r ON r.source_id = a.source_id"
        " AND r.period_type = 'day' AND r.scope = 'country' AND r.period_start = a.first_partition_date"
        " WHERE a.article_id = ?",
        [featured],
    )
    tree = page(client, f"/news/articles/{featured}")
    assert tree.findtext(".//h1") == title
    assert text(tree, "source-rank") == f"🏆 {rank}. in {country}"
    assert text(tree, "reading-time") == (
        f"{format_duration(summary_seconds)} here, {format_duration(full_seconds)} at publisher"
    )
    assert text(tree, "quality") == f"News {format_percent(quality)}, Publisher {format_percent(publisher)}"
    assert category in tree.findtext(".//p[@class='meta']")
    assert tree.xpath(f"//a[@href='{url}']") and tree.xpath(f"//a[text()='{source}']")
    similar = rows(
        demo_published,
        "SELECT o.title, o.source_name, o.language, s.score FROM similar_articles s"
        " JOIN articles o ON o.article_id = s.similar_article_id WHERE s.article_id = ? ORDER BY s.similarity_rank",
        [featured],
    )
    shown = tree.get_element_by_id("similar-news").findall("li")
    assert len(shown) == len(similar) > 0
    for item, (other_title, other_source, language, score) in zip(shown, similar):
        assert item.findtext("a") == other_title
        assert f"{other_source} · {language} · " in item.text_content()
        assert item.text_content().endswith(f"{score:.2f}")


def test_the_story_page_lists_the_cluster_in_time_order(client, demo_published):
    ((cluster, first_source, articles, publishers, languages),) = rows(
        demo_published,
        "SELECT c.cluster_id, s.source_name, c.article_count, c.publisher_count, c.language_count FROM story_clusters c"
        " JOIN sources s ON s.source_id = c.first_source_id ORDER BY publisher_count DESC, cluster_id LIMIT 1",
    )
    tree = page(client, f"/news/stories/{cluster}")
    assert (text(tree, "publishers"), text(tree, "languages")) == (str(publishers), str(languages))
    timeline = tree.get_element_by_id("timeline").findall(".//tbody/tr")
    assert len(timeline) == articles
    assert timeline[0].findall("td")[1].text_content() == first_source
    times = [row.findall("td")[0].text_content() for row in timeline]
    assert times == sorted(times)


def test_the_source_page_shows_scores_rank_history_and_fetch_health(client, demo_published):
    ((source_id, name, score),) = rows(
        demo_published, "SELECT source_id, source_name, publisher_score FROM sources ORDER BY source_id LIMIT 1"
    )
    tree = page(client, f"/news/sources/{source_id}")
    assert tree.findtext(".//h1") == name
    assert tree.get_element_by_id("scores").findall(".//tr")[0].findtext("td") == f"{score:.3g}"
    ((ranks,),) = rows(
        demo_published, "SELECT count(*) FROM source_rankings WHERE source_id = ? AND period_type = 'day'", [source_id]
    )
    ((fetch_days,),) = rows(
        demo_published, "SELECT count(DISTINCT partition_date) FROM ops.source_runs WHERE source_id = ?", [source_id]
    )
    assert len(tree.get_element_by_id("ranks").findall(".//tbody/tr")) == ranks > 0
    assert len(tree.get_element_by_id("fetches").findall(".//tbody/tr")) == fetch_days > 0
    series = {
        group.get("data-category"): len(group.findall("circle"))
        for group in tree.get_element_by_id("rank-chart").iter("g")
    }
    expected = rows(
        demo_published,
        "SELECT coalesce(category, ''), count(*) FROM source_rankings WHERE source_id = ? AND period_type = 'day'"
        " GROUP BY 1",
        [source_id],
    )
    assert series == dict(expected) and len(series) > 1, "one chart line a category, and the country's, a dot a day"


def test_today_shows_the_largest_stories_and_each_countrys_ranking(client, demo_published):
    tree = page(client, "/news/")
    stories = tree.get_element_by_id("stories").findall("li")
    ((most,),) = rows(demo_published, "SELECT max(publisher_count) FROM story_clusters")
    assert 0 < len(stories) <= 10 and f"{most} publishers" in stories[0].text_content()
    countries = [h.text for h in tree.get_element_by_id("rankings").findall("h3")]
    assert countries == [
        country
        for (country,) in rows(
            demo_published,
            "SELECT DISTINCT country FROM source_rankings WHERE period_type = 'week' AND scope = 'country'"
            " AND period_start = (SELECT max(period_start) FROM source_rankings WHERE period_type = 'week')"
            " ORDER BY 1",
        )
    ]


def test_search_finds_an_article_by_its_words_and_keeps_to_the_filters(client, demo_published):
    ((article_id, title, country),) = rows(
        demo_published,
        "SELECT article_id, title, country FROM articles WHERE published_at IS NOT NULL ORDER BY article_id LIMIT 1",
    )
    tree = page(client, f"/news/search?q={title}&country={country}")
    links = tree.get_element_by_id("results").xpath(".//a/@href")
    assert f"articles/{article_id}" in links
    assert all(f" · {country} · " in item.text_content() for item in tree.get_element_by_id("results"))
    error = page(client, "/news/search?q=news&since=yesterday")
    assert error.xpath("//p[@role='alert']")[0].text_content() == "since must be a date as YYYY-MM-DD, got 'yesterday'"


def test_unknown_pages_are_not_found_and_every_page_needs_the_login(client, demo_published):
    assert client.get("/news/articles/no-such-article").status_code == 404
    anonymous = TestClient(create_app(published=demo_published))
    for path in ("/news/", "/news/search?q=news", "/news/articles/x", "/news/stories/x", "/news/sources/x"):
        assert anonymous.get(path).status_code == 401, path
