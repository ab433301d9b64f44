"""`newsdesk bench fields`: how true the records are to real feeds and pages, field by field.

Every figure is counted on the real captured data in ../shared/realdata (or
`--realdata DIR`), from the records `newsdesk parse` makes of each file, and
checked against what the files themselves say, read without feedparser:

- **caption bodies**: records whose body is one of their item's
  `media:description` / `media:text` texts (the captions of its pictures);
- **tracking parameters**: canonical URLs whose query still holds a
  parameter of `MEASURED_TRACKING` (campaign and click identifiers seen in
  the captured feeds and named in common tracking lists);
- **media links**: records whose link is an audio or video file (by its
  extension), and how many of them carry that `media_kind`;
- **Tagalog titles**: records whose title holds at least two Tagalog function
  words (`TAGALOG_MARKERS`) and are labelled English;
- **page dates**: article pages whose record has a `published_at`;
- **page body F1**: token F1 of each page's body against its hand-marked body
  (`ground-truth.json`), the mean over pages, beside trafilatura's own output
  on the same page (the baseline).

The figures are quality, not speed: the baseline is what trafilatura alone
gives, and for the other rows the target is zero.
"""

from __future__ import annotations

import gzip
import json
import re
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO
from urllib.parse import urlsplit
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as safe_etree
import trafilatura

from newsdesk import config
from newsdesk.collect.normalize import clean_text, media_kind
from newsdesk.collect.pages import PageError
from newsdesk.collect.parse import FeedError
from newsdesk.collect.registries import REAL
from newsdesk.collect.registry import Source, load_registry
from newsdesk.collect.sniff import records_from_payload

# Query parameters that name a campaign, a feed or a click, never an article.
MEASURED_TRACKING = re.compile(
    r"(utm_[a-z_]+|ns_[a-z_]+|ito|ref|fbclid|gclid|dclid|msclkid|ocid|cmpid|smid|mc_cid|mc_eid|_ga|_gl|xtor)",
    re.IGNORECASE,
)
# Words that make a headline Tagalog; two distinct ones are not met in English headlines.
TAGALOG_MARKERS = frozenset({"ang", "ng", "mga", "sa", "na", "nang", "si", "ni", "kay", "ay", "para", "hindi", "mas"})
# Media RSS, also as declared protocol-relative ("//search.yahoo.com/mrss/", Daily Mail).
MEDIA_NAMESPACE = re.compile(r"\{(?:https?:)?//search\.yahoo\.com/mrss/?\}(?:description|text)")
_WORD = re.compile(r"\w+")
FEED_FIGURES = (
    "files", "records", "records with a body", "body is a caption", "url with tracking parameters",
    "link is an audio or video file", "of which with that media_kind", "title plainly Tagalog",
    "of which language en",
)  # fmt: skip


def run_fields_bench(
    *, realdata_dir: Path | None = None, registry_path: Path | None = None, out: TextIO = sys.stdout
) -> dict:
    """Count every figure on `realdata_dir` (default ../shared/realdata), print them and return them.

    A feed file whose name (up to its first dot) is a source id of the
    registry (default: the bundled real publishers' registry) is parsed as that
    source, so its per-source rules apply; other files as a source known by
    id only.
    """
    realdata_dir = Path(realdata_dir or config.realdata_dir())
    registry_path = Path(registry_path or REAL)
    sources = {source.id: source for source in load_registry(registry_path)}
    feeds = feed_figures(realdata_dir / "feeds-multi-publisher", sources)
    pages = page_figures(realdata_dir / "article-pages")
    result = {"realdata_dir": str(realdata_dir), "registry": str(registry_path), "feeds": feeds, "pages": pages}
    _print_report(result, out)
    return result


# ---- feeds -----------------------------------------------------------------------


def _local_name(element: Element) -> str:
    return element.tag.rpartition("}")[2] if isinstance(element.tag, str) else ""


def item_captions(root: Element) -> dict[str, set[str]]:
    """Plain-text title -> the media:description / media:text texts of the items with that title."""
    captions: dict[str, set[str]] = {}
    for item in root.iter():
        if _local_name(item) not in ("item", "entry"):
            continue
        title = next((child for child in item if _local_name(child) == "title"), None)
        texts = {
            clean_text("".join(element.itertext()))
            for element in item.iter()
            if isinstance(element.tag, str) and MEDIA_NAMESPACE.fullmatch(element.tag)
        }
        if title is not None and texts - {None}:
            captions.setdefault(clean_text("".join(title.itertext())) or "", set()).update(texts - {None})
    return captions


def tracking_parameters(url: str) -> list[str]:
    return [
        name
        for name in (part.split("=", 1)[0] for part in urlsplit(url).query.split("&") if part)
        if MEASURED_TRACKING.fullmatch(name)
    ]


def is_plainly_tagalog(title: str) -> bool:
    return len(TAGALOG_MARKERS & {word.lower() for word in _WORD.findall(title)}) >= 2


def _feed_files(folder: Path) -> Iterator[Path]:
    yield from sorted(folder.glob("*/*.xml")) if folder.is_dir() else ()


def feed_figures(folder: Path, sources: dict[str, Source]) -> dict:
    figures = Counter(dict.fromkeys(FEED_FIGURES, 0))
    examples: dict[str, list[str]] = {}
    tracking_names: Counter = Counter()

    def example(kind: str, text: str) -> None:
        examples.setdefault(kind, [])
        if len(examples[kind]) < 3:
            examples[kind].append(text)

    for path in _feed_files(folder):
        payload = path.read_bytes()
        stem = path.name.split(".", 1)[0]
        try:
            _fmt, records, _rejects = records_from_payload(payload, source_id=stem, url=None, source=sources.get(stem))
        except (FeedError, PageError):
            figures["files refused"] += 1
            continue
        figures["files"] += 1
        try:
            captions = item_captions(safe_etree.fromstring(payload))
        except ParseError:
            captions = {}
        for record in records:
            figures["records"] += 1
            figures["records with a body"] += bool(record["body"])
            if record["body"] and clean_text(record["body"]) in captions.get(record["title"], ()):
                figures["body is a caption"] += 1
                example("body is a caption", f"{stem}: {record['title'][:60]!r} <- {record['body'][:60]!r}")
            found = tracking_parameters(record["url"])
            if found:
                figures["url with tracking parameters"] += 1
                tracking_names.update(f"{stem}:{name}" for name in found)
                example("url with tracking parameters", record["url"])
            media = media_kind(record["url"])
            if media:
                figures["link is an audio or video file"] += 1
                figures["of which with that media_kind"] += record.get("media_kind") == media
                example("link is an audio or video file", record["url"])
            if is_plainly_tagalog(record["title"]):
                figures["title plainly Tagalog"] += 1
                if record["language"] == "en":
                    figures["of which language en"] += 1
                    example("Tagalog title as en", f"{stem}: {record['title'][:70]!r}")
    return {"counts": dict(figures), "tracking_parameters": dict(tracking_names.most_common()), "examples": examples}


# ---- article pages ---------------------------------------------------------------


def token_f1(found: str | None, truth: str) -> float:
    """F1 of the word tokens (\\w+, as the benchmark the pages come from tokenizes) of `found` against `truth`."""
    found_tokens, true_tokens = Counter(_WORD.findall(found or "")), Counter(_WORD.findall(truth))
    overlap = sum((found_tokens & true_tokens).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(found_tokens.values()), overlap / sum(true_tokens.values())
    return 2 * precision * recall / (precision + recall)


def page_figures(folder: Path) -> dict:
    truth_path = folder / "ground-truth.json"
    if not truth_path.exists():
        return {}
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    pages, dated, date_sources = 0, 0, Counter()
    ours, baseline = {}, {}
    for page_id, item in sorted(truth.items()):
        payload = gzip.decompress((folder / "html" / f"{page_id}.html.gz").read_bytes())
        pages += 1
        try:
            _fmt, records, _rejects = records_from_payload(payload, source_id="page", url=item["url"])
        except (FeedError, PageError):
            records = []
        record = records[0] if records else {}
        dated += bool(record.get("published_at"))
        date_sources[record.get("published_at_source") or "none"] += 1
        ours[page_id] = token_f1(record.get("body"), item["articleBody"])
        baseline[page_id] = token_f1(trafilatura.extract(payload, url=item["url"]), item["articleBody"])
    worst = sorted(ours, key=ours.get)[:5]
    return {
        "pages": pages,
        "with published_at": dated,
        "published_at_source": dict(date_sources),
        "body_f1_mean": sum(ours.values()) / max(pages, 1),
        "baseline_body_f1_mean": sum(baseline.values()) / max(pages, 1),
        "worst": {page_id: round(ours[page_id], 3) for page_id in worst},
    }


# ---- report -------------------------------------------------------------------


def _print_report(result: dict, out: TextIO) -> None:
    lines = [f"newsdesk bench fields --realdata {result['realdata_dir']} --registry {result['registry']}", ""]
    counts = result["feeds"]["counts"]
    lines.append("feeds-multi-publisher")
    for name, value in counts.items():
        lines.append(f"  {name:<40} {value:>6}")
    if result["feeds"]["tracking_parameters"]:
        top = ", ".join(f"{name} {count}" for name, count in list(result["feeds"]["tracking_parameters"].items())[:8])
        lines.append(f"  tracking parameters left: {top}")
    for kind, texts in result["feeds"]["examples"].items():
        for text in texts:
            lines.append(f"  e.g. {kind}: {text}")
    pages = result["pages"]
    if pages:
        lines += [
            "",
            "article-pages",
            f"  {'pages':<40} {pages['pages']:>6}",
            f"  {'with published_at':<40} {pages['with published_at']:>6}",
            f"  {'published_at from':<40} {pages['published_at_source']}",
            f"  {'body token F1, mean (ours)':<40} {pages['body_f1_mean']:>6.3f}",
            f"  {'body token F1, mean (trafilatura alone)':<40} {pages['baseline_body_f1_mean']:>6.3f}",
            f"  {'worst pages (ours)':<40} {pages['worst']}",
        ]
    print("\n".join(lines), file=out)
