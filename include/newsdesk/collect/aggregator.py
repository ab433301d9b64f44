"""A news aggregator's article page, captured as text (see shared/seed/aggregator-page-nl.txt).

The page gives the title, a category line and a headlines line, a bullet
block (source, reading time here and at the publisher, quality scores), the
summary paragraphs, a rank line ("NOS / 🏆 5. in NL"), a "Similar News:" list
and a render time. `parse_aggregator_page` reads what is there and leaves the
rest None; `AggregatorPage.feed_entry` hands the article to
`records.RecordBuilder`, so a page becomes a record under the same rules as
a feed item. The aggregator's own numbers stay on the page object: they are
comparison material, not record fields.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from newsdesk.collect.parse import FeedEntry, FeedError


class NotAnAggregatorPage(FeedError):
    """The text has no title or none of the aggregator page's markers."""


class SimilarArticle(NamedTuple):
    title: str
    summary: str | None


@dataclass(frozen=True)
class AggregatorPage:
    title: str
    source_name: str | None = None
    category: str | None = None
    headlines: tuple[str, ...] = ()
    reading_time_here_seconds: int | None = None
    reading_time_publisher_seconds: int | None = None
    news_quality_pct: float | None = None
    publisher_quality_pct: float | None = None
    summary: str | None = None  # paragraphs joined by blank lines
    source_rank: int | None = None
    rank_country: str | None = None
    similar: tuple[SimilarArticle, ...] = ()
    render_time: datetime | None = None  # as printed; the page names no time zone

    def feed_entry(self, url: str | None) -> FeedEntry:
        """The page's article as a feed entry; the page has no link of its own, so `url` is it.

        The summary paragraphs are the aggregator's digest, not the full article,
        so they are the summary and the body stays empty.
        """
        return FeedEntry(position=1, link=url, title=self.title, summary=self.summary, category=self.category)


# Durations as the page writes them: "26 sec.", "2 min.", "1 min. 30 sec.", "3 min read".
_DURATION_PART = re.compile(
    r"(\d+(?:[.,]\d+)?)\s*(hours?|hrs?|h|uur|minutes?|minuten|mins?|m|seconds?|seconden|secs?|s)\b\.?", re.IGNORECASE
)
_UNIT_SECONDS = {"h": 3600, "u": 3600, "m": 60, "s": 1}
_DURATION = rf"(?:{_DURATION_PART.pattern}\s*)+"
# The page's labels are English, also on a Dutch page; only "Lees verder" is translated.
_READING_HERE = re.compile(rf"({_DURATION})\s*(?:read\s+)?here\b", re.IGNORECASE)
_READING_AT_PUBLISHER = re.compile(rf"({_DURATION})\s*(?:read\s+)?at\s+(?:the\s+)?publisher\b", re.IGNORECASE)
_NEWS_QUALITY = re.compile(r"\bnews\s*:?\s*(\d+(?:[.,]\d+)?)\s*%", re.IGNORECASE)
_PUBLISHER_QUALITY = re.compile(r"\bpublisher\s*:?\s*(\d+(?:[.,]\d+)?)\s*%", re.IGNORECASE)

_BULLET = re.compile(r"^\s*•\s*")
_SOURCE_BULLET = re.compile(r"^📰\s*(.+)$")
# Line markers, anchored: a label may follow a bullet and an emoji, never ASCII
# punctuation, so prose that quotes a label ('| "Reading Time: ..." |') is no page.
_FACT_LINE = re.compile(r"^(?:[^\w\x00-\x7f]|\s)*(?:reading time|quality score)\s*:", re.IGNORECASE)
_RANK_LINE = re.compile(r"^(?P<source>[^/|]*?)\s*/\s*🏆\s*(?P<rank>\d+)\.?\s*in\s+(?P<country>[A-Z]{2})\s*$")
_SIMILAR_LINE = re.compile(r"^similar news\s*:", re.IGNORECASE)
_RENDER_LINE = re.compile(r"^render time\s*:\s*(?P<value>.+?)\s*$", re.IGNORECASE)
_READ_MORE_LINE = re.compile(r"^(?:lees verder|read more)\s*»?\s*$", re.IGNORECASE)
# The aggregator's own closing paragraph under the summary ("... Lees verder:").
_READ_MORE_PARAGRAPH = re.compile(r"(?:lees verder|read more)\s*:\s*$", re.IGNORECASE)


def reading_time_seconds(text: str) -> int | None:
    """Seconds in a duration such as "26 sec.", "2 min.", "1 min. 30 sec." or "3 min read"."""
    parts = _DURATION_PART.findall(text)
    if not parts:
        return None
    total = sum(float(number.replace(",", ".")) * _UNIT_SECONDS[unit[0].lower()] for number, unit in parts)
    return round(total)


def has_aggregator_markers(text: str) -> bool:
    """Whether any line carries a marker only an aggregator page has."""
    return any(_is_marker(line.strip()) for line in text.splitlines())


def parse_aggregator_page(text: str) -> AggregatorPage:
    """The page's parts; missing parts are None. Raises NotAnAggregatorPage for other text."""
    if not has_aggregator_markers(text):
        raise NotAnAggregatorPage(
            "none of the aggregator page's markers (Reading Time, Quality Score, 🏆 rank, Similar News, Render Time)"
        )
    blocks = _blocks(text)
    if _is_marker(blocks[0][0]):
        raise NotAnAggregatorPage("no title line before the aggregator's markers")
    title = blocks[0][0]
    tail_start = next((i for i, block in enumerate(blocks) if _is_tail_marker(block[0])), len(blocks))
    head_end = _head_end(blocks[:tail_start], title)
    head_lines = [line for block in blocks[: head_end + 1] for line in block]
    facts = "\n".join(_BULLET.sub("", line) for line in head_lines)
    labels = [line for line in head_lines[1:] if line != title and not _is_fact_line(line)]
    rank = next(filter(None, (_RANK_LINE.match(line) for block in blocks[tail_start:] for line in block)), None)
    render = next(filter(None, (_RENDER_LINE.match(line) for block in blocks[tail_start:] for line in block)), None)
    return AggregatorPage(
        title=title,
        source_name=_source_name(head_lines) or (rank.group("source").strip() if rank else None) or None,
        category=_category(labels[0]) if labels else None,
        headlines=tuple(label.strip() for label in labels[1].split(",") if label.strip()) if len(labels) > 1 else (),
        reading_time_here_seconds=_duration_match(_READING_HERE, facts),
        reading_time_publisher_seconds=_duration_match(_READING_AT_PUBLISHER, facts),
        news_quality_pct=_percentage(_NEWS_QUALITY, facts),
        publisher_quality_pct=_percentage(_PUBLISHER_QUALITY, facts),
        summary=_summary(blocks[head_end + 1 : tail_start]),
        source_rank=int(rank.group("rank")) if rank else None,
        rank_country=rank.group("country") if rank else None,
        similar=_similar_articles(blocks[tail_start:]),
        render_time=_render_time(render.group("value")) if render else None,
    )


def _blocks(text: str) -> list[list[str]]:
    """Runs of non-blank lines, each line stripped."""
    blocks: list[list[str]] = [[]]
    for line in text.splitlines():
        if line.strip():
            blocks[-1].append(line.strip())
        elif blocks[-1]:
            blocks.append([])
    return [block for block in blocks if block]


def _is_tail_marker(line: str) -> bool:
    return bool(_RANK_LINE.match(line) or _SIMILAR_LINE.match(line) or _RENDER_LINE.match(line))


def _is_marker(line: str) -> bool:
    return bool(_FACT_LINE.match(line) or _is_tail_marker(line))


def _head_end(blocks: list[list[str]], title: str) -> int:
    """Index of the last head block: the last with bullet or fact lines, else the one repeating the title."""
    lines_after_title = [block[1:] if i == 0 else block for i, block in enumerate(blocks)]
    with_facts = [i for i, lines in enumerate(lines_after_title) if any(map(_is_fact_line, lines))]
    with_title = [i for i, lines in enumerate(lines_after_title) if title in lines]
    return (with_facts or with_title or [0])[-1]


def _is_fact_line(line: str) -> bool:
    return bool(_BULLET.match(line) or _FACT_LINE.match(line))


def _source_name(head_lines: list[str]) -> str | None:
    """The bullet marked 📰."""
    for line in head_lines:
        if _BULLET.match(line) and (match := _SOURCE_BULLET.match(_BULLET.sub("", line))):
            return match.group(1).strip()
    return None


def _category(line: str) -> str:
    """The category line; the capture glues the breadcrumb's last crumb on ("Nederland Nieuws Nieuws")."""
    words = line.split()
    if len(words) > 2 and words[-1] == words[-2]:
        words.pop()
    return " ".join(words)


def _duration_match(pattern: re.Pattern[str], facts: str) -> int | None:
    match = pattern.search(facts)
    return reading_time_seconds(match.group(1)) if match else None


def _percentage(pattern: re.Pattern[str], facts: str) -> float | None:
    match = pattern.search(facts)
    return float(match.group(1).replace(",", ".")) if match else None


def _summary(blocks: list[list[str]]) -> str | None:
    paragraphs = [" ".join(block) for block in blocks]
    paragraphs = [paragraph for paragraph in paragraphs if not _READ_MORE_PARAGRAPH.search(paragraph)]
    return "\n\n".join(paragraphs) or None


def _similar_articles(tail: list[list[str]]) -> tuple[SimilarArticle, ...]:
    """Items after the "Similar News:" line, up to the render time: title shown twice, glued, then summary."""
    start = next((i for i, block in enumerate(tail) if _SIMILAR_LINE.match(block[0])), None)
    if start is None:
        return ()
    items = []
    for block in tail[start + 1 :]:
        if _RENDER_LINE.match(block[0]):
            break
        lines = [line for line in block if not _READ_MORE_LINE.match(line)]
        if lines:
            title, rest = _split_doubled_title(lines[0])
            items.append(SimilarArticle(title, " ".join([rest, *lines[1:]]).strip() or None))
    return tuple(items)


def _split_doubled_title(line: str) -> tuple[str, str]:
    """("T", "S") for "TTS", with the longest such T; (line, "") when nothing is doubled."""
    for length in range(len(line) // 2, 0, -1):
        if line[:length] == line[length : 2 * length] and line[:length].strip():
            return line[:length].strip(), line[2 * length :].strip()
    return line, ""


def _render_time(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None
