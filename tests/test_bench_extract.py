"""`newsdesk bench extract` runs end to end on tiny parameters: every figure there, positive, the item
counts of ours and the baseline equal. No timing assertions: performance is read from the bench, not tested."""

import io

from newsdesk.bench.extract import run_extract_bench

TINY_FEED = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Tiny</title><link>https://tiny.example/</link><language>en</language>
<item><title>One</title><link>https://tiny.example/1</link><pubDate>Mon, 02 Nov 2026 05:00:00 GMT</pubDate></item>
<item><title>Two</title><link>https://tiny.example/2</link><description>&lt;b&gt;bold&lt;/b&gt;</description></item>
</channel></rss>"""


def test_bench_extract_reports_every_stage_against_a_baseline_with_the_same_items(tmp_path):
    captured = tmp_path / "captured" / "snapshot-1"  # stands in for the real captured feeds' layout
    captured.mkdir(parents=True)
    (captured / "tiny.xml").write_bytes(TINY_FEED)
    out = io.StringIO()

    result = run_extract_bench(
        feeds=10,
        latency=0.01,
        hosts=2,
        workers=2,
        stories_per_day=20,
        parse_repeats=1,
        realdata_dir=tmp_path / "captured",
        out=out,
    )

    assert [stage["unit"] for stage in result["stages"]] == ["feeds/s", "items/CPU-s", "items/CPU-s"]
    for stage in result["stages"]:
        for figure in ("ours", "baseline", "ratio", "ours_seconds", "baseline_seconds"):
            assert stage[figure] > 0, (stage["stage"], figure)
        assert stage["ours_items"] == stage["baseline_items"] > 0, stage["stage"]
    assert result["stages"][-1]["ours_items"] == 2
    assert result["parameters"]["feeds"] == 10 and result["machine"]["cores"] >= 1
    report = out.getvalue()
    assert "fetch, 10 feeds" in report and "parse, real feeds (1 files)" in report and "DIFFERENT" not in report
