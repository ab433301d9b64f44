"""The `newsdesk` command: sample world, demo and daily runs, replay, ad-hoc SQL and search on the published warehouse."""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import signal
import sys
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

from newsdesk import config
from newsdesk.warehouse.storage import published_target

DEMO_DAYS = 3
NOTHING_PUBLISHED_HINT = "run `newsdesk demo` (the sample world) or `newsdesk run --date YYYY-MM-DD` first"


def _cmd_sample(args: argparse.Namespace) -> int:
    from newsdesk.sample.world import generate_world

    out = Path(args.out) if args.out else config.paths().sample_world
    world = generate_world(
        out,
        seed=args.seed,
        end_date=args.end_date,
        days=args.days,
        stories_per_day=args.stories_per_day,
        port=args.port,
    )
    print(
        f"sample world: {world.sources} sources, {world.articles} articles, "
        f"{world.dates[0]} .. {world.dates[-1]}\n  registry:     {world.registry_path}\n"
        f"  ground truth: {world.ground_truth_path}"
    )
    return 0


def _cmd_serve(args: argparse.Namespace) -> int:
    from newsdesk.runs import sample_world_port
    from newsdesk.sample.server import SampleServer

    world_dir = Path(args.world) if args.world else config.paths().sample_world
    port = args.port if args.port is not None else sample_world_port(world_dir)
    with SampleServer(world_dir, port=port) as server:
        print(f"serving {world_dir} at {server.base_url} (Ctrl-C stops)")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            return 0


def _cmd_demo(args: argparse.Namespace) -> int:
    from newsdesk.airflow.runner import airflow_env, ensure_metadata_db
    from newsdesk.runs import run_news_daily, sample_world_served
    from newsdesk.sample.world import daily_fetch_clock, generate_world
    from newsdesk.warehouse.summary import render_summary

    paths = config.paths()
    log_path = paths.home / "logs" / "demo.log"
    world = generate_world(paths.sample_world, port=args.port)
    print(f"sample world: {world.sources} sources, {world.articles} articles in {world.out_dir}", flush=True)
    env = airflow_env(registry=world.registry_path)
    started = time.monotonic()
    ensure_metadata_db(env, log_path=log_path)
    with sample_world_served(world.out_dir, args.port) as server:
        print(f"serving it at http://127.0.0.1:{args.port}; Airflow output goes to {log_path}", flush=True)
        for day in world.dates[-args.days :]:
            if server is not None:
                server.clock = daily_fetch_clock(day)  # news_daily for D collects once D has ended
            run_news_daily(day, env=env, log_path=log_path, registry=world.registry_path)
    print(f"demo finished in {time.monotonic() - started:.1f} s\n")
    print(render_summary(published_target(paths)))
    return 0


def _stop_on_sigterm() -> None:
    """SIGTERM ends the command as Ctrl-C does, so what it started is stopped on the way out; and Ctrl-C
    (SIGINT) does too when the command was started with it ignored (as a shell starts a background job)."""

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)
    signal.signal(signal.SIGINT, signal.default_int_handler)


def _cmd_ui(args: argparse.Namespace) -> int:
    """The Airflow UI on the sample world: airflow standalone, the world served on loopback."""
    from newsdesk.airflow.runner import airflow_env
    from newsdesk.airflow.standalone import AirflowStandalone, StandaloneError
    from newsdesk.runs import sample_world_port, sample_world_served
    from newsdesk.sample.world import generate_world

    _stop_on_sigterm()
    paths = config.paths()
    if (paths.sample_world / "ground_truth.json").exists():
        world_port = sample_world_port(paths.sample_world)
    else:
        world_port = args.world_port
        generate_world(paths.sample_world, port=world_port)
    log_path = paths.home / "logs" / "ui.log"
    standalone = AirflowStandalone(
        airflow_env(registry=paths.sample_world / "registry.yaml"), args.port, log_path, host=args.host
    )
    try:
        with sample_world_served(paths.sample_world, world_port):
            print(
                f"sample world served at http://127.0.0.1:{world_port}; starting airflow standalone"
                f" (output: {log_path})",
                flush=True,
            )
            with standalone:
                user, password = standalone.login()
                print(
                    f"Airflow UI: {standalone.url}\n  login: {user} / {password}\n"
                    f"  trigger news_daily with a logical date inside the sample world; run reports are under"
                    f' the "Run reports" menu entry\nCtrl-C stops',
                    flush=True,
                )
                returncode = standalone.process.wait()
                raise StandaloneError(f"airflow standalone exited with {returncode}; its output is in {log_path}")
    except KeyboardInterrupt:
        print("stopped airflow standalone and the sample world")
    return 0


def _cmd_run(args: argparse.Namespace) -> int:
    """One run of news_daily for one date; serves the sample world when that is the registry."""
    from contextlib import nullcontext

    from newsdesk.airflow.runner import airflow_env, ensure_metadata_db
    from newsdesk.runs import run_news_daily, sample_world_port, sample_world_served
    from newsdesk.sample.world import daily_fetch_clock
    from newsdesk.warehouse.summary import render_summary

    paths = config.paths()
    registry = Path(args.registry).resolve() if args.registry else config.registry_path()
    serving_sample = registry.parent == paths.sample_world
    world_port = sample_world_port(paths.sample_world) if serving_sample else None
    env = airflow_env(registry=registry)
    log_path = paths.home / "logs" / f"run-{args.date.isoformat()}.log"
    print(f"Airflow output goes to {log_path}", flush=True)
    ensure_metadata_db(env, log_path=log_path)
    # The sample world's clock: the date's daily fetch, so its live feeds show what they listed then.
    clock = daily_fetch_clock(args.date)
    with sample_world_served(paths.sample_world, world_port, clock) if serving_sample else nullcontext():
        run_news_daily(args.date, env=env, log_path=log_path, registry=registry)
    print()
    print(render_summary(published_target(paths)))
    return 0


def _cmd_replay(args: argparse.Namespace) -> int:
    """Rebuild a date's landing records from the raw payloads it holds, without the network."""
    from newsdesk.collect import landing as layout
    from newsdesk.collect.extract import replay_source
    from newsdesk.collect.registry import load_registry

    landing = config.paths().landing
    registry = Path(args.registry).resolve() if args.registry else config.registry_path()
    landed = layout.landed_sources(landing, args.date)
    if not landed:
        raise FileNotFoundError(f"nothing landed for {args.date} under {landing}")
    sources = {source.id: source for source in load_registry(registry)}
    wanted = args.source or landed
    unknown = sorted(set(wanted) - set(sources) | set(wanted) - set(landed))
    if unknown:
        raise KeyError(f"not both in the registry ({registry}) and landed for {args.date}: {', '.join(unknown)}")
    print(f"replaying {args.date} from {landing} (no network)")
    for source_id in wanted:
        attempts = layout.attempts(landing, args.date, source_id)
        before = [
            sum(len(layout.read_jsonl(a.file(name))) for a in attempts) for name in (layout.RECORDS, layout.REJECTS)
        ]
        manifests = replay_source(sources[source_id], args.date, landing)
        print(
            f"  {source_id:<20} {len(manifests)} attempts: records {before[0]:>5} ->"
            f" {sum(m['records'] for m in manifests):<5} rejects {before[1]:>4} -> {sum(m['rejects'] for m in manifests):<4}"
            f" feeds failed {sum(m['feeds_failed'] for m in manifests)}"
        )
    print("load the date again (newsdesk run --date D, or clear load_raw in the UI) to bring it to the warehouse")
    return 0


def _cmd_parse(args: argparse.Namespace) -> int:
    from newsdesk.collect.sniff import MAX_PAYLOAD_BYTES, parse_main

    return parse_main(
        args.files,
        source_id=args.source_id,
        url=args.url,
        stdout=sys.stdout,
        stderr=sys.stderr,
        max_bytes=args.max_bytes or MAX_PAYLOAD_BYTES,
    )


def _cmd_bench_extract(args: argparse.Namespace) -> int:
    from newsdesk.bench.extract import run_extract_bench

    run_extract_bench(feeds=args.feeds, latency=args.latency)
    return 0


def _cmd_bench_fields(args: argparse.Namespace) -> int:
    from newsdesk.bench.fields import run_fields_bench

    registry = Path(args.registry) if args.registry else None
    run_fields_bench(realdata_dir=Path(args.realdata) if args.realdata else None, registry_path=registry)
    return 0


def _cmd_bench_similarity(args: argparse.Namespace) -> int:
    from newsdesk.bench.similarity import run_similarity_bench

    run_similarity_bench(
        args.articles,
        days=args.days,
        seed=args.seed,
        tfidf_limit=args.tfidf_limit,
        realdata_dir=args.realdata,
        world_days=args.world_days,
        world_stories_per_day=args.world_stories,
        pairs_out=args.pairs_out,
    )
    return 0


def _cmd_bench_lake(args: argparse.Namespace) -> int:
    from newsdesk.bench.lake import run_lake_bench

    run_lake_bench(args.articles, daily_articles=args.daily_articles, seed=args.seed)
    return 0


def _cmd_bench_pipeline(args: argparse.Namespace) -> int:
    from newsdesk.bench.pipeline import run_pipeline_bench

    run_pipeline_bench(
        args.articles, days=args.days, daily_articles=args.daily_articles, seed=args.seed, storage=args.storage
    )
    return 0


@contextlib.contextmanager
def _naming_the_first_run() -> Iterator[None]:
    """An empty home's NothingPublished, with the command that publishes something."""
    from newsdesk.warehouse.storage import NothingPublished

    try:
        yield
    except NothingPublished as error:
        raise NothingPublished(f"{error}: {NOTHING_PUBLISHED_HINT}") from None


def _cmd_sql(args: argparse.Namespace) -> int:
    from newsdesk.warehouse.query import run_query

    with _naming_the_first_run():
        print(
            run_query(published_target(config.paths()), args.query, output_format=args.format, max_rows=args.max_rows),
            end="",
        )
    return 0


def _cmd_attach(args: argparse.Namespace) -> int:
    from newsdesk.warehouse.query import attach_sql

    with _naming_the_first_run():
        print(attach_sql(published_target(config.paths())))
    return 0


def _cmd_search(args: argparse.Namespace) -> int:
    from newsdesk.warehouse.search import search

    with _naming_the_first_run():
        hits = search(
            published_target(config.paths()),
            args.query,
            country=args.country,
            language=args.language,
            source=args.source,
            since=args.since,
            until=args.until,
            limit=args.limit,
        )
    if args.format == "json":
        print(json.dumps([dataclasses.asdict(hit) for hit in hits], default=str, ensure_ascii=False, indent=1))
        return 0
    if not hits:
        print("no article has every word of the query")
    for hit in hits:
        day = f"{hit.published_at:%Y-%m-%d}" if hit.published_at else "undated   "
        print(f"{hit.score:6.2f}  {day}  {hit.source_name} ({hit.country}, {hit.language})  {hit.title}")
        print(f"{'':20}{hit.url}")
    return 0


def _cmd_rollback(args: argparse.Namespace) -> int:
    """List the published snapshots, or publish an earlier one again."""
    from newsdesk.warehouse.lake import Lake
    from newsdesk.warehouse.run_lock import warehouse_lock

    paths = config.paths()
    published = published_target(paths)
    if isinstance(published, Lake):
        return _rollback_lake(published, args)
    from newsdesk.warehouse.publish import RollbackError, current_snapshot, list_snapshots, rollback

    if args.list:
        current = current_snapshot(paths.published, paths.snapshots)
        snapshots = list_snapshots(paths.snapshots)
        if not snapshots:
            print(f"no snapshots in {paths.snapshots}")
        for path in snapshots:
            print(f"{'*' if path == current else ' '} {path.stem}")
        return 0
    if not list_snapshots(paths.snapshots):
        raise RollbackError(f"nothing published yet, so nothing to roll back: {NOTHING_PUBLISHED_HINT}")
    started = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    with warehouse_lock().held(started, by="newsdesk rollback"):  # never while a run writes
        restored = rollback(paths.published, paths.snapshots, to=args.to)
    print(f"restored {restored.stem} as {paths.published}")
    return 0


def _rollback_lake(lake, args: argparse.Namespace) -> int:
    """`newsdesk rollback` on the lake: its published snapshots, by number."""
    from newsdesk.warehouse.lake import NoLake, connect
    from newsdesk.warehouse.lake_snapshots import SnapshotError, published_snapshots, rollback
    from newsdesk.warehouse.run_lock import warehouse_lock

    if args.to is not None and not args.to.isdigit():
        raise SnapshotError(f"a lake's snapshot is a number, as --list prints it; got {args.to!r}")
    try:
        with connect(lake, read_only=True) as conn:
            published = published_snapshots(conn)
    except NoLake as error:
        raise SnapshotError(f"{error}, so nothing to roll back: {NOTHING_PUBLISHED_HINT}") from None
    if args.list:
        if not published:
            print(f"nothing published yet in the lake {lake.shown}")
        for entry in published:
            star = "*" if entry is published[-1] else " "
            print(f"{star} {entry.snapshot:>6}  {entry.at:%Y-%m-%d %H:%M:%S}  {entry.label}")
        return 0
    if not published:
        raise SnapshotError(f"nothing published yet, so nothing to roll back: {NOTHING_PUBLISHED_HINT}")
    started = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    with warehouse_lock().held(started, by="newsdesk rollback"), connect(lake, read_only=False) as conn:
        restored = rollback(conn, to=None if args.to is None else int(args.to))
    print(f"published snapshot {restored.snapshot}: {restored.label}")
    return 0


def _cmd_migrate(args: argparse.Namespace) -> int:
    """Move a published DuckDB warehouse into the lake the settings name, in one commit."""
    from newsdesk.warehouse.lake import attach_sql, configured_lake
    from newsdesk.warehouse.lake_migrate import migrate
    from newsdesk.warehouse.run_lock import warehouse_lock

    warehouse = Path(args.source) if args.source else config.paths().published
    lake = configured_lake()
    started = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    with warehouse_lock().held(started, by="newsdesk migrate"):  # never while a run writes
        migrated = migrate(warehouse, lake)
    print(
        f"migrated {len(migrated.tables)} tables ({sum(migrated.tables.values()):,} rows) and {len(migrated.views)}"
        f" views of {warehouse} into the lake {lake.shown}, snapshot {migrated.snapshot}"
    )
    for line in migrated.left:
        print(f"  left: {line}")
    print("attach it read-only in any DuckDB client with:")
    print(attach_sql(lake))
    return 0


def _add_command(commands, name: str, help: str) -> argparse.ArgumentParser:
    """A subcommand whose --help starts with what it does."""
    return commands.add_parser(name, help=help, description=help)


def build_parser() -> argparse.ArgumentParser:
    from newsdesk.sample.world import DEFAULT_END_DATE, DEFAULT_PORT, DEFAULT_SEED
    from newsdesk.warehouse.query import FORMATS

    parser = argparse.ArgumentParser(prog="newsdesk", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    sample = _add_command(commands, "sample", help="write the deterministic sample news world")
    sample.add_argument("--out", help="folder to write (default: NEWSDESK_HOME/sample-world)")
    sample.add_argument(
        "--seed",
        type=int,
        default=DEFAULT_SEED,
        help=f"random seed; the same seed makes the same world (default: {DEFAULT_SEED})",
    )
    sample.add_argument(
        "--end-date",
        type=date.fromisoformat,
        default=DEFAULT_END_DATE,
        metavar="YYYY-MM-DD",
        help=f"the world's last day (default: {DEFAULT_END_DATE})",
    )
    sample.add_argument("--days", type=int, default=5, help="days of news, ending on --end-date (default: 5)")
    sample.add_argument(
        "--stories-per-day",
        type=int,
        default=12,
        help="stories a day, each told by one or more publishers (default: 12)",
    )
    sample.add_argument("--port", type=int, default=DEFAULT_PORT, help="loopback port written into the feed URLs")
    sample.set_defaults(func=_cmd_sample)

    serve = _add_command(commands, "serve", help="serve a sample world over HTTP on loopback")
    serve.add_argument("--world", help="sample world folder (default: NEWSDESK_HOME/sample-world)")
    serve.add_argument("--port", type=int, help="loopback port (default: the one the world was made for)")
    serve.set_defaults(func=_cmd_serve)

    demo = _add_command(commands, "demo", help="run news_daily on the sample world for its last days")
    demo.add_argument(
        "--days",
        type=int,
        default=DEMO_DAYS,
        help=f"how many of the world's last days to run, one run each (default: {DEMO_DAYS})",
    )
    demo.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        help=f"loopback port to make and serve the sample world on (default: {DEFAULT_PORT})",
    )
    demo.set_defaults(func=_cmd_demo)

    ui = _add_command(commands, "ui", help="the Airflow UI on the sample world (airflow standalone), with its login")
    ui.add_argument("--port", type=int, default=8080, help="the UI's port (default: 8080)")
    ui.add_argument(
        "--host",
        default="127.0.0.1",
        help="address the UI listens on (default: 127.0.0.1, this machine only; 0.0.0.0 for every interface)",
    )
    ui.add_argument(
        "--world-port",
        type=int,
        default=DEFAULT_PORT,
        help=f"sample world port, when it has to be made (default: {DEFAULT_PORT})",
    )
    ui.set_defaults(func=_cmd_ui)

    run = _add_command(commands, "run", help="run news_daily for one date (airflow dags test)")
    run.add_argument(
        "--date",
        type=date.fromisoformat,
        required=True,
        metavar="YYYY-MM-DD",
        help="the run's logical date: the day whose news it collects and publishes",
    )
    run.add_argument(
        "--registry",
        help="source registry (default: NEWSDESK_REGISTRY, else the sample world's,"
        " served on the port it was made for)",
    )
    run.set_defaults(func=_cmd_run)

    replay = _add_command(
        commands,
        "replay",
        help="rebuild the records of every landing attempt of a date from its raw payloads (no network)",
    )
    replay.add_argument(
        "--date", type=date.fromisoformat, required=True, metavar="YYYY-MM-DD", help="the landed date to rebuild"
    )
    replay.add_argument("--source", action="append", help="source id to replay (repeatable; default: all landed)")
    replay.add_argument("--registry", help="source registry (default: NEWSDESK_REGISTRY, else the sample world's)")
    replay.set_defaults(func=_cmd_replay)

    parse = _add_command(
        commands,
        "parse",
        help="print the article records of feed, sitemap, article or aggregator page files as JSON Lines",
    )
    parse.add_argument("files", nargs="+", metavar="FILE", help="feed, sitemap, article or aggregator page files")
    parse.add_argument("--source-id", help="source id in the records (default: from the file name)")
    parse.add_argument("--url", help="the URL the file was fetched from, to resolve relative links")
    parse.add_argument(
        "--max-bytes", type=int, help="refuse files larger than this, gzip undone (default: the fetcher's cap, 10 MiB)"
    )
    parse.set_defaults(func=_cmd_parse)

    bench = _add_command(commands, "bench", help="benchmarks: figures beside a baseline measured in the same run")
    benches = bench.add_subparsers(dest="bench", required=True)
    bench_extract = _add_command(
        benches, "extract", help="feeds/s on loopback with latency, and items parsed/s per core"
    )
    bench_extract.add_argument("--feeds", type=int, default=200, help="feeds to fetch and parse (default: 200)")
    bench_extract.add_argument("--latency", type=float, default=0.1, help="seconds injected before each response")
    bench_extract.set_defaults(func=_cmd_bench_extract)
    bench_fields = _add_command(
        benches,
        "fields",
        help="field by field, how true records are to real feeds and pages (captions, URLs, languages, dates)",
    )
    bench_fields.add_argument("--realdata", metavar="DIR", help="the real captured data (default: ../shared/realdata)")
    bench_fields.add_argument("--registry", metavar="FILE", help="registry whose source ids name the feed files")
    bench_fields.set_defaults(func=_cmd_bench_fields)
    bench_similarity = _add_command(
        benches,
        "similarity",
        help="Similar News on judged real pairs, the sample world and a generated corpus, beside datasketch and TF-IDF",
    )
    bench_similarity.add_argument("--articles", type=int, default=10_000, help="articles generated (default: 10000)")
    bench_similarity.add_argument("--days", type=int, default=7, help="days they spread over (default: 7)")
    bench_similarity.add_argument("--seed", type=int, default=0, help="random seed of the corpus (default: 0)")
    bench_similarity.add_argument(
        "--tfidf-limit", type=int, default=20_000, help="skip TF-IDF above this many articles"
    )
    bench_similarity.add_argument(
        "--realdata",
        type=Path,
        default=None,
        help="a folder laid out as ../shared/realdata, for the judged real pairs (default: that one)",
    )
    bench_similarity.add_argument("--world-days", type=int, default=7, help="days of the sample world")
    bench_similarity.add_argument(
        "--world-stories", type=int, default=12, help="stories a day of the sample world (0: leave it out)"
    )
    bench_similarity.add_argument(
        "--pairs-out",
        type=Path,
        default=None,
        help="write every predicted pair and every Similar News row, with its label where known, to this CSV",
    )
    bench_similarity.set_defaults(func=_cmd_bench_similarity)
    bench_pipeline = _add_command(
        benches,
        "pipeline",
        help="every stage of a day's run at N articles (extract to publish, analyst queries), with baselines",
    )
    bench_pipeline.add_argument("--articles", type=int, default=100_000, help="the day's articles")
    bench_pipeline.add_argument("--days", type=int, default=30, help="days of history for the incremental build")
    bench_pipeline.add_argument(
        "--daily-articles", type=int, default=10_000, help="articles a day of that history (day 1 and day D alike)"
    )
    bench_pipeline.add_argument("--seed", type=int, default=0, help="random seed of the articles (default: 0)")
    bench_pipeline.add_argument(
        "--storage",
        choices=("file", "lake"),
        default="lake",
        help="the day's run on a DuckLake with its catalog in SQLite (default, as runs) or on one DuckDB file",
    )
    bench_pipeline.set_defaults(func=_cmd_bench_pipeline)
    bench_lake = _add_command(
        benches,
        "lake",
        help="the DuckLake's load, publish, undo and rollback beside the DuckDB file's, on a day of N articles",
    )
    bench_lake.add_argument("--articles", type=int, default=1_000_000, help="the day's articles (default: 1000000)")
    bench_lake.add_argument(
        "--daily-articles", type=int, default=10_000, help="articles a published day adds to them (default: 10000)"
    )
    bench_lake.add_argument("--seed", type=int, default=0, help="random seed of the articles (default: 0)")
    bench_lake.set_defaults(func=_cmd_bench_lake)

    rollback = _add_command(
        commands, "rollback", help="put an earlier published warehouse back (default: the one before the current)"
    )
    rollback.add_argument("--to", metavar="SNAPSHOT", help="snapshot name, as --list prints it")
    rollback.add_argument("--list", action="store_true", help="list the kept snapshots, * marks the published one")
    rollback.set_defaults(func=_cmd_rollback)

    sql = _add_command(
        commands,
        "sql",
        help="run one SQL query on the published warehouse (read-only: no file written or read outside it)",
    )
    sql.add_argument("query", help='the SQL query, e.g. "SELECT count(*) FROM articles"')
    sql.add_argument(
        "--format",
        choices=FORMATS,
        default="table",
        help="table (for people, default), csv or json (an array of objects, for scripts)",
    )
    sql.add_argument("--max-rows", type=int, default=40, help="rows shown in the table format (default: 40)")
    sql.set_defaults(func=_cmd_sql)

    migrate = _add_command(
        commands,
        "migrate",
        help="move a published DuckDB warehouse into the DuckLake (NEWSDESK_LAKE_CATALOG, NEWSDESK_LAKE_DATA_PATH)"
        " in one commit; the lake must be empty",
    )
    migrate.add_argument("--from", dest="source", metavar="FILE", help="the DuckDB file (default: the published one)")
    migrate.set_defaults(func=_cmd_migrate)
    attach = _add_command(
        commands,
        "attach",
        help="print the SQL that attaches the published warehouse read-only in any DuckDB client"
        ' (e.g. duckdb -cmd "$(newsdesk attach)")',
    )
    attach.set_defaults(func=_cmd_attach)

    search = _add_command(
        commands,
        "search",
        help="full-text search of the published articles (titles, summaries, bodies), best BM25 score first",
    )
    search.add_argument("query", help='words that must all occur, e.g. "Ferreira Nairobi"')
    search.add_argument("--country", help="a source country, e.g. NL")
    search.add_argument("--language", help="an article language, e.g. nl")
    search.add_argument("--source", metavar="SOURCE_ID", help="one source, e.g. snelnieuws")
    search.add_argument("--since", type=date.fromisoformat, metavar="YYYY-MM-DD", help="published on or after")
    search.add_argument("--until", type=date.fromisoformat, metavar="YYYY-MM-DD", help="published on or before")
    search.add_argument("--limit", type=int, default=20, help="articles shown (default: 20)")
    search.add_argument("--format", choices=("text", "json"), default="text", help="text (default) or json")
    search.set_defaults(func=_cmd_search)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except Exception as exc:  # the CLI's one place that turns errors into a message and an exit code
        print(f"newsdesk {args.command}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
