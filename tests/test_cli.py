"""The `newsdesk` command's extraction verbs: parse files, replay a landed date without the network."""

from __future__ import annotations

import json

from conftest import free_port
from newsdesk import config, landing
from newsdesk.cli import main
from newsdesk.extract import extract_source
from newsdesk.registry import load_registry
from newsdesk.sample.server import SampleServer
from newsdesk.sample.world import generate_world

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
    assert {a.path: {k: v for k, v in a.manifest.items() if k != "duration_ms"}
            for a in landing.attempts(paths.landing, day)} == kept  # the same attempts, ids and runs kept
    out = capsys.readouterr().out
    assert out.startswith(f"replaying {day}")
    assert sum(" 2 attempts: records     0 -> " in line for line in out.splitlines()) == len(sources)

    assert main(["replay", "--date", day.isoformat(), "--source", "no-such-source"]) == 1
    assert "no-such-source" in capsys.readouterr().err
