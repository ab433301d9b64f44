"""The `newsdesk` command's extraction verbs: parse files, replay a landed date without the network."""

from __future__ import annotations

import argparse
import csv
import io
import json

import duckdb
import pytest

from conftest import free_port
from newsdesk import config
from newsdesk.cli import build_parser, main
from newsdesk.collect import landing
from newsdesk.collect.extract import extract_source
from newsdesk.collect.registry import load_registry
from newsdesk.sample.server import SampleServer
from newsdesk.sample.world import generate_world
from newsdesk.warehouse.publish import file_sha256, publish
from newsdesk.warehouse.query import published_cursor

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Demo</title><language>nl</language>
<item><title>Dijk versterkt</title><link>https://demo.example/nieuws/1?utm_source=rss</link></item>
<item><description>no title</description><link>https://demo.example/nieuws/2</link></item>
</channel></rss>"""


def test_parse_prints_records_and_refuses_garbage(tmp_path, capsys):
    feed = tmp_path / "demo-feed.bin"  # the name says nothing: the format is read from the content
    feed.write_bytes(RSS)
    garbage = tmp_path / "garbage.xml"
    garbage.write_bytes(b"\x00\x01 not a feed")

    assert main(["parse", str(feed), "--source-id", "demo"]) == 0
    out, err = capsys.readouterr()
    records = [json.loads(line) for line in out.splitlines()]
    assert [(r["source_id"], r["url"], r["title"], r["language"]) for r in records] == [
        ("demo", "https://demo.example/nieuws/1", "Dijk versterkt", "nl")
    ]
    assert "missing title" in err

    assert main(["parse", str(garbage)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert len(err.strip().splitlines()) == 1 and err.startswith(f"newsdesk parse: {garbage}: ")


def test_replay_rebuilds_every_attempt_of_a_landed_date_without_the_network(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("NEWSDESK_HOME", str(tmp_path))
    monkeypatch.delenv("NEWSDESK_REGISTRY", raising=False)
    paths = config.paths()
    port = free_port()
    world = generate_world(paths.sample_world, days=1, stories_per_day=3, port=port)
    day = world.dates[-1]
    sources = load_registry(world.registry_path)
    with SampleServer(world.out_dir, port=port):
        for run_id in ("collect-1", "daily-1"):  # two attempts of every source
            for source in sources:
                extract_source(source, day, paths.landing, run_id=run_id)
    attempts = landing.attempts(paths.landing, day)
    assert len(attempts) == 2 * len(sources)
    landed = {p: p.read_bytes() for p in paths.landing.rglob("*") if p.is_file() and p.name != "_manifest.json"}
    kept = {a.path: {k: v for k, v in a.manifest.items() if k != "duration_ms"} for a in attempts}
    records = sum(len(landing.read_jsonl(a.file(landing.RECORDS))) for a in attempts)
    assert records > 0
    for attempt in attempts:
        attempt.file(landing.RECORDS).write_text("", encoding="utf-8")  # as if a parser had lost everything

    assert main(["replay", "--date", day.isoformat()]) == 0  # the server is gone: no network

    assert {p: p.read_bytes() for p in paths.landing.rglob("*") if p.is_file() and p.name != "_manifest.json"} == landed
    assert {
        a.path: {k: v for k, v in a.manifest.items() if k != "duration_ms"}
        for a in landing.attempts(paths.landing, day)
    } == kept  # the same attempts, ids and runs kept
    out = capsys.readouterr().out
    assert out.startswith(f"replaying {day}")
    assert sum(" 2 attempts: records     0 -> " in line for line in out.splitlines()) == len(sources)

    assert main(["replay", "--date", day.isoformat(), "--source", "no-such-source"]) == 1
    assert "no-such-source" in capsys.readouterr().err


@pytest.fixture
def published_home(tmp_path, monkeypatch):
    """A home with a small published warehouse, and files outside it a query must not reach; the file kind (the
    lake's commands: tests/test_lake.py and tests/test_lake_runs.py)."""
    monkeypatch.setenv("NEWSDESK_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("NEWSDESK_STORAGE", "file")
    paths = config.paths()
    build = tmp_path / "build.duckdb"
    with duckdb.connect(str(build)) as conn:
        conn.execute(
            "CREATE TABLE articles AS SELECT * FROM (VALUES (1, 'Dijk versterkt', DATE '2026-11-24'),"
            " (2, 'Oekraïne, \"quoted\"', DATE '2026-11-23')) AS t(id, title, day)"
        )
    publish(build, paths.published)
    (tmp_path / "secret.csv").write_text("user,password\nroot,hunter2\n", encoding="utf-8")
    return paths


@pytest.mark.parametrize(
    "statement",
    [
        "COPY (SELECT 1 AS x) TO '{tmp}/written.csv'",
        "COPY articles TO '{tmp}/written.parquet' (FORMAT parquet)",
        "EXPORT DATABASE '{tmp}/exported'",
        "SELECT * FROM read_csv('{tmp}/secret.csv')",
        "SELECT content FROM read_text('/etc/passwd')",
        "SELECT * FROM glob('/etc/*')",
        "SELECT * FROM '{tmp}/secret.csv'",
        "ATTACH '{tmp}/other.duckdb' (READ_ONLY false)",
        "ATTACH '{tmp}/other.duckdb' AS other",
        "INSTALL httpfs",
        "LOAD httpfs",
        "SET enable_external_access = true",
        "RESET enable_external_access",
        "SET allowed_directories = ['/']",
        "CREATE TABLE stolen AS SELECT 1",
        "DROP TABLE articles",
        "INSERT INTO articles VALUES (3, 'x', DATE '2026-11-25')",
    ],
)
def test_sql_refuses_each_way_out_in_one_line(published_home, tmp_path, capsys, statement):
    before = sorted(tmp_path.rglob("*"))
    published = file_sha256(published_home.published)

    assert main(["sql", statement.format(tmp=tmp_path)]) == 1

    out, err = capsys.readouterr()
    assert out == ""
    assert len(err.strip().splitlines()) == 1, err
    assert err.startswith("newsdesk sql: refused, the warehouse is read-only and nothing outside it can be reached: ")
    assert "hunter2" not in err and "root:" not in err
    assert sorted(tmp_path.rglob("*")) == before  # no file written
    assert file_sha256(published_home.published) == published


def test_sql_answers_in_table_csv_and_json(published_home, capsys):
    query = "SELECT id, title, day FROM articles ORDER BY id"
    assert main(["sql", query]) == 0
    table = capsys.readouterr().out
    assert "Dijk versterkt" in table and "│" in table

    assert main(["sql", query, "--format", "csv"]) == 0
    assert list(csv.reader(io.StringIO(capsys.readouterr().out))) == [
        ["id", "title", "day"],
        ["1", "Dijk versterkt", "2026-11-24"],
        ["2", 'Oekraïne, "quoted"', "2026-11-23"],
    ]

    assert main(["sql", query, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == [
        {"id": 1, "title": "Dijk versterkt", "day": "2026-11-24"},
        {"id": 2, "title": 'Oekraïne, "quoted"', "day": "2026-11-23"},
    ]


def test_attach_prints_sql_any_duckdb_client_runs_read_only(published_home, capsys):
    assert main(["attach"]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("ATTACH ") and printed.rstrip().endswith(";")
    with duckdb.connect() as client:  # a client of its own, as a script piping the output would have
        for statement in filter(str.strip, printed.split(";")):
            client.execute(statement)
        assert client.execute("SELECT title FROM articles ORDER BY id").fetchall() == [
            ("Dijk versterkt",),
            ('Oekraïne, "quoted"',),
        ]
        with pytest.raises(duckdb.InvalidInputException, match="read-only"):
            client.execute("DELETE FROM articles")


def test_attach_quotes_the_path(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("NEWSDESK_HOME", str(tmp_path / "o'brien"))
    monkeypatch.setenv("NEWSDESK_STORAGE", "file")  # a file's path in the ATTACH
    build = tmp_path / "build.duckdb"
    with duckdb.connect(str(build)) as conn:
        conn.execute("CREATE TABLE articles AS SELECT 42 AS id")
    publish(build, config.paths().published)
    assert main(["attach"]) == 0
    with duckdb.connect() as client:
        client.execute(capsys.readouterr().out)
        assert client.execute("SELECT id FROM articles").fetchall() == [(42,)]


def test_the_kept_connection_shows_each_new_publish(published_home, tmp_path):
    """The pages' connection stays open between requests and moves to the file a new publish puts in place."""
    count = "SELECT count(*) FROM articles"
    with published_cursor(published_home.published) as conn:
        assert conn.execute(count).fetchone() == (2,)
        with pytest.raises(duckdb.Error, match="read-only"):
            conn.execute("DELETE FROM articles")
    build = tmp_path / "build-2.duckdb"
    with duckdb.connect(str(build)) as conn:
        conn.execute("CREATE TABLE articles AS SELECT * FROM range(5) AS t(id)")
    with published_cursor(published_home.published) as in_flight:  # a request under way while a run publishes
        publish(build, published_home.published)
        with published_cursor(published_home.published) as overlapping:
            assert overlapping.execute(count).fetchone() == (2,)  # the version before, until no request uses it
        assert in_flight.execute(count).fetchone() == (2,)
    with published_cursor(published_home.published) as conn:
        assert conn.execute(count).fetchone() == (5,)


def test_an_empty_home_names_the_command_to_run(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("NEWSDESK_HOME", str(tmp_path))
    monkeypatch.delenv("NEWSDESK_REGISTRY", raising=False)
    for command in (
        ["sql", "SELECT 1"],
        ["search", "dijk"],
        ["attach"],
        ["rollback"],
        ["run", "--date", "2026-11-24"],
        ["serve"],
    ):
        assert main(command) == 1
        err = capsys.readouterr().err.strip()
        assert len(err.splitlines()) == 1, err
        assert "`newsdesk demo`" in err or "`newsdesk sample`" in err, err
        assert "generate_world" not in err and "IO Error" not in err and "snapshot" not in err, err
    assert not (tmp_path / "airflow").exists()  # refused before starting anything


def test_every_option_of_every_command_says_what_it_does():
    def undocumented(parser, path):
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    assert sub.description, f"newsdesk {' '.join([*path, name])} has no description"
                    yield from undocumented(sub, [*path, name])
            elif not action.help:
                yield f"newsdesk {' '.join(path)} {'/'.join(action.option_strings) or action.dest}"

    assert list(undocumented(build_parser(), [])) == []
