"""A large synthetic news corpus with ground truth, for judging near-duplicate and same-event detection.

``generate_corpus(articles)`` plans N articles: publishers, stories, who
published what and when, and the ground-truth pairs. The text is made chunk
by chunk when it is needed (``iter_article_frames``, ``write_corpus``), so a
million articles never sit in memory at once. Everything follows from the
seed: the same arguments give the same corpus, byte for byte.

What the corpus holds, and why (a similarity method is judged against it):

- **Publishers**: a few hundred in 8 languages (en, nl, de, fr, ru, el, zh,
  ja; Cyrillic and Greek scripts, Chinese and Japanese without spaces) and
  their countries, with Zipf-like output volumes, plus wire agencies.
- **Vocabulary**: per language the real function words at the top of a
  Zipf-Mandelbrot distribution over 40,000 generated pseudo-words, so word
  document frequencies look like real text. Named entities (people, places,
  organisations) come from large generated pools, drawn Zipf-like too, so a
  few famous names recur across many unrelated stories.
- **Stories**: sizes skewed (P(k) ~ k^-2: most stories have 1 to 3 articles,
  about 2 % have 20 or more), every article of a story by a different
  publisher of the story's language. A story owns its entities, numbers,
  20 topic words and 2 quotes.
- **Wire stories** (about half of multi-article stories): an agency writes
  the original; most other publishers run it near-verbatim (*syndicated*):
  a credit line, often a different title, a trimmed last paragraph or an
  added one, and their own boilerplate. The rest write their own version.
- **Same-story rewrites**: fresh wording and sentence order around the same
  entities, numbers and topic words, often quoting the same statements, with
  their own titles, published hours apart.
- **Hard negatives** (different stories in the ground truth): stories of the
  same day and category sharing a famous person or a place; running stories
  (threads) that follow one person in one place on consecutive days, sharing
  a third of their topic words but not their events (numbers, quotes, other
  people); boilerplate lines shared by all articles of a publisher, some of
  them shared by many publishers of one language.

Ground truth: ``syndicated_pairs`` (both articles carry the agency's text)
and ``same_event_pairs`` (any other pair of one story), as (url_a, url_b)
with url_a < url_b; every pair joins two different publishers.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from newsdesk.sample.corpus_languages import CATEGORIES, LANGUAGES, CorpusLanguage
from newsdesk.warehouse.load import ARTICLE_COLUMNS, LINEAGE_COLUMNS, create_raw_schema

DEFAULT_END_DATE = date(2026, 11, 24)
DEFAULT_DAYS = 7
VOCABULARY_SIZE = 40_000  # pseudo-words per language, beside its function words
ZIPF_EXPONENT = 1.07
ZIPF_SHIFT = 2.7  # Zipf-Mandelbrot: flattens the very top a little, as in real text
PEOPLE_PER_LANGUAGE = 20_000
PLACES_PER_LANGUAGE = 4_000
ORGS_PER_LANGUAGE = 3_000
MAX_STORY_SIZE = 60
STORY_SIZE_EXPONENT = 2.0
WIRE_SHARE_OF_MULTI = 0.5  # multi-article stories that start from an agency
WIRE_SHARE_OF_SINGLE = 0.1  # agency stories nobody picked up
SYNDICATED_SHARE = 0.75  # of the other articles of a wire story: run the agency text
THREAD_SHARE = 0.08  # stories that are an episode of a running story
TOPIC_WORDS = 20  # the story's own vocabulary: what the event is about
ENTITY_ZIPF_SHIFT = 10.0
BODY_STORY_RATE = 0.25  # share of a body's words that are the story's own (entities, figures, topic words)
THREAD_SHARED_TOPIC_WORDS = 6  # a third: a running story's episodes share its theme, not its events
CHUNK_ARTICLES = 20_000  # text is made per chunk of whole stories; fixed, so texts do not depend on N
RUN_ID = "sample-corpus"

# A story's token slots: TOPIC_WORDS topic words, then entities and figures. Rewrites
# draw from these, so two articles of a story share them and little else.
_PERSON, _SURNAME, _SURNAME2, _PLACE, _PLACE2, _ORG, _OTHER, _OTHER_SURNAME = range(TOPIC_WORDS, TOPIC_WORDS + 8)
_NUMBER, _COUNT, _PERCENT, _AMOUNT = range(TOPIC_WORDS + 8, TOPIC_WORDS + 12)
STORY_SLOTS = TOPIC_WORDS + 12


# ---- the plan ----------------------------------------------------------------------------


@dataclass
class Corpus:
    """The planned articles (one row each, text made on demand) and their ground truth.

    ``articles`` columns: story, publisher, role (0 agency original,
    1 syndicated copy, 2 own version), published_at (datetime64), url.
    ``stories`` columns: language, category, day, thread, person, place, ...
    ``pairs``: index_a, index_b into ``articles`` and kind
    ('syndicated' | 'same_event'), url of index_a < url of index_b.
    """

    seed: int
    days: int
    end_date: date
    publishers: pd.DataFrame  # source_id, name, country, language, homepage, domain, agency, weight, boilerplate
    stories: pd.DataFrame
    articles: pd.DataFrame
    pairs: pd.DataFrame
    story_tokens: np.ndarray = field(repr=False)  # (stories, STORY_SLOTS) ints into the lexicon
    entity_strings: np.ndarray = field(repr=False)  # object array; lexicon entries past the vocabularies

    @property
    def dates(self) -> tuple[date, ...]:
        return tuple(self.end_date - timedelta(days=back) for back in range(self.days - 1, -1, -1))

    @property
    def article_count(self) -> int:
        return len(self.articles)

    @cached_property
    def syndicated_pairs(self) -> set[tuple[str, str]]:
        return self._pair_set("syndicated")

    @cached_property
    def same_event_pairs(self) -> set[tuple[str, str]]:
        return self._pair_set("same_event")

    def _pair_set(self, kind: str) -> set[tuple[str, str]]:
        chosen = self.pairs[self.pairs["kind"] == kind]
        urls = self.articles["url"].to_numpy()
        return set(zip(urls[chosen["index_a"].to_numpy()], urls[chosen["index_b"].to_numpy()]))

    def truth_frame(self) -> pd.DataFrame:
        """url_a, url_b, match_kind: every ground-truth pair."""
        urls = self.articles["url"].to_numpy()
        return pd.DataFrame(
            {
                "url_a": urls[self.pairs["index_a"].to_numpy()],
                "url_b": urls[self.pairs["index_b"].to_numpy()],
                "match_kind": self.pairs["kind"].to_numpy(),
            }
        )

    def iter_article_frames(self) -> Iterator[pd.DataFrame]:
        """raw.articles rows (every loader column), one DataFrame per chunk of whole stories."""
        lexicon = _lexicon()
        for chunk_number, (first, last) in enumerate(_story_chunks(self.articles["story"].to_numpy())):
            yield _chunk_frame(self, lexicon, chunk_number, first, last)


def generate_corpus(
    articles: int, *, days: int = DEFAULT_DAYS, seed: int = 0, end_date: date = DEFAULT_END_DATE
) -> Corpus:
    """Plan `articles` articles over `days` days ending on `end_date`, and their ground truth."""
    if articles < 1 or days < 1:
        raise ValueError(f"articles and days must be at least 1, got {articles} and {days}")
    rng = np.random.default_rng([seed, 1])
    lexicon = _lexicon()
    publishers = _publishers(rng)
    stories = _stories(rng, articles, days, publishers)
    story_tokens = _story_tokens(rng, stories, lexicon)
    article_frame = _articles(rng, stories, publishers, end_date, days)
    pairs = _truth_pairs(article_frame)
    return Corpus(
        seed=seed,
        days=days,
        end_date=end_date,
        publishers=publishers,
        stories=stories,
        articles=article_frame,
        pairs=pairs,
        story_tokens=story_tokens,
        entity_strings=lexicon.entities,
    )


# ---- vocabularies and entity pools (the same for every seed) ---------------------------------


@dataclass(frozen=True)
class _Lexicon:
    """Every language's words in one object array: vocabulary (function words first), then entities.

    words[vocab_start[l] + rank] is rank `rank` of language l's Zipf
    vocabulary; entities of language l are at entity_start[l] + offsets of
    people, places, organisations.
    """

    words: np.ndarray  # object: every string a token can be
    capitalized: np.ndarray  # object: the same, as written at the start of a sentence
    vocab_start: np.ndarray
    vocab_size: np.ndarray
    zipf_table: np.ndarray  # rank at each of 2**22 equal quantiles: sampling by one lookup
    person_start: np.ndarray
    place_start: np.ndarray
    org_start: np.ndarray
    entities: np.ndarray  # object: the entity strings alone (for the record)
    word_bytes: np.ndarray  # UTF-8 of `words` back to back, and where each starts and how long it is
    word_offsets: np.ndarray
    word_lengths: np.ndarray
    capitalized_bytes: np.ndarray
    capitalized_offsets: np.ndarray
    word_caps_lengths: np.ndarray
    separator_bytes: np.ndarray
    separator_offsets: np.ndarray
    separator_lengths: np.ndarray


def _zipf_table(size: int, quantiles: int = 2**22) -> np.ndarray:
    """Inverse CDF of Zipf-Mandelbrot over `size` ranks at `quantiles` points (finer than the rarest word)."""
    weights = 1.0 / (np.arange(size) + ZIPF_SHIFT) ** ZIPF_EXPONENT
    cdf = np.cumsum(weights)
    points = (np.arange(quantiles) + 0.5) / quantiles
    return np.searchsorted(cdf / cdf[-1], points).astype(np.int32)


def _pseudo_words(
    rng: np.random.Generator,
    language: CorpusLanguage,
    count: int,
    syllable_choices: tuple[int, ...],
    syllable_weights: tuple[float, ...],
) -> list[str]:
    """`count` candidate words (may repeat): onset+vowel syllables and a coda (none for Han / kana)."""
    syllables = [onset + vowel for onset in language.onsets for vowel in language.vowels]
    lengths = rng.choice(syllable_choices, size=count, p=syllable_weights).tolist()
    picks = rng.integers(0, len(syllables), (count, max(syllable_choices))).tolist()
    codas = (
        [language.codas[i] for i in rng.integers(0, len(language.codas), count)] if language.spaced else [""] * count
    )
    return ["".join([syllables[i] for i in row[:length]]) + coda for row, length, coda in zip(picks, lengths, codas)]


def _distinct_words(
    rng: np.random.Generator,
    language: CorpusLanguage,
    count: int,
    taken: set[str],
    syllable_choices: tuple[int, ...],
    syllable_weights: tuple[float, ...],
) -> list[str]:
    words: dict[str, None] = {}
    while len(words) < count:
        for word in _pseudo_words(rng, language, count, syllable_choices, syllable_weights):
            if word not in taken:
                words[word] = None
    return list(words)[:count]


def _title_case(word: str) -> str:
    return word[:1].upper() + word[1:]


def _entity_pools(rng: np.random.Generator, language: CorpusLanguage, taken: set[str]) -> tuple[list[str], ...]:
    """People (first name + surname), places and organisations of one language."""
    cjk = not language.spaced
    names = (
        _distinct_words(rng, language, 3_500, taken, (1, 2), (0.6, 0.4))
        if cjk
        else [_title_case(word) for word in _distinct_words(rng, language, 3_500, taken, (2, 3), (0.6, 0.4))]
    )
    firsts, surnames = names[:500], names[500:]
    joiner = "" if cjk else " "
    first_index = rng.integers(0, len(firsts), PEOPLE_PER_LANGUAGE)
    surname_index = rng.integers(0, len(surnames), PEOPLE_PER_LANGUAGE)
    if language.code == "nl":  # Dutch surnames often carry a prefix: Jan van Dijk, Anna de Vries
        prefixes = np.array(["", "", "", "van ", "de ", "van der ", "van den "], dtype=object)[
            rng.integers(0, 7, PEOPLE_PER_LANGUAGE)
        ]
    else:
        prefixes = np.full(PEOPLE_PER_LANGUAGE, "", dtype=object)
    if cjk:  # family name first, no space
        people = [surnames[s] + firsts[f] for f, s in zip(first_index, surname_index)]
    else:
        people = [firsts[f] + joiner + p + surnames[s] for f, s, p in zip(first_index, surname_index, prefixes)]
    place_roots = _distinct_words(rng, language, PLACES_PER_LANGUAGE, taken, (1, 2, 3), (0.3, 0.5, 0.2))
    places = [
        _title_case(root) + language.place_suffixes[i]
        for root, i in zip(place_roots, rng.integers(0, len(language.place_suffixes), PLACES_PER_LANGUAGE))
    ]
    org_roots = _distinct_words(rng, language, ORGS_PER_LANGUAGE, taken, (1, 2, 3), (0.3, 0.5, 0.2))
    orgs = [
        _title_case(root) + language.org_suffixes[i]
        for root, i in zip(org_roots, rng.integers(0, len(language.org_suffixes), ORGS_PER_LANGUAGE))
    ]
    return people, places, orgs


_LEXICON: _Lexicon | None = None


def _lexicon() -> _Lexicon:
    """Built once per process (about a second); independent of the corpus seed."""
    global _LEXICON
    if _LEXICON is None:
        _LEXICON = _build_lexicon()
    return _LEXICON


def _build_lexicon() -> _Lexicon:
    words: list[str] = []
    vocab_start, vocab_size, person_start, place_start, org_start = [], [], [], [], []
    entity_lists: list[list[str]] = []
    for number, language in enumerate(LANGUAGES):
        rng = np.random.default_rng([4242, number])
        taken = set(language.function_words)
        pseudo = _distinct_words(rng, language, VOCABULARY_SIZE, taken, (1, 2, 3, 4), (0.15, 0.45, 0.3, 0.1))
        vocabulary = list(language.function_words) + pseudo
        vocab_start.append(len(words))
        vocab_size.append(len(vocabulary))
        words.extend(vocabulary)
        entity_lists.append(list(_entity_pools(rng, language, taken | set(pseudo))))
    entities: list[str] = []
    for people, places, orgs in entity_lists:
        person_start.append(len(words) + len(entities))
        entities.extend(people)
        place_start.append(len(words) + len(entities))
        entities.extend(places)
        org_start.append(len(words) + len(entities))
        entities.extend(orgs)
    every = np.array(words + entities, dtype=object)
    capitalized = np.array([_title_case(word) for word in words] + entities, dtype=object)
    sizes = np.array(vocab_size)
    word_bytes, word_offsets, word_lengths = _encoded(words + entities)
    capitalized_bytes, capitalized_offsets, capitalized_lengths = _encoded(capitalized.tolist())
    separator_bytes, separator_offsets, separator_lengths = _encoded(list(_SEPARATORS))
    return _Lexicon(
        words=every,
        capitalized=capitalized,
        vocab_start=np.array(vocab_start),
        vocab_size=sizes,
        zipf_table=_zipf_table(int(sizes.min())),  # the few ranks past it (short function-word lists) go unused
        person_start=np.array(person_start),
        place_start=np.array(place_start),
        org_start=np.array(org_start),
        entities=np.array(entities, dtype=object),
        word_bytes=word_bytes,
        word_offsets=word_offsets,
        word_lengths=word_lengths,
        capitalized_bytes=capitalized_bytes,
        capitalized_offsets=capitalized_offsets,
        word_caps_lengths=capitalized_lengths,
        separator_bytes=separator_bytes,
        separator_offsets=separator_offsets,
        separator_lengths=separator_lengths,
    )


# ---- publishers ----------------------------------------------------------------------------


def _ascii_slug(text: str, fallback: str) -> str:
    slug = "".join(ch for ch in text.lower() if ch.isascii() and ch.isalnum())
    return slug or fallback


def _publishers(rng: np.random.Generator) -> pd.DataFrame:
    lexicon = _lexicon()
    rows = []
    for number, language in enumerate(LANGUAGES):
        places = lexicon.words[lexicon.place_start[number] : lexicon.place_start[number] + PLACES_PER_LANGUAGE]
        for agency_number, agency in enumerate(language.agencies):
            slug = _ascii_slug(agency, f"agency{number}{agency_number}")
            rows.append(
                {
                    "source_id": f"{language.code}-wire-{agency_number + 1}",
                    "name": agency,
                    "country": language.countries[0],
                    "language": language.code,
                    "domain": f"{slug[:18]}-{language.code}.example",
                    "agency": True,
                    "weight": 0.0,
                    "boilerplate": "",
                }
            )
        paper_weights = 1.0 / np.arange(1, language.publishers + 1) ** 0.8  # a few big, many small papers
        for paper in range(language.publishers):
            town = places[rng.integers(len(places))]
            suffix = language.paper_suffixes[rng.integers(len(language.paper_suffixes))]
            name = (
                f"{suffix} {town}"
                if language.code == "fr"
                else (f"{town}{suffix}" if not language.spaced else f"{town} {suffix}")
            )
            common = language.boilerplate[rng.integers(len(language.boilerplate))]
            about = language.about.format(name=name, year=int(rng.integers(1850, 2015)))
            rows.append(
                {
                    "source_id": f"{language.code}-{paper + 1:03d}",
                    "name": name,
                    "country": language.countries[rng.integers(len(language.countries))],
                    "language": language.code,
                    "domain": f"{_ascii_slug(name, 'news')[:20]}{paper + 1}.{language.code}.example",
                    "agency": False,
                    "weight": float(paper_weights[paper]),
                    "boilerplate": about + ("" if not language.spaced else " ") + common,
                }
            )
    frame = pd.DataFrame(rows)
    frame["homepage"] = "https://" + frame["domain"] + "/"
    return frame


# ---- stories ---------------------------------------------------------------------------------


def _story_sizes(rng: np.random.Generator, count: int) -> np.ndarray:
    sizes = np.arange(1, MAX_STORY_SIZE + 1)
    weights = sizes**-STORY_SIZE_EXPONENT
    return rng.choice(sizes, size=count, p=weights / weights.sum())


def _stories(rng: np.random.Generator, articles: int, days: int, publishers: pd.DataFrame) -> pd.DataFrame:
    """Enough stories for `articles` articles: language, category, day, size, wire, thread, entities."""
    lexicon = _lexicon()
    shares = np.array([language.article_share for language in LANGUAGES])
    papers = np.array([language.publishers for language in LANGUAGES])
    estimate = int(articles / 2.5) + 64
    language = rng.choice(len(LANGUAGES), size=estimate, p=shares / shares.sum())
    size = np.minimum(_story_sizes(rng, estimate), papers[language])  # one article per publisher per story
    while size.sum() < articles:  # rare: top up with more stories
        extra_language = rng.choice(len(LANGUAGES), size=estimate, p=shares / shares.sum())
        language = np.concatenate([language, extra_language])
        size = np.concatenate([size, np.minimum(_story_sizes(rng, estimate), papers[extra_language])])
    count = int(np.searchsorted(np.cumsum(size), articles) + 1)
    language, size = language[:count], size[:count].copy()
    size[-1] -= int(size.sum() - articles)  # exactly `articles` in all
    wire = rng.random(count) < np.where(size > 1, WIRE_SHARE_OF_MULTI, WIRE_SHARE_OF_SINGLE)
    stories = pd.DataFrame(
        {
            "language": language.astype(np.int16),
            "size": size.astype(np.int32),
            "wire": wire,
            "category": rng.integers(0, len(CATEGORIES), count).astype(np.int16),
            "day": rng.integers(0, days, count).astype(np.int16),
            "start_second": rng.integers(0, 86_400, count).astype(np.int32),
            "thread": np.full(count, -1, dtype=np.int32),
        }
    )
    # Entities drawn Zipf-like from the pools: famous names recur across unrelated stories.
    for column, pool in (
        ("person", PEOPLE_PER_LANGUAGE),
        ("other", PEOPLE_PER_LANGUAGE),
        ("place", PLACES_PER_LANGUAGE),
        ("place2", PLACES_PER_LANGUAGE),
        ("org", ORGS_PER_LANGUAGE),
    ):
        stories[column] = _zipf_indices(rng, pool, count)
    stories["topic_seed"] = rng.integers(0, 2**62, count)
    _make_threads(rng, stories, days)
    starts = {
        "person": lexicon.person_start,
        "other": lexicon.person_start,
        "place": lexicon.place_start,
        "place2": lexicon.place_start,
        "org": lexicon.org_start,
    }
    for column, start in starts.items():  # pool index -> lexicon index
        stories[column] = start[stories["language"].to_numpy()] + stories[column].to_numpy()
    return stories


def _zipf_indices(rng: np.random.Generator, pool: int, count: int) -> np.ndarray:
    """Zipf-Mandelbrot over the pool: the most famous name in about 1.3 % of a language's stories."""
    cdf = np.cumsum(1.0 / (np.arange(pool) + ENTITY_ZIPF_SHIFT))
    return np.searchsorted(cdf / cdf[-1], rng.random(count)).astype(np.int64)


def _make_threads(rng: np.random.Generator, stories: pd.DataFrame, days: int) -> None:
    """Running stories: episodes on consecutive days with the same person, place, category and some topic words.

    Each episode is its own story in the ground truth (a different event).
    """
    if days < 2:
        return
    wanted = int(len(stories) * THREAD_SHARE)
    candidates = rng.permutation(len(stories))
    taken, thread = 0, 0
    columns = {
        name: stories[name].to_numpy(copy=True)
        for name in ("language", "category", "day", "thread", "person", "place", "topic_seed")
    }
    by_language = {
        code: list(np.flatnonzero(columns["language"][candidates] == code)[::-1]) for code in range(len(LANGUAGES))
    }
    while taken < wanted:
        first = candidates[taken] if taken < len(candidates) else None
        if first is None or columns["thread"][first] != -1:
            taken += 1
            continue
        length = int(min(rng.integers(2, 6), days))
        code = columns["language"][first]
        episodes = [first]
        pool = by_language[code]
        while len(episodes) < length and pool:
            other = candidates[pool.pop()]
            if other != first and columns["thread"][other] == -1:
                episodes.append(other)
        start_day = int(rng.integers(0, days - len(episodes) + 1))
        for offset, story in enumerate(episodes):
            columns["thread"][story] = thread
            columns["day"][story] = start_day + offset
            columns["category"][story] = columns["category"][first]
            columns["person"][story] = columns["person"][first]
            columns["place"][story] = columns["place"][first]
        thread += 1
        taken += len(episodes)
    for name in ("category", "day", "thread", "person", "place"):
        stories[name] = columns[name]


def _story_tokens(rng: np.random.Generator, stories: pd.DataFrame, lexicon: _Lexicon) -> np.ndarray:
    """(stories, STORY_SLOTS) lexicon indices: topic words, entities, numbers (numbers go past the lexicon).

    Topic words are mid- to low-frequency words (rank 300 and up); thread
    episodes share the first THREAD_SHARED_TOPIC_WORDS with their thread.
    """
    count = len(stories)
    language = stories["language"].to_numpy()
    topic_ranks = rng.integers(300, VOCABULARY_SIZE, (count, TOPIC_WORDS))
    thread = stories["thread"].to_numpy()
    in_thread = thread >= 0
    if in_thread.any():
        thread_rng = np.random.default_rng([int(rng.integers(2**62)), 3])
        thread_topics = thread_rng.integers(300, VOCABULARY_SIZE, (thread.max() + 1, THREAD_SHARED_TOPIC_WORDS))
        topic_ranks[in_thread, :THREAD_SHARED_TOPIC_WORDS] = thread_topics[thread[in_thread]]
    tokens = np.empty((count, STORY_SLOTS), dtype=np.int64)
    tokens[:, :TOPIC_WORDS] = lexicon.vocab_start[language][:, None] + topic_ranks
    tokens[:, _PERSON] = stories["person"]
    tokens[:, _SURNAME] = stories["person"]  # the surname alone is cut from the name when text is made
    tokens[:, _SURNAME2] = stories["person"]
    tokens[:, _PLACE] = stories["place"]
    tokens[:, _PLACE2] = stories["place2"]
    tokens[:, _ORG] = stories["org"]
    tokens[:, _OTHER] = stories["other"]
    tokens[:, _OTHER_SURNAME] = stories["other"]
    # Figures: encoded as negative numbers, rendered per language when text is made.
    tokens[:, _NUMBER] = -rng.integers(120, 9_000, count)
    tokens[:, _COUNT] = -rng.integers(3, 400, count)
    tokens[:, _PERCENT] = -rng.integers(1, 400, count)  # tenths of a percent
    tokens[:, _AMOUNT] = -rng.integers(2, 950, count)
    return tokens


# ---- articles --------------------------------------------------------------------------------


def _articles(
    rng: np.random.Generator, stories: pd.DataFrame, publishers: pd.DataFrame, end_date: date, days: int
) -> pd.DataFrame:
    """One row per article: story, publisher, role, published_at, url; grouped by story, agency original first."""
    size = stories["size"].to_numpy()
    story = np.repeat(np.arange(len(stories)), size)
    position = np.arange(len(story)) - np.repeat(np.cumsum(size) - size, size)
    wire = stories["wire"].to_numpy()[story]
    publisher = np.empty(len(story), dtype=np.int64)
    language = stories["language"].to_numpy()
    publisher_language = publishers["language"].map({lang.code: i for i, lang in enumerate(LANGUAGES)}).to_numpy()
    agency = publishers["agency"].to_numpy()
    weight = publishers["weight"].to_numpy()
    for code in range(len(LANGUAGES)):
        papers = np.flatnonzero((publisher_language == code) & ~agency)
        agencies = np.flatnonzero((publisher_language == code) & agency)
        mine = np.flatnonzero(language == code)
        if len(mine) == 0:
            continue
        # Weighted sampling without replacement, every story at once (Gumbel top-k).
        keys = np.log(weight[papers])[None, :] + rng.gumbel(size=(len(mine), len(papers)))
        ranked = papers[np.argsort(-keys, axis=1)]
        rows = np.isin(story, mine)
        story_row = np.searchsorted(mine, story[rows])
        publisher[rows] = ranked[story_row, position[rows]]
        agency_rows = rows & wire & (position == 0)
        publisher[agency_rows] = agencies[rng.integers(0, len(agencies), agency_rows.sum())]
    role = np.where(wire & (position == 0), 0, 2)
    copies = wire & (position > 0) & (rng.random(len(story)) < SYNDICATED_SHARE)
    role[copies] = 1
    # Times: copies soon after the agency, own versions hours apart.
    delay_hours = np.where(role == 1, rng.exponential(1.0, len(story)), rng.uniform(0.5, 14.0, len(story)))
    delay_hours[position == 0] = 0.0
    first_day = datetime.combine(end_date - timedelta(days=days - 1), datetime.min.time())
    seconds = (
        stories["day"].to_numpy()[story].astype(np.int64) * 86_400
        + stories["start_second"].to_numpy()[story]
        + (delay_hours * 3600).astype(np.int64)
    )
    seconds = np.minimum(seconds, days * 86_400 - 1)  # nothing after the last day
    published_at = np.datetime64(first_day, "s") + seconds.astype("timedelta64[s]")
    token = rng.integers(0, 2**62, len(story))
    domains = publishers["domain"].to_numpy()[publisher]
    categories = np.array(CATEGORIES, dtype=object)[stories["category"].to_numpy()[story]]
    day_path = pd.Series(published_at).dt.strftime("%Y/%m/%d").to_numpy(dtype=object)
    # A random token in the URL: an article's position must not give its story away.
    urls = (
        "https://"
        + domains
        + "/"
        + categories
        + "/"
        + day_path
        + "/"
        + pd.Series(token).map("{:016x}".format).to_numpy(dtype=object)
        + ".html"
    )
    if len(set(urls)) != len(urls):
        raise RuntimeError("URL tokens collided; change the seed")
    return pd.DataFrame(
        {
            "story": story,
            "publisher": publisher,
            "role": role.astype(np.int8),
            "published_at": published_at,
            "url": urls,
            "token": token,
        }
    )


def _truth_pairs(articles: pd.DataFrame) -> pd.DataFrame:
    """Every pair of articles of one story, vectorized per story size; url of index_a < url of index_b."""
    story = articles["story"].to_numpy()
    starts = np.flatnonzero(np.r_[True, story[1:] != story[:-1]])
    sizes = np.diff(np.r_[starts, len(story)])
    first, second = [], []
    for size in np.unique(sizes[sizes > 1]):
        upper_a, upper_b = np.triu_indices(size, k=1)
        begin = starts[sizes == size][:, None]
        first.append((begin + upper_a).ravel())
        second.append((begin + upper_b).ravel())
    index_a = np.concatenate(first) if first else np.empty(0, dtype=np.int64)
    index_b = np.concatenate(second) if second else np.empty(0, dtype=np.int64)
    urls = articles["url"].to_numpy()
    swap = urls[index_a] > urls[index_b]
    index_a, index_b = np.where(swap, index_b, index_a), np.where(swap, index_a, index_b)
    role = articles["role"].to_numpy()
    syndicated = (role[index_a] <= 1) & (role[index_b] <= 1)
    return pd.DataFrame(
        {"index_a": index_a, "index_b": index_b, "kind": np.where(syndicated, "syndicated", "same_event")}
    )


# ---- text ------------------------------------------------------------------------------------


def _story_chunks(story: np.ndarray) -> Iterator[tuple[int, int]]:
    """(first, last) article rows of chunks of whole stories, about CHUNK_ARTICLES each."""
    start = 0
    while start < len(story):
        stop = min(start + CHUNK_ARTICLES, len(story))
        while stop < len(story) and story[stop] == story[stop - 1]:
            stop += 1
        yield start, stop
        start = stop


def _format_number(language: CorpusLanguage, value: int) -> str:
    text = f"{value:,}"
    return text.replace(",", language.thousands) if language.spaced else str(value)


def _figure(language: CorpusLanguage, slot: int, value: int) -> str:
    if slot == _PERCENT:
        whole = f"{value / 10:.1f}".replace(".", language.decimal)
        return f"{whole}%" if language.code in ("en", "zh", "ja") else f"{whole} %"
    if slot == _AMOUNT:
        return f"{value}{language.million}" if not language.spaced else f"{value} {language.million}"
    return _format_number(language, value)


def _surname(name: str, language: CorpusLanguage) -> str:
    if not language.spaced:
        return name[:2] if len(name) > 2 else name[:1]
    parts = name.split(" ", 1)
    return parts[1] if len(parts) > 1 else name


class _Units:
    """Text units to make in one vectorized pass (titles, bodies, quotes, extra paragraphs), added in batches."""

    def __init__(self) -> None:
        self.parts: list[tuple[np.ndarray, ...]] = []
        self.count = 0

    def add(
        self, story: np.ndarray, language: np.ndarray, length: np.ndarray, story_rate: float, phrase: bool
    ) -> np.ndarray:
        """Units for the given stories (one each); returns their unit numbers."""
        size = len(story)
        self.parts.append((story, language, length, np.full(size, story_rate), np.full(size, phrase)))
        self.count += size
        return np.arange(self.count - size, self.count)

    def column(self, index: int) -> np.ndarray:
        return np.concatenate([part[index] for part in self.parts])


# Separators written after a word: (spaced languages, Chinese/Japanese).
_SEPARATORS = (" ", ". ", ".\n\n", ".", "", "\u3002", "\u3002\n\n")
_AFTER_WORD, _AFTER_SENTENCE, _AFTER_PARAGRAPH, _AFTER_TEXT, _NOTHING = 0, 1, 2, 3, 4
_CJK_SEPARATOR = np.array([4, 5, 6, 5, 4])  # the same roles for Chinese/Japanese (no spaces, 。)


def _encoded(strings: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """UTF-8 bytes of every string back to back, with each one's offset and length."""
    encoded = [text.encode("utf-8") for text in strings]
    lengths = np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded))
    return np.frombuffer(b"".join(encoded), dtype=np.uint8), np.cumsum(lengths) - lengths, lengths


def _make_texts(
    rng: np.random.Generator, units: _Units, extras: list[str], story_table: np.ndarray, lexicon: _Lexicon
) -> list[str]:
    """Every unit's text at once: Zipf background words, the story's tokens mixed in, sentences, paragraphs.

    Works on bytes: each word and the separator after it are ids into one
    UTF-8 table, and the texts are gathered from it with numpy, so no Python
    object is made per word.
    """
    length = units.column(2).astype(np.int64)
    unit_language = units.column(1).astype(np.int64)
    unit_story = units.column(0).astype(np.int64)
    total = int(length.sum())
    unit_of = np.repeat(np.arange(len(length)), length)
    unit_start = np.cumsum(length) - length
    position = np.arange(total) - unit_start[unit_of]
    ranks = lexicon.zipf_table[rng.integers(0, len(lexicon.zipf_table), total)]
    token = lexicon.vocab_start[unit_language[unit_of]] + ranks
    from_story = rng.random(total) < units.column(3)[unit_of]
    slots = rng.integers(0, STORY_SLOTS, int(from_story.sum()))
    token[from_story] = story_table[unit_story[unit_of[from_story]], slots]
    # Sentences of 7 to 22 words; a unit's last word always ends one; titles and quotes are one sentence.
    is_last = position == length[unit_of] - 1
    phrase = units.column(4)[unit_of]
    ends = np.zeros(total, dtype=bool)
    boundaries = np.cumsum(rng.integers(7, 23, total // 7 + 2)) - 1
    ends[boundaries[boundaries < total]] = True
    ends &= ~phrase & ~is_last & (position >= 4) & (position < length[unit_of] - 4)  # no stub sentences
    starts = (position == 0) | np.r_[False, ends[:-1]]
    separator = np.full(total, _AFTER_WORD)
    separator[ends] = _AFTER_SENTENCE
    separator[ends & (rng.random(total) < 0.3)] = _AFTER_PARAGRAPH
    separator[is_last] = np.where(phrase[is_last], _NOTHING, _AFTER_TEXT)
    cjk = ~np.array([language.spaced for language in LANGUAGES])[unit_language[unit_of]]
    separator[cjk] = _CJK_SEPARATOR[separator[cjk]]

    # One id space: words, extras, capitalized words, capitalized extras (the same), separators.
    words, extra_count = len(lexicon.words), len(extras)
    extra_bytes, extra_offsets, extra_lengths = _encoded(extras)
    table = np.concatenate(
        [lexicon.word_bytes, extra_bytes, lexicon.capitalized_bytes, extra_bytes, lexicon.separator_bytes]
    )
    sizes = (len(lexicon.word_bytes), len(extra_bytes), len(lexicon.capitalized_bytes), len(extra_bytes))
    bases = np.cumsum((0,) + sizes)
    offsets = np.concatenate(
        [
            lexicon.word_offsets,
            extra_offsets + bases[1],
            lexicon.capitalized_offsets + bases[2],
            extra_offsets + bases[3],
            lexicon.separator_offsets + bases[4],
        ]
    )
    lengths = np.concatenate(
        [lexicon.word_lengths, extra_lengths, lexicon.word_caps_lengths, extra_lengths, lexicon.separator_lengths]
    )
    token[starts] += words + extra_count
    ids = np.empty(2 * total, dtype=np.int64)
    ids[0::2] = token
    ids[1::2] = separator + 2 * (words + extra_count)
    piece_lengths = lengths[ids].astype(np.int32)  # int32 halves the memory traffic of the byte gather
    piece_starts = np.cumsum(piece_lengths, dtype=np.int64) - piece_lengths
    gather = np.repeat((offsets[ids] - piece_starts).astype(np.int32), piece_lengths)
    gather += np.arange(len(gather), dtype=np.int32)
    text = table[gather].tobytes()
    unit_bytes = np.r_[piece_starts[2 * unit_start], len(text)].tolist()
    return [text[begin:stop].decode("utf-8") for begin, stop in zip(unit_bytes[:-1], unit_bytes[1:])]


def _chunk_story_table(corpus: Corpus, lexicon: _Lexicon, stories: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """This chunk's surnames and figures (ids past the lexicon), and the stories' token table."""
    table = corpus.story_tokens[stories].copy()
    languages = corpus.stories["language"].to_numpy()[stories]
    extra: list[str] = []
    base = len(lexicon.words)
    for row, (tokens, code) in enumerate(zip(table, languages)):
        language = LANGUAGES[code]
        for slot in (_SURNAME, _SURNAME2, _OTHER_SURNAME):
            extra.append(_surname(lexicon.words[tokens[slot]], language))
            table[row, slot] = base + len(extra) - 1
        for slot in (_NUMBER, _COUNT, _PERCENT, _AMOUNT):
            extra.append(_figure(language, slot, int(-tokens[slot])))
            table[row, slot] = base + len(extra) - 1
    return table, extra


def _first_sentence(paragraph: str, language: CorpusLanguage) -> str:
    mark = language.period if not language.spaced else ". "
    cut = paragraph.find(mark)
    return paragraph if cut < 0 else paragraph[: cut + 1]


def _chunk_frame(corpus: Corpus, lexicon: _Lexicon, chunk_number: int, first: int, last: int) -> pd.DataFrame:
    """The raw.articles rows of articles first..last-1 (whole stories), text included."""
    rng = np.random.default_rng([corpus.seed, 2, chunk_number])
    articles = corpus.articles.iloc[first:last]
    story_ids = articles["story"].to_numpy()
    chunk_stories = np.unique(story_ids)
    local_story = np.searchsorted(chunk_stories, story_ids)
    table, extras = _chunk_story_table(corpus, lexicon, chunk_stories)
    words = np.concatenate([lexicon.words, np.array(extras, dtype=object)])
    story_language = corpus.stories["language"].to_numpy()[chunk_stories]
    role = articles["role"].to_numpy()
    count = len(articles)

    units = _Units()
    quote_stories = np.repeat(np.arange(len(chunk_stories)), 2)
    quote_units = units.add(
        quote_stories, story_language[quote_stories], rng.integers(9, 16, len(quote_stories)), 0.25, True
    ).reshape(-1, 2)
    article_language = story_language[local_story]
    title_units = units.add(local_story, article_language, rng.integers(6, 13, count), 0.45, True)
    body_units = np.full(count, -1)
    extra_units = np.full(count, -1)
    own_text = role != 1
    body_units[own_text] = units.add(
        local_story[own_text],
        article_language[own_text],
        rng.integers(140, 370, int(own_text.sum())),
        BODY_STORY_RATE,
        False,
    )
    extra_units[~own_text] = units.add(
        local_story[~own_text],
        article_language[~own_text],
        rng.integers(35, 70, int((~own_text).sum())),
        BODY_STORY_RATE,
        False,
    )
    texts = _make_texts(rng, units, extras, table, lexicon)
    quotes = [
        [
            LANGUAGES[story_language[s]].quote.format(quote=texts[quote_units[s, q]], name=words[table[s, slot]])
            for q, slot in enumerate((_SURNAME, _OTHER_SURNAME))
        ]
        for s in range(len(chunk_stories))
    ]

    publishers = corpus.publishers
    publisher = articles["publisher"].to_numpy()
    choices = rng.random((count, 6))
    agency_text: dict[int, tuple[str, str, list[str], str]] = {}  # story -> (title, summary, paragraphs, agency)
    boilerplate = publishers["boilerplate"].to_numpy()
    publisher_name = publishers["name"].to_numpy()
    titles, summaries, bodies = [], [], []
    for row in range(count):
        s = int(local_story[row])
        story = int(chunk_stories[s])
        language = LANGUAGES[story_language[s]]
        gap = " " if language.spaced else ""
        own = boilerplate[publisher[row]]
        place = words[table[s, _PLACE]]
        if role[row] == 1 and story in agency_text:  # a syndicated copy of the agency's text
            title, summary, paragraphs, agency = agency_text[story]
            paragraphs = list(paragraphs)
            if choices[row, 0] < 0.35 and len(paragraphs) > 2:  # trimmed
                paragraphs = paragraphs[: -1 - int(choices[row, 1] < 0.3)]
            if choices[row, 2] < 0.3:  # an added paragraph of its own
                paragraphs.insert(1 + int(choices[row, 3] * (len(paragraphs) - 1)), texts[extra_units[row]])
            if choices[row, 4] < 0.6:  # its own title
                title = texts[title_units[row]]
            credit = language.credit.format(agency=agency)
            paragraphs.append(credit + gap + own if own else credit)
            summary = summary if choices[row, 5] < 0.6 else _first_sentence(paragraphs[0], language)
        else:
            title = texts[title_units[row]]
            paragraphs = texts[body_units[row]].split("\n\n") if body_units[row] >= 0 else [title]
            for quote in quotes[s]:  # most versions quote the story's statements
                if choices[row, 0] < 0.7:
                    at = int(choices[row, 1] * len(paragraphs))
                    paragraphs[at] = paragraphs[at] + gap + quote
                choices[row, 0:2] = choices[row, 2:4]
            if role[row] == 0:
                agency = publisher_name[publisher[row]]
                paragraphs[0] = (
                    f"{place} ({agency}) \u2013 {paragraphs[0]}"
                    if language.spaced
                    else (f"{agency}{place}电\u3000{paragraphs[0]}")
                )
                summary = _first_sentence(paragraphs[0], language)
                agency_text[story] = (title, summary, paragraphs, agency)
            else:
                if choices[row, 4] < 0.3 and language.spaced:
                    paragraphs[0] = f"{place} \u2013 {paragraphs[0]}"
                summary = _first_sentence(paragraphs[0], language)
                if own:
                    paragraphs = paragraphs + [own]
        titles.append(title)
        summaries.append(summary)
        bodies.append("\n\n".join(paragraphs))
    return _raw_rows(corpus, articles, rng, titles, summaries, bodies)


def _raw_rows(
    corpus: Corpus,
    articles: pd.DataFrame,
    rng: np.random.Generator,
    titles: list[str],
    summaries: list[str],
    bodies: list[str],
) -> pd.DataFrame:
    """Every raw.articles column the loader writes."""
    publishers = corpus.publishers
    publisher = articles["publisher"].to_numpy()
    count = len(articles)
    stories = corpus.stories
    story = articles["story"].to_numpy()
    domains = publishers["domain"].to_numpy()[publisher]
    categories = np.array(CATEGORIES, dtype=object)[stories["category"].to_numpy()[story]]
    published_at = articles["published_at"].to_numpy()
    fetched_at = published_at + rng.integers(60, 3_600, count).astype("timedelta64[s]")
    fetched_at = np.minimum(fetched_at, np.datetime64(datetime.combine(corpus.end_date, datetime.max.time()), "s"))
    url = articles["url"].to_numpy()
    tokens = articles["token"].to_numpy()
    guid_is_url = publishers["source_id"].to_numpy()[publisher].astype(str)
    guid = np.where(
        np.char.endswith(guid_is_url, "1"),
        url,
        # 15 digits: with 9, a publisher's 10,000 articles of a 1M corpus shared a guid by chance
        publishers["source_id"].to_numpy()[publisher]
        + ":"
        + pd.Series(tokens % 10**15).astype(str).to_numpy(dtype=object),
    )
    role = articles["role"].to_numpy()
    agency_names = publishers["name"].to_numpy()[publisher]
    authors = np.where(
        role == 0,
        agency_names,
        np.where(rng.random(count) < 0.6, _author_names(rng, stories["language"].to_numpy()[story]), None),
    )
    updated = np.where(rng.random(count) < 0.1, published_at + np.timedelta64(1800, "s"), np.datetime64("NaT"))
    frame = pd.DataFrame(
        {
            "partition_date": pd.to_datetime(published_at).normalize().date,
            "run_id": RUN_ID,
            "loaded_at": pd.Timestamp(datetime.combine(corpus.end_date + timedelta(days=1), datetime.min.time())),
            "source_id": publishers["source_id"].to_numpy()[publisher],
            "feed_url": "https://" + domains + "/rss/" + categories + ".xml",
            "url": url,
            "guid": guid,
            "title": titles,
            "summary": summaries,
            "body": bodies,
            "author": authors,
            "published_at": published_at,
            "updated_at": np.minimum(updated.astype("datetime64[s]"), fetched_at),
            "language": publishers["language"].to_numpy()[publisher],
            "category": categories,
            "image_url": np.where(
                rng.random(count) < 0.7,
                "https://" + domains + "/img/" + (tokens % 10**12).astype(str).astype(object) + ".jpg",
                None,
            ),
            "fetched_at": fetched_at,
            # the lineage fields as a feed with full text gives them
            "feed_link": url,
            "media_kind": None,
            "language_declared": publishers["language"].to_numpy()[publisher],
            "language_detected": None,
            "published_at_source": "feed",
            "body_source": "feed",
        }
    )
    # As the loader's content_hash: sha256 of title, summary, body joined by newlines
    # (hashlib here is far faster than DuckDB's sha256 on long texts).
    frame["content_hash"] = [
        hashlib.sha256(f"{title}\n{summary}\n{body}".encode()).hexdigest()
        for title, summary, body in zip(titles, summaries, bodies)
    ]
    # Rows in random order within the chunk: table order must not group a story.
    return frame.iloc[rng.permutation(count)].reset_index(drop=True)


def _author_names(rng: np.random.Generator, languages: np.ndarray) -> np.ndarray:
    lexicon = _lexicon()
    return lexicon.words[lexicon.person_start[languages] + rng.integers(0, PEOPLE_PER_LANGUAGE, len(languages))]


# ---- into DuckDB ----------------------------------------------------------------------------


def write_corpus(corpus: Corpus, warehouse_path: Path, *, truth: bool = True) -> int:
    """Write raw.sources and raw.articles (every loader column) into `warehouse_path`; the articles written.

    Replaces what raw.articles and raw.sources held. With `truth`, also
    writes the ground truth to the schema ``sample_truth``, which no model
    reads: ``articles`` (article_index, url, article_id, story, thread,
    source_id, role: agency | syndicated | own) and the view ``pairs``
    (url_a, url_b, match_kind, article_a_id, article_b_id).
    """
    warehouse_path = Path(warehouse_path)
    warehouse_path.parent.mkdir(parents=True, exist_ok=True)
    columns = [name for name in {**LINEAGE_COLUMNS, **ARTICLE_COLUMNS} if name != "attempt_id"]  # never landed
    written = 0
    with duckdb.connect(str(warehouse_path)) as conn:
        create_raw_schema(conn)
        conn.execute("DELETE FROM raw.articles")
        conn.execute("DELETE FROM raw.sources")
        sources = corpus.publishers.assign(local=False, fetch_pages=False, feed_count=len(CATEGORIES))
        conn.register("corpus_sources", sources)
        conn.execute(
            "INSERT INTO raw.sources SELECT source_id, name, country, language, homepage, local, fetch_pages,"
            f" feed_count, TIMESTAMP '{corpus.end_date + timedelta(days=1)}' FROM corpus_sources"
        )
        conn.unregister("corpus_sources")
        for frame in corpus.iter_article_frames():
            conn.register("corpus_chunk", frame)
            conn.execute(f"INSERT INTO raw.articles BY NAME SELECT {', '.join(columns)} FROM corpus_chunk")
            conn.unregister("corpus_chunk")
            written += len(frame)
        if truth:
            _write_truth(conn, corpus)
    return written


def article_ids(urls: np.ndarray) -> np.ndarray:
    """md5 hex of each URL, as the dbt macro article_id computes it."""
    return np.array([hashlib.md5(url.encode("utf-8")).hexdigest() for url in urls], dtype=object)


def _write_truth(conn: duckdb.DuckDBPyConnection, corpus: Corpus) -> None:
    """sample_truth.articles, sample_truth.pair_index (integers: cheap to move) and the view sample_truth.pairs."""
    conn.execute("CREATE SCHEMA IF NOT EXISTS sample_truth")
    articles = corpus.articles
    story = articles["story"].to_numpy()
    role_names = np.array(["agency", "syndicated", "own"], dtype=object)
    truth_articles = pd.DataFrame(
        {
            "article_index": np.arange(len(articles)),
            "url": articles["url"].to_numpy(),
            "article_id": article_ids(articles["url"].to_numpy()),
            "story": story,
            "thread": corpus.stories["thread"].to_numpy()[story],
            "source_id": corpus.publishers["source_id"].to_numpy()[articles["publisher"].to_numpy()],
            "role": role_names[articles["role"].to_numpy()],
        }
    )
    pair_index = corpus.pairs.rename(columns={"kind": "match_kind"})
    for name, frame in (("articles", truth_articles), ("pair_index", pair_index)):
        conn.register("corpus_truth", frame)
        conn.execute(f"CREATE OR REPLACE TABLE sample_truth.{name} AS SELECT * FROM corpus_truth")
        conn.unregister("corpus_truth")
    conn.execute(
        """
        CREATE OR REPLACE VIEW sample_truth.pairs AS
        SELECT a.url AS url_a, b.url AS url_b, p.match_kind, a.article_id AS article_a_id,
               b.article_id AS article_b_id
        FROM sample_truth.pair_index AS p
        JOIN sample_truth.articles AS a ON a.article_index = p.index_a
        JOIN sample_truth.articles AS b ON b.article_index = p.index_b
        """
    )
