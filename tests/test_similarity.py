"""Similar news and story clusters: real DuckDB warehouses, real `dbt build`, articles whose answer is known.

The hand-made world: an English wire story, a near-verbatim copy of it, a
rewrite in other words by a third publisher, an unrelated article of the same
category that shares one name with the story, the wire's own second version
(same publisher: never a pair), a Dutch rewrite, and Greek and Chinese copies
(Unicode tokenization, Chinese without spaces). Background articles give the
words their document frequencies. Texts are built from fixed word lists with
seeded random choices, so every run sees the same articles.

Then the sample world (newsdesk.sample.world), served on loopback, extracted
and loaded by the project's own functions, is scored against its ground truth.
"""

from __future__ import annotations

import hashlib
import itertools
import random
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from conftest import free_port
from newsdesk.sample.collection import collect_and_load
from newsdesk.sample.corpus import generate_corpus, write_corpus
from newsdesk.sample.publishers import FLASH_PUBLISHERS
from newsdesk.sample.server import SampleServer
from newsdesk.sample.world import generate_world, load_ground_truth
from newsdesk.warehouse.load import create_raw_schema
from newsdesk.warehouse.transform import run_dbt_build

pytestmark = pytest.mark.slow

DAY_1 = date(2025, 4, 10)
DAY_2 = date(2025, 4, 11)

SOURCES = [
    ("wire", "Example Wire", "GB", "en"),
    ("times", "Example Times", "GB", "en"),
    ("herald", "Example Herald", "GB", "en"),
    ("post", "Example Post", "US", "en"),
    ("ledger", "Example Ledger", "US", "en"),
    ("nos", "NOS", "NL", "nl"),
    ("ad", "AD", "NL", "nl"),
    ("kathimerini", "Kathimerini", "GR", "el"),
    ("tanea", "Ta Nea", "GR", "el"),
    ("xinhua", "Xinhua", "CN", "zh"),
    ("renmin", "Renmin", "CN", "zh"),
]

# Everyday English words: what any two English articles share.
ENGLISH = (
    "the of and to in a is that for on was with he it as at by this from be have are but not they his her "
    "said which were been has their will would there more one about after when also new people year last "
    "first two over into could than other its some time only what may most city local council plan week "
    "report officials told statement public government support during against where while before since "
    "under many both these three further still already later state work company market early"
).split()


def english_text(rng: random.Random, story_words: list[str], sentences: int, rate: float = 0.25) -> list[str]:
    """Paragraphs of 2 sentences of 12-18 words: everyday words, the story's words mixed in."""
    vocabulary = ENGLISH
    out = []
    for _ in range(sentences):
        words = [
            rng.choice(story_words) if rng.random() < rate else rng.choice(vocabulary)
            for _ in range(rng.randint(12, 18))
        ]
        out.append(" ".join(words).capitalize() + ".")
    return [" ".join(out[i : i + 2]) for i in range(0, len(out), 2)]


# The wire story: a dredging contract in Vlissingen, its people and figures.
STORY = ["Marguerite", "Okonkwo", "Vlissingen", "Harbourline", "dredging", "4,870", "312", "Scheldemond", "17.5"]
# The unrelated port story of the same day: shares only "Vlissingen" with it.
OTHER_STORY = ["Vlissingen", "Tamsin", "Achterberg", "icebreaker", "Noordkaap", "2,115", "86", "ferry"]

WIRE_PARAGRAPHS = english_text(random.Random(1), STORY, 14)
REWRITE_PARAGRAPHS = english_text(random.Random(2), STORY, 12)
UNRELATED_PARAGRAPHS = english_text(random.Random(3), OTHER_STORY, 12)
LATE_REWRITE_PARAGRAPHS = english_text(random.Random(4), STORY, 12)

NL_STORY_A = (
    "Het Openbaar Ministerie in Zwolle vervolgt drie bestuurders van Waterschap Vechtstromen voor het"
    " lozen van 1.250 kuub afvalwater in de Overijsselse Vecht. Volgens officier van justitie Anouk"
    " Brinkhuis wisten de bestuurders al in maart van het lek bij het gemaal in Ommen. Het waterschap"
    " zegt volledig mee te werken aan het onderzoek en betaalde 2,4 miljoen euro voor het herstel."
    " Vissers langs de Vecht zagen in april honderden dode brasems bij de stuw in Hardenberg."
)
NL_STORY_B = (
    "Drie bestuurders van Waterschap Vechtstromen moeten zich voor de rechter in Zwolle verantwoorden."
    " Ze zouden 1.250 kuub afvalwater in de Overijsselse Vecht hebben laten lopen, aldus officier van"
    " justitie Anouk Brinkhuis. Het lek bij het gemaal in Ommen was al in maart bekend. Het herstel"
    " kostte 2,4 miljoen euro. Bij de stuw in Hardenberg dreven in april honderden dode brasems."
)
GREEK_STORY = (
    "Σεισμός μεγέθους 5,8 Ρίχτερ σημειώθηκε τα ξημερώματα της Τρίτης ανοιχτά της Ζακύνθου, σύμφωνα με το"
    " Γεωδυναμικό Ινστιτούτο. Το επίκεντρο εντοπίστηκε 23 χιλιόμετρα νοτιοδυτικά του Λαγανά σε βάθος 11"
    " χιλιομέτρων. Ο σεισμολόγος Ευθύμιος Λέκκας δήλωσε ότι δεν αναμένονται μεγαλύτεροι μετασεισμοί. Ζημιές"
    " καταγράφηκαν σε παλιά κτίρια στο Κερί και στο Βασιλικό, ενώ τα σχολεία του νησιού θα μείνουν κλειστά."
    " Η Πολιτική Προστασία έστειλε κλιμάκιο μηχανικών για αυτοψίες στα δημόσια κτίρια της Ζακύνθου."
)
CHINESE_STORY = (
    "国家统计局星期二公布，今年第一季度国内生产总值同比增长百分之五点三，高于市场预期。"
    "统计局发言人付凌晖在新闻发布会上表示，工业生产和消费需求稳步回升，新能源汽车产量增长百分之二十九。"
    "分析人士认为，房地产投资仍然下降，全年经济增长目标面临压力。上海和深圳股市收盘小幅上涨。"
    "专家预计，中国人民银行可能在第二季度进一步降低存款准备金率，以支持实体经济发展。"
)


def background_topic(number: int) -> list[str]:
    """Seven made-up names and terms of an unrelated background story, and a figure."""
    rng = random.Random(f"topic-{number}")
    syllables = ["ka", "lor", "mun", "det", "vi", "sho", "ran", "pel", "tu", "gar", "en", "bri"]
    words = ["".join(rng.choice(syllables) for _ in range(3)).capitalize() for _ in range(6)]
    return [*words, f"{rng.randint(10, 99)},{rng.randint(100, 999)}"]


# Enough other articles for document frequencies to tell everyday words from a story's own.
BACKGROUND_DAY_1 = 30
BACKGROUND_DAY_2 = 6


def raw_article(
    source_id: str,
    slug: str,
    title: str,
    paragraphs: list[str] | str,
    published: datetime,
    day: date,
    language: str | None = None,
    category: str = "world",
) -> dict:
    body = "\n\n".join(paragraphs) if isinstance(paragraphs, list) else paragraphs
    summary = body.split("\n\n")[0][:200]
    url = f"https://{source_id}.example/{slug}"
    return {
        "source_id": source_id,
        "feed_url": f"https://{source_id}.example/feed",
        "url": url,
        "guid": url,
        "title": title,
        "summary": summary,
        "body": body,
        "author": None,
        "published_at": published,
        "updated_at": None,
        "language": language,
        "category": category,
        "image_url": None,
        "fetched_at": published + timedelta(minutes=30),
        "content_hash": hashlib.sha256(f"{title}\n{summary}\n{body}".encode()).hexdigest(),
        "partition_date": day,
        "run_id": f"test-{day}",
        "loaded_at": datetime.combine(day, datetime.min.time()),
    }


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute)


def day_1_articles() -> list[dict]:
    wire_title = "Harbourline wins Vlissingen dredging contract worth 312 million"
    articles = [
        raw_article("wire", "harbourline", wire_title, WIRE_PARAGRAPHS, at(DAY_1, 6), DAY_1, "en", "business"),
        # near-verbatim: a title prefix, the last paragraph dropped, a credit line added
        raw_article(
            "times",
            "wire-copy",
            "UPDATE: " + wire_title,
            WIRE_PARAGRAPHS[:-1] + ["(Reporting by Example Wire)"],
            at(DAY_1, 7),
            DAY_1,
            "en",
            "business",
        ),
        # the same story in other words, three hours later
        raw_article(
            "herald",
            "dredging-deal",
            "Okonkwo defends Scheldemond dredging plan for Vlissingen",
            REWRITE_PARAGRAPHS,
            at(DAY_1, 9),
            DAY_1,
            "en",
            "business",
        ),
        # same category and beat, one shared name (Vlissingen), another story
        raw_article(
            "post",
            "icebreaker",
            "Icebreaker Noordkaap stuck off Vlissingen",
            UNRELATED_PARAGRAPHS,
            at(DAY_1, 8),
            DAY_1,
            "en",
            "business",
        ),
        # the wire's own second version: same publisher, never a pair with its first
        raw_article(
            "wire",
            "harbourline-v2",
            wire_title + " (corrected)",
            WIRE_PARAGRAPHS,
            at(DAY_1, 6, 30),
            DAY_1,
            "en",
            "business",
        ),
        # Dutch: the same story in other words (language from the source: nos gives none)
        raw_article(
            "nos",
            "vechtstromen",
            "OM vervolgt bestuurders Vechtstromen om lozing in de Vecht",
            NL_STORY_A,
            at(DAY_1, 10),
            DAY_1,
            None,
        ),
        raw_article(
            "ad",
            "vecht-lozing",
            "Bestuurders waterschap voor de rechter om afvalwater in Vecht",
            NL_STORY_B,
            at(DAY_1, 12),
            DAY_1,
            "nl",
        ),
        # Greek and Chinese copies
        raw_article(
            "kathimerini", "seismos", "Σεισμός 5,8 Ρίχτερ ανοιχτά της Ζακύνθου", GREEK_STORY, at(DAY_1, 5), DAY_1, "el"
        ),
        raw_article(
            "tanea", "seismos-zakynthos", "Ισχυρός σεισμός στη Ζάκυνθο", GREEK_STORY, at(DAY_1, 6), DAY_1, "el"
        ),
        raw_article("xinhua", "gdp", "一季度国内生产总值增长百分之五点三", CHINESE_STORY, at(DAY_1, 3), DAY_1, "zh"),
        raw_article("renmin", "gdp-q1", "统计局：一季度经济增长百分之五点三", CHINESE_STORY, at(DAY_1, 4), DAY_1, "zh"),
    ]
    sources = ["times", "herald", "post", "ledger"]
    for number in range(BACKGROUND_DAY_1):
        topic = background_topic(number)
        paragraphs = english_text(random.Random(100 + number), topic, 10)
        articles.append(
            raw_article(
                sources[number % 4],
                f"background-{number}",
                " ".join(topic[:4]),
                paragraphs,
                at(DAY_1, number % 24, number),
                DAY_1,
                "en",
                "news",
            )
        )
    return articles


def day_2_articles() -> list[dict]:
    articles = [
        # the next day, a fourth publisher's report of the wire story
        raw_article(
            "ledger",
            "dredging-followup",
            "Vlissingen dredging: Harbourline and Okonkwo answer critics",
            LATE_REWRITE_PARAGRAPHS,
            at(DAY_2, 2),
            DAY_2,
            "en",
            "business",
        ),
    ]
    for number in range(BACKGROUND_DAY_1, BACKGROUND_DAY_1 + BACKGROUND_DAY_2):
        topic = background_topic(number)
        paragraphs = english_text(random.Random(100 + number), topic, 10)
        articles.append(
            raw_article(
                "post",
                f"background-{number}",
                " ".join(topic[:4]),
                paragraphs,
                at(DAY_2, number % 24),
                DAY_2,
                "en",
                "news",
            )
        )
    return articles


def article_id(source_id: str, slug: str) -> str:
    return hashlib.md5(f"https://{source_id}.example/{slug}".encode()).hexdigest()


def insert_articles(warehouse: Path, articles: list[dict]) -> None:
    with duckdb.connect(str(warehouse)) as conn:
        create_raw_schema(conn)
        if conn.execute("SELECT count(*) FROM raw.sources").fetchone()[0] == 0:
            conn.executemany(
                "INSERT INTO raw.sources (source_id, name, country, language, homepage, local, fetch_pages, feed_count)"
                " VALUES (?, ?, ?, ?, ?, false, false, 1)",
                [(*source, f"https://{source[0]}.example/") for source in SOURCES],
            )
        columns = list(articles[0])
        conn.executemany(
            f"INSERT INTO raw.articles ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
            [[row[column] for column in columns] for row in articles],
        )


def query(warehouse: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        return conn.execute(sql).fetchall()


def pairs_of(warehouse: Path) -> dict[frozenset, tuple]:
    rows = query(warehouse, "SELECT article_a_id, article_b_id, match_kind, score, batch_date FROM article_similarity")
    return {frozenset((a, b)): (kind, score, batch) for a, b, kind, score, batch in rows}


def pair(a: tuple[str, str], b: tuple[str, str]) -> frozenset:
    return frozenset((article_id(*a), article_id(*b)))


WIRE = ("wire", "harbourline")
WIRE_V2 = ("wire", "harbourline-v2")
COPY = ("times", "wire-copy")
REWRITE = ("herald", "dredging-deal")
UNRELATED = ("post", "icebreaker")
LATE_REWRITE = ("ledger", "dredging-followup")


@pytest.fixture(scope="module")
def warehouses(tmp_path_factory) -> dict[str, Path]:
    """Day 1 built (first build: full), then day 2 added and built incrementally, then day 2 rerun."""
    folder = tmp_path_factory.mktemp("similarity")
    warehouse = folder / "build.duckdb"
    insert_articles(warehouse, day_1_articles())
    run_dbt_build(warehouse, vars={"run_date": DAY_1.isoformat(), "run_id": "day-1"})
    snapshots = {"day_1": folder / "day_1.duckdb"}
    snapshots["day_1"].write_bytes(warehouse.read_bytes())
    insert_articles(warehouse, day_2_articles())
    run_dbt_build(warehouse, vars={"run_date": DAY_2.isoformat(), "run_id": "day-2"})
    snapshots["day_2"] = folder / "day_2.duckdb"
    snapshots["day_2"].write_bytes(warehouse.read_bytes())
    run_dbt_build(warehouse, vars={"run_date": DAY_2.isoformat(), "run_id": "day-2-again"})
    snapshots["day_2_rerun"] = warehouse
    return snapshots


def test_wire_copy_is_syndicated(warehouses):
    pairs = pairs_of(warehouses["day_1"])
    kind, score, batch = pairs[pair(WIRE, COPY)]
    assert kind == "syndicated" and 0.45 <= score <= 1 and batch == DAY_1


def test_rewrite_is_same_event(warehouses):
    pairs = pairs_of(warehouses["day_1"])
    assert pairs[pair(WIRE, REWRITE)][0] == "same_event"
    assert pairs[pair(COPY, REWRITE)][0] == "same_event"


def test_unrelated_article_sharing_one_name_is_no_pair(warehouses):
    pairs = pairs_of(warehouses["day_1"])
    unrelated = article_id(*UNRELATED)
    assert not [p for p in pairs if unrelated in p]


def test_same_publisher_is_never_a_pair(warehouses):
    pairs = pairs_of(warehouses["day_1"])
    assert pair(WIRE, WIRE_V2) not in pairs
    with duckdb.connect(str(warehouses["day_2_rerun"]), read_only=True) as conn:
        same_source = conn.execute(
            "SELECT count(*) FROM article_similarity s"
            " JOIN intermediate.int_similarity__article_facts a ON s.article_a_id = a.article_id"
            " JOIN intermediate.int_similarity__article_facts b ON s.article_b_id = b.article_id"
            " WHERE a.source_id = b.source_id"
        ).fetchone()[0]
    assert same_source == 0


def test_unicode_tokenization_finds_dutch_greek_and_chinese_pairs(warehouses):
    pairs = pairs_of(warehouses["day_1"])
    assert pairs[pair(("nos", "vechtstromen"), ("ad", "vecht-lozing"))][0] == "same_event"
    assert pairs[pair(("kathimerini", "seismos"), ("tanea", "seismos-zakynthos"))][0] == "syndicated"
    assert pairs[pair(("xinhua", "gdp"), ("renmin", "gdp-q1"))][0] == "syndicated"


def test_no_pair_outside_the_known_stories(warehouses):
    english_story = {article_id(*a) for a in (WIRE, WIRE_V2, COPY, REWRITE, LATE_REWRITE)}
    others = [
        {article_id("nos", "vechtstromen"), article_id("ad", "vecht-lozing")},
        {article_id("kathimerini", "seismos"), article_id("tanea", "seismos-zakynthos")},
        {article_id("xinhua", "gdp"), article_id("renmin", "gdp-q1")},
    ]
    for found in pairs_of(warehouses["day_2_rerun"]):
        assert found <= english_story or found in others, found


def test_incremental_day_keeps_yesterday_and_matches_today_with_it(warehouses):
    day_1 = pairs_of(warehouses["day_1"])
    day_2 = pairs_of(warehouses["day_2"])
    assert {p: v for p, v in day_2.items() if v[2] == DAY_1} == day_1
    new = {p: v for p, v in day_2.items() if v[2] == DAY_2}
    # today's rewrite is matched with yesterday's reports of its story (here at least the closest in time)
    story = {article_id(*a) for a in (WIRE, WIRE_V2, COPY, REWRITE)}
    assert new and all(article_id(*LATE_REWRITE) in p and p - {article_id(*LATE_REWRITE)} <= story for p in new)
    assert {v[0] for v in new.values()} == {"same_event"}
    # day 2's run tokenized day 2's articles only; the window tables hold both days
    tokenized = query(
        warehouses["day_2"],
        "SELECT first_partition_date, count(*) FROM intermediate.int_similarity__article_tokens GROUP BY ALL",
    )
    assert dict(tokenized) == {DAY_2: len(day_2_articles())}
    window = query(
        warehouses["day_2"],
        "SELECT first_partition_date, count(*) FROM intermediate.int_similarity__articles GROUP BY ALL",
    )
    assert dict(window) == {DAY_1: len(day_1_articles()), DAY_2: len(day_2_articles())}


WINDOW_TABLES = (
    "int_similarity__articles",
    "int_similarity__daily_token_frequency",
    "int_similarity__postings",
    "int_similarity__story_keys",
)


def test_a_full_build_leaves_the_window_tables_as_a_daily_run_does(tmp_path):
    """A first build does every date (its pairs need them all), then keeps only its latest date's window in the
    working tables, so the next daily run does not read, nor on a lake keep reading, the whole history."""
    warehouse = tmp_path / "build.duckdb"
    insert_articles(warehouse, day_1_articles() + day_2_articles())
    run_dbt_build(warehouse, vars={"run_date": DAY_2.isoformat(), "run_id": "both", "similarity_lookback_days": 0})
    tokenized = query(
        warehouse, "SELECT DISTINCT first_partition_date FROM intermediate.int_similarity__article_tokens"
    )
    assert sorted(tokenized) == [(DAY_1,), (DAY_2,)]  # a full build
    for table in WINDOW_TABLES:
        dates = query(warehouse, f"SELECT DISTINCT first_partition_date FROM intermediate.{table}")
        assert dates == [(DAY_2,)], table


STORY_TABLES = (
    "intermediate.int_similarity__components",
    "intermediate.int_similarity__article_clusters",
    "similar_articles",
    "story_clusters",
)


def test_daily_story_clusters_equal_clusters_drawn_again_from_every_pair(tmp_path):
    """Three days of a generated corpus built one a day with a one-day window, so that a day's run relabels the
    window's part of the story graph and keeps the rest: the components, clusters and similar-articles lists
    equal those drawn again from the same pairs (--full-refresh of the models after article_similarity)."""
    corpus = generate_corpus(900, days=3, seed=3)
    written = tmp_path / "written.duckdb"
    write_corpus(corpus, written, truth=False)
    warehouse = tmp_path / "build.duckdb"
    with duckdb.connect(str(warehouse)) as conn:
        create_raw_schema(conn)
        conn.execute(f"ATTACH '{written}' AS written (READ_ONLY)")
        conn.execute("INSERT INTO raw.sources SELECT * FROM written.raw.sources")
    for day in corpus.dates:
        with duckdb.connect(str(warehouse)) as conn:
            conn.execute(f"ATTACH '{written}' AS written (READ_ONLY)")
            conn.execute("INSERT INTO raw.articles SELECT * FROM written.raw.articles WHERE partition_date = ?", [day])
        run_dbt_build(
            warehouse,
            select="+story_clusters +similar_articles",
            indirect_selection="cautious",
            vars={"run_date": day.isoformat(), "similarity_lookback_days": 1},
        )
    latest = "(SELECT max(last_staged_at) FROM intermediate.int_similarity__components)"
    kept, relabelled = query(
        warehouse,
        f"SELECT count(*) FILTER (last_staged_at < {latest}), count(*) FILTER (last_staged_at = {latest})"
        " FROM intermediate.int_similarity__components",
    )[0]
    assert kept > 0 and relabelled > 0, (kept, relabelled)  # the last day relabelled part of the graph
    # a daily run leaves no table of its incremental rows behind
    assert (
        query(warehouse, "SELECT table_name FROM information_schema.tables WHERE contains(table_name, 'dbt_tmp')") == []
    )
    daily = {table: rows_kept(warehouse, table) for table in STORY_TABLES}
    redrawn = tmp_path / "redrawn.duckdb"
    redrawn.write_bytes(warehouse.read_bytes())
    run_dbt_build(
        redrawn,
        select="int_similarity__components+,+story_clusters int_similarity__components+,+similar_articles",
        indirect_selection="cautious",
        full_refresh=True,
        vars={"run_date": corpus.dates[-1].isoformat(), "similarity_lookback_days": 1},
    )
    for table in STORY_TABLES:
        assert daily[table] == rows_kept(redrawn, table), table
    assert len(daily["story_clusters"]) > 10


def rows_kept(warehouse: Path, table: str) -> list[tuple]:
    """The table's rows without the staging time they were written at, which differs between two builds."""
    return query(warehouse, f"SELECT COLUMNS(c -> c <> 'last_staged_at') FROM {table} ORDER BY ALL")


def test_rerunning_a_day_gives_identical_rows(warehouses):
    sql = "SELECT * FROM {} ORDER BY ALL"
    for table in (
        "article_similarity",
        "similar_articles",
        "story_clusters",
        "intermediate.int_similarity__article_clusters",
    ):
        assert query(warehouses["day_2"], sql.format(table)) == query(warehouses["day_2_rerun"], sql.format(table))


def test_similar_articles_ranks_top_k_by_score_then_recency(warehouses):
    warehouse = warehouses["day_2_rerun"]
    rows = query(
        warehouse,
        "SELECT article_id, similarity_rank, similar_article_id, score, similar_published_at,"
        " similar_source_id, match_kind FROM similar_articles ORDER BY article_id, similarity_rank",
    )
    pairs = pairs_of(warehouse)
    by_article: dict[str, list[tuple]] = {}
    for row in rows:
        by_article.setdefault(row[0], []).append(row)
    for article, listed in by_article.items():
        expected_count = min(5, sum(1 for p in pairs if article in p))
        assert [r[1] for r in listed] == list(range(1, expected_count + 1))
        keys = [(-r[3], -(r[4].timestamp() if r[4] else float("-inf")), r[2]) for r in listed]
        assert keys == sorted(keys)
        for r in listed:
            assert pairs[frozenset((article, r[2]))][:2] == (r[6], r[3])
    # the wire story's article list: the copy (syndicated, highest score) first
    wire_list = by_article[article_id(*WIRE)]
    assert wire_list[0][2] == article_id(*COPY) and wire_list[0][5] == "times"
    assert article_id(*WIRE_V2) not in [r[2] for r in wire_list]


def test_similar_articles_k_is_a_var(tmp_path, warehouses):
    warehouse = tmp_path / "k.duckdb"
    warehouse.write_bytes(warehouses["day_2_rerun"].read_bytes())
    run_dbt_build(warehouse, vars={"run_date": DAY_2.isoformat(), "similar_articles_k": 1}, select="similar_articles")
    rows = query(warehouse, "SELECT article_id, count(*), max(similarity_rank) FROM similar_articles GROUP BY ALL")
    assert rows and all(count == 1 and rank == 1 for _, count, rank in rows)


def test_story_clusters_first_report_and_counts(warehouses):
    warehouse = warehouses["day_2_rerun"]
    clusters = {
        row[0]: row
        for row in query(
            warehouse,
            "SELECT cluster_id, first_article_id, first_source_id, first_published_at, last_published_at, span_hours,"
            " article_count, publisher_count, language_count, article_ids FROM story_clusters",
        )
    }
    wire = clusters[article_id(*WIRE)]  # published 06:00 on day 1, before its copies and rewrites
    members = set(wire[9])
    assert {article_id(*a) for a in (WIRE, COPY, REWRITE, LATE_REWRITE)} <= members
    assert wire[1:4] == (article_id(*WIRE), "wire", at(DAY_1, 6))
    assert wire[4] == at(DAY_2, 2) and wire[5] == 20.0
    assert wire[6] == len(members) and wire[7] == len({a[0] for a in (WIRE, COPY, REWRITE, LATE_REWRITE)})
    assert wire[8] == 1 and wire[9][0] == article_id(*WIRE)
    greek = clusters[article_id("kathimerini", "seismos")]  # 05:00 before 06:00
    assert (greek[6], greek[7], greek[8], greek[5]) == (2, 2, 1, 1.0)
    chinese = clusters[article_id("xinhua", "gdp")]
    assert chinese[9] == [article_id("xinhua", "gdp"), article_id("renmin", "gdp-q1")]
    assert len(clusters) == 4  # English wire story, Dutch, Greek, Chinese


def test_article_clusters_flags(warehouses):
    rows = {
        row[0]: row[1:]
        for row in query(
            warehouses["day_2_rerun"],
            "SELECT article_id, cluster_id, is_first_report, is_syndicated_copy FROM intermediate.int_similarity__article_clusters",
        )
    }
    wire_cluster = article_id(*WIRE)
    assert rows[article_id(*WIRE)] == (wire_cluster, True, False)
    assert rows[article_id(*COPY)] == (wire_cluster, False, True)  # a copy of the earlier wire story
    assert rows[article_id(*REWRITE)] == (wire_cluster, False, False)  # own words
    assert rows[article_id("tanea", "seismos-zakynthos")] == (article_id("kathimerini", "seismos"), False, True)
    assert rows[article_id("kathimerini", "seismos")][1:] == (True, False)
    assert article_id(*UNRELATED) not in rows  # a singleton
    assert article_id("times", "background-0") not in rows


def test_dbt_tests_of_the_similarity_models_ran(warehouses):
    # run_dbt_build raises on any failing data or unit test; here the models are present and filled
    for table in ("article_similarity", "similar_articles", "story_clusters"):
        assert query(warehouses["day_2_rerun"], f"SELECT count(*) FROM {table}")[0][0] > 0


# ---- the sample world, end to end ------------------------------------------------------------


FLASH_IDS = {publisher.id for publisher in FLASH_PUBLISHERS}


def gold_pairs(truth: dict) -> tuple[set, set, set]:
    """(syndicated, same-language same_event, cross-language same_event) pairs of article ids.

    Syndicated: any two of an agency's original and its copies (the copies are
    near-verbatim to each other too). Same story: any other two articles of a
    story from different publishers.
    """
    articles = {a["url"]: a for a in truth["articles"]}
    md5 = lambda url: hashlib.md5(url.encode()).hexdigest()  # noqa: E731
    groups: dict[str, set] = {}
    for agency, copy in truth["syndicated_pairs"]:
        groups.setdefault(agency, {agency}).add(copy)
    syndicated = {
        frozenset((md5(x), md5(y)))
        for members in groups.values()
        for x, y in itertools.combinations(sorted(members), 2)
        if articles[x]["source_id"] != articles[y]["source_id"]
    }
    same, cross = set(), set()
    for urls in truth["stories"].values():
        for x, y in itertools.combinations(urls, 2):
            found = frozenset((md5(x), md5(y)))
            if articles[x]["source_id"] == articles[y]["source_id"] or found in syndicated:
                continue
            (same if articles[x]["language"] == articles[y]["language"] else cross).add(found)
    return syndicated, same, cross


def precision_recall(found: set, gold: set) -> tuple[float, float]:
    hits = len(found & gold)
    return (hits / len(found) if found else 1.0), (hits / len(gold) if gold else 1.0)


@pytest.fixture(scope="module")
def sample_world_warehouse(tmp_path_factory) -> tuple[Path, dict]:
    """The bundled sample world (5 days, 12 stories a day, seed 7) collected and loaded as the DAGs do, then
    dbt build."""
    folder = tmp_path_factory.mktemp("sample-world")
    port = free_port()
    world = generate_world(folder / "world", days=5, stories_per_day=12, port=port)
    warehouse = folder / "build.duckdb"
    with SampleServer(world.out_dir, port=port) as server:
        collect_and_load(world, server, folder, warehouse, run_prefix="test")
    run_dbt_build(warehouse, vars={"run_date": world.dates[-1].isoformat(), "run_id": "sample"})
    return warehouse, load_ground_truth(world.out_dir)


def test_sample_world_precision_and_recall(sample_world_warehouse):
    warehouse, truth = sample_world_warehouse
    syndicated, same, cross = gold_pairs(truth)
    pairs = pairs_of(warehouse)
    found_syndicated = {p for p, v in pairs.items() if v[0] == "syndicated"}
    found_same = {p for p, v in pairs.items() if v[0] == "same_event"}
    # Measured 2026-12-06 (seed 7, 5 days x 12 stories, collected as the DAGs do: live feeds hourly):
    # syndicated P 1.00 R 1.00; same_event within a language P 0.91 R 0.97, and P 0.85 leaving out the
    # flash publisher. The world's stories of one event type share its headline and lead templates, and
    # its categories only 4 organisations each, so two events ("25,580 people displaced, Aquila Relief
    # reports" / "6,450 people displaced, ...") stay close. Real news judges the method:
    # docs/benchmarks.md. Across languages R 0.35: 0.67 of the 49 pairs of full reports, fewer of the 74
    # pairs a flash (a headline and a lead) makes with another language's reports.
    precision, recall = precision_recall(found_syndicated, syndicated)
    assert precision >= 0.97 and recall >= 0.97, (precision, recall)
    precision, recall = precision_recall(found_same - cross, same)
    assert precision >= 0.87 and recall >= 0.95, (precision, recall)
    flashes = {
        a for a, source_id in query(warehouse, "SELECT article_id, source_id FROM articles") if source_id in FLASH_IDS
    }
    precision, _ = precision_recall({p for p in found_same - cross if not p & flashes}, same)
    assert precision >= 0.8, precision
    # across languages only names and figures match: found, but not all
    found = found_same | found_syndicated
    _, cross_recall = precision_recall(found, cross)
    _, full_reports_recall = precision_recall(found, {p for p in cross if not p & flashes})
    assert cross_recall >= 0.3 and full_reports_recall >= 0.6, (cross_recall, full_reports_recall)


def test_sample_world_clusters_follow_stories(sample_world_warehouse):
    warehouse, truth = sample_world_warehouse
    story_of = {
        hashlib.md5(url.encode()).hexdigest(): story for story, urls in truth["stories"].items() for url in urls
    }
    clusters = query(warehouse, "SELECT cluster_id, article_ids FROM story_clusters")
    # a cluster is (nearly always) one story: the share of articles outside their cluster's main story
    stray = sum(
        len(ids) - max(sum(1 for a in ids if story_of[a] == s) for s in {story_of[a] for a in ids})
        for _, ids in clusters
    )
    total = sum(len(ids) for _, ids in clusters)
    assert stray / total <= 0.08, (stray, total)  # measured 17 of 321
    first = {row[0]: row[1:] for row in query(warehouse, "SELECT cluster_id, first_published_at FROM story_clusters")}
    published = dict(
        query(warehouse, "SELECT article_id, published_at FROM intermediate.int_similarity__article_facts")
    )
    for cluster_id, ids in clusters:
        times = [published[a] for a in ids if published[a] is not None]
        assert first[cluster_id][0] == (min(times) if times else None)
