"""`newsdesk bench fields` on a tiny stand-in for the real data: it counts what the files say and what
the records keep (the real figures are in test_realdata.py, where ../shared/realdata exists)."""

import gzip
import io
import json

from newsdesk.bench.fields import run_fields_bench, token_f1

FEED = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:media="//search.yahoo.com/mrss/"><channel><title>Daily</title>
<item><title>Court overturns ban</title>
<link>https://www.dailymail.co.uk/news/article-1/Court.html?ns_mchannel=rss&amp;ito=1490&amp;ns_campaign=1490</link>
<description>A federal appeals court threw out the ban.</description>
<media:description>Students wear a special fanny pack with two protruding wires.</media:description></item>
<item><title>Pumanaw na si dating Secretary Ramon Jimenez sa edad na 65</title>
<link>https://www.dailymail.co.uk/news/article-2/x.html?ref=rss</link><language>en</language></item>
</channel></rss>"""
BODY = "The council approved the new bridge on Tuesday. " * 20
PAGE = f"""<!DOCTYPE html><html lang="en"><head><title>Bridge approved</title>
<script type="application/ld+json">{{"@type": "ClaimReview", "datePublished": "2019-11-18T10:00:00Z"}}</script>
</head><body><nav>Home | News</nav><article><h1>Bridge approved</h1><p>{BODY}</p></article>
<footer>About us</footer></body></html>""".encode()


def test_bench_fields_counts_captions_tracking_dates_and_body_f1(tmp_path):
    snapshot = tmp_path / "feeds-multi-publisher" / "2020-08-01"
    snapshot.mkdir(parents=True)
    (snapshot / "dailymail.xml").write_bytes(FEED)
    pages = tmp_path / "article-pages"
    (pages / "html").mkdir(parents=True)
    (pages / "html" / "p1.html.gz").write_bytes(gzip.compress(PAGE))
    truth = {"p1": {"url": "https://news.example/bridge", "articleBody": BODY}}
    (pages / "ground-truth.json").write_text(json.dumps(truth), encoding="utf-8")
    out = io.StringIO()

    result = run_fields_bench(realdata_dir=tmp_path, out=out)

    counts = result["feeds"]["counts"]
    assert (counts["files"], counts["records"]) == (1, 2)
    assert counts["body is a caption"] == 0 and counts["records with a body"] == 0
    assert counts["url with tracking parameters"] == 0  # the registry's dailymail entry names ito, ns_*
    assert result["pages"]["with published_at"] == 1
    assert result["pages"]["published_at_source"] == {"page_json_ld": 1}
    assert result["pages"]["body_f1_mean"] > 0.95
    assert "body token F1, mean (ours)" in out.getvalue()


def test_token_f1():
    assert token_f1("a b c", "a b c") == 1.0
    assert token_f1(None, "a b") == 0.0
    assert round(token_f1("a b", "a b c d"), 3) == round(2 * 1 * 0.5 / 1.5, 3)
