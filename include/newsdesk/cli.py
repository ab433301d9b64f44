"""The `newsdesk` command: sample world, demo and daily runs, replay, ad-hoc SQL on the published warehouse."""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

from newsdesk import config

DEMO_DAYS = 3


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
    from newsdesk.sample.server import SampleServer

    world_dir = Path(args.world) if args.world else config.paths().sample_world
    with SampleServer(world_dir, port=args.port) as server:
        print(f"serving {world_dir} at {server.base_url} (Ctrl-C stops)")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            return 0


def _cmd_demo(args: argparse.Namespace) -> int:
    from newsdesk.airflow_runner import airflow_env, ensure_metadata_db, run_airflow
    from newsdesk.sample.server import SampleServer
    from newsdesk.sample.world import generate_world
    from newsdesk.summary import render_summary

    paths = config.paths()
    log_path = paths.home / "logs" / "demo.log"
    world = generate_world(paths.sample_world, port=args.port)
    print(f"sample world: {world.sources} sources, {world.articles} articles in {world.out_dir}")
    env = airflow_env(registry=world.registry_path)
    started = time.monotonic()
    ensure_metadata_db(env, log_path=log_path)
    with SampleServer(world.out_dir, port=args.port) as server:
        print(f"serving it at {server.base_url}; Airflow output goes to {log_path}")
        for day in world.dates[-args.days :]:
            began = time.monotonic()
            run_airflow(["dags", "test", "news_daily", day.isoformat()], env=env, log_path=log_path)
            print(f"  news_daily {day}: success in {time.monotonic() - began:.1f} s")
    print(f"demo finished in {time.monotonic() - started:.1f} s\n")
    print(render_summary(paths.published))
    return 0


def _cmd_ui(args: argparse.Namespace) -> int:
    """The Airflow UI on the sample world: airflow standalone, the world served on loopback."""
    from newsdesk.airflow_runner import airflow_env
    from newsdesk.sample.server import SampleServer
    from newsdesk.sample.world import generate_world, load_ground_truth
    from newsdesk.standalone import AirflowStandalone

    paths = config.paths()
    if (paths.sample_world / "ground_truth.json").exists():
        world_port = load_ground_truth(paths.sample_world)["port"]  # its feed URLs name that port
    else:
        world_port = args.world_port
        generate_world(paths.sample_world, port=world_port)
    log_path = paths.home / "logs" / "ui.log"
    standalone = AirflowStandalone(airflow_env(registry=paths.sample_world / "registry.yaml"), args.port, log_path)
    with SampleServer(paths.sample_world, port=world_port) as server:
        print(f"sample world served at {server.base_url}; starting airflow standalone (output: {log_path})")
        with standalone:
            user, password = standalone.login()
            print(
                f"Airflow UI: {standalone.url}\n  login: {user} / {password}\n"
                f"  trigger news_daily with a logical date inside the sample world; run reports are under"
                f" the \"Run reports\" menu entry\nCtrl-C stops"
            )
            try:
                standalone.process.wait()
            except KeyboardInterrupt:
                print("stopping airflow standalone")
    return 0


def _cmd_run(args: argparse.Namespace) -> int:
    """One run of news_daily for one date; serves the sample world when that is the registry."""
    from contextlib import nullcontext

    from newsdesk.airflow_runner import airflow_env, ensure_metadata_db, run_airflow
    from newsdesk.sample.server import SampleServer
    from newsdesk.summary import render_summary

    paths = config.paths()
    registry = Path(args.registry).resolve() if args.registry else config.registry_path()
    env = airflow_env(registry=registry)
    log_path = paths.home / "logs" / f"run-{args.date.isoformat()}.log"
    ensure_metadata_db(env, log_path=log_path)
    serving_sample = registry.parent == paths.sample_world
    with SampleServer(paths.sample_world, port=args.port) if serving_sample else nullcontext():
        run_airflow(["dags", "test", "news_daily", args.date.isoformat()], env=env, log_path=log_path)
    print(f"news_daily {args.date}: success (log: {log_path})\n")
    print(render_summary(paths.published))
    return 0


def _cmd_replay(args: argparse.Namespace) -> int:
    """Rebuild a date's landing records from the raw payloads it holds, without the network."""
    from newsdesk.extract import partition_path, read_jsonl, replay_source
    from newsdesk.registry import load_registry

    landing = config.paths().landing
    registry = Path(args.registry).resolve() if args.registry else config.registry_path()
    landed = sorted(p.name.removeprefix("source=") for p in (landing / f"date={args.date}").glob("source=*"))
    if not landed:
        raise FileNotFoundError(f"nothing landed for {args.date} under {landing}")
    sources = {source.id: source for source in load_registry(registry)}
    wanted = args.source or landed
    unknown = sorted(set(wanted) - set(sources) | set(wanted) - set(landed))
    if unknown:
        raise KeyError(f"not both in the registry ({registry}) and landed for {args.date}: {', '.join(unknown)}")
    print(f"replaying {args.date} from {landing} (no network)")
    for source_id in wanted:
        folder = partition_path(landing, args.date, source_id)
        before = [len(read_jsonl(folder / name)) for name in ("records.jsonl", "rejects.jsonl")]
        manifest = replay_source(sources[source_id], args.date, landing)
        print(
            f"  {source_id:<20} records {before[0]:>5} -> {manifest['records']:<5}"
            f" rejects {before[1]:>4} -> {manifest['rejects']:<4} feeds failed {manifest['feeds_failed']}"
        )
    print("load the date again (newsdesk run --date D, or clear load_raw in the UI) to bring it to the warehouse")
    return 0


def _cmd_parse(args: argparse.Namespace) -> int:
    from newsdesk.sniff import parse_main

    return parse_main(args.files, source_id=args.source_id, url=args.url, stdout=sys.stdout, stderr=sys.stderr)


def _cmd_bench_extract(args: argparse.Namespace) -> int:
    from newsdesk.bench.extract import run_extract_bench

    run_extract_bench(feeds=args.feeds, latency=args.latency)
    return 0


def _cmd_bench_similarity(args: argparse.Namespace) -> int:
    from newsdesk.bench.similarity import run_similarity_bench

    run_similarity_bench(args.articles, days=args.days, seed=args.seed, tfidf_limit=args.tfidf_limit,
                         realdata_dir=args.realdata, world_days=args.world_days,
                         world_stories_per_day=args.world_stories, pairs_out=args.pairs_out)
    return 0


def _cmd_bench_pipeline(args: argparse.Namespace) -> int:
    from newsdesk.bench.pipeline import run_pipeline_bench

    run_pipeline_bench(args.articles, days=args.days, daily_articles=args.daily_articles, seed=args.seed)
    return 0


def _cmd_sql(args: argparse.Namespace) -> int:
    import duckdb

    with duckdb.connect(str(config.paths().published), read_only=True) as conn:
        conn.sql(args.query).show(max_rows=args.max_rows)
    return 0


def _cmd_rollback(args: argparse.Namespace) -> int:
    """List the kept snapshots, or put one back as the published warehouse."""
    from newsdesk.publish import current_snapshot, list_snapshots, rollback

    paths = config.paths()
    if args.list:
        current = current_snapshot(paths.published, paths.snapshots)
        snapshots = list_snapshots(paths.snapshots)
        if not snapshots:
            print(f"no snapshots in {paths.snapshots}")
        for path in snapshots:
            print(f"{'*' if path == current else ' '} {path.stem}")
        return 0
    restored = rollback(paths.published, paths.snapshots, to=args.to)
    print(f"restored {restored.stem} as {paths.published}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    from newsdesk.sample.world import DEFAULT_END_DATE, DEFAULT_PORT, DEFAULT_SEED

    parser = argparse.ArgumentParser(prog="newsdesk", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    sample = commands.add_parser("sample", help="write the deterministic sample news world")
    sample.add_argument("--out", help="folder to write (default: NEWSDESK_HOME/sample-world)")
    sample.add_argument("--seed", type=int, default=DEFAULT_SEED)
    sample.add_argument("--end-date", type=date.fromisoformat, default=DEFAULT_END_DATE)
    sample.add_argument("--days", type=int, default=5)
    sample.add_argument("--stories-per-day", type=int, default=12)
    sample.add_argument("--port", type=int, default=DEFAULT_PORT, help="loopback port written into the feed URLs")
    sample.set_defaults(func=_cmd_sample)

    serve = commands.add_parser("serve", help="serve a sample world over HTTP on loopback")
    serve.add_argument("--world", help="sample world folder (default: NEWSDESK_HOME/sample-world)")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT)
    serve.set_defaults(func=_cmd_serve)

    demo = commands.add_parser("demo", help="run news_daily on the sample world for its last days")
    demo.add_argument("--days", type=int, default=DEMO_DAYS)
    demo.add_argument("--port", type=int, default=DEFAULT_PORT)
    demo.set_defaults(func=_cmd_demo)

    ui = commands.add_parser("ui", help="the Airflow UI on the sample world (airflow standalone), with its login")
    ui.add_argument("--port", type=int, default=8080, help="the UI's port")
    ui.add_argument("--world-port", type=int, default=DEFAULT_PORT, help="sample world port, when generating it")
    ui.set_defaults(func=_cmd_ui)

    run = commands.add_parser("run", help="run news_daily for one date (airflow dags test)")
    run.add_argument("--date", type=date.fromisoformat, required=True)
    run.add_argument("--registry", help="source registry (default: NEWSDESK_REGISTRY, else the sample world's)")
    run.add_argument("--port", type=int, default=DEFAULT_PORT, help="sample world port, when serving it")
    run.set_defaults(func=_cmd_run)

    replay = commands.add_parser("replay", help="rebuild a date's landing records from its raw payloads (no network)")
    replay.add_argument("--date", type=date.fromisoformat, required=True)
    replay.add_argument("--source", action="append", help="source id to replay (repeatable; default: all landed)")
    replay.add_argument("--registry", help="source registry (default: NEWSDESK_REGISTRY, else the sample world's)")
    replay.set_defaults(func=_cmd_replay)

    parse = commands.add_parser(
        "parse", help="print the article records of feed, sitemap, article or aggregator page files as JSON Lines"
    )
    parse.add_argument("files", nargs="+", metavar="FILE")
    parse.add_argument("--source-id", help="source id in the records (default: from the file name)")
    parse.add_argument("--url", help="the URL the file was fetched from, to resolve relative links")
    parse.set_defaults(func=_cmd_parse)

    bench = commands.add_parser("bench", help="benchmarks: figures beside a baseline measured in the same run")
    benches = bench.add_subparsers(dest="bench", required=True)
    bench_extract = benches.add_parser("extract", help="feeds/s on loopback with latency, and items parsed/s per core")
    bench_extract.add_argument("--feeds", type=int, default=200)
    bench_extract.add_argument("--latency", type=float, default=0.1, help="seconds injected before each response")
    bench_extract.set_defaults(func=_cmd_bench_extract)
    bench_similarity = benches.add_parser(
        "similarity",
        help="Similar News on judged real pairs, the sample world and a generated corpus, beside datasketch and TF-IDF",
    )
    bench_similarity.add_argument("--articles", type=int, default=10_000)
    bench_similarity.add_argument("--days", type=int, default=7)
    bench_similarity.add_argument("--seed", type=int, default=0)
    bench_similarity.add_argument("--tfidf-limit", type=int, default=20_000, help="skip TF-IDF above this many articles")
    bench_similarity.add_argument(
        "--realdata", type=Path, default=None,
        help="a folder laid out as ../shared/realdata, for the judged real pairs (default: that one)",
    )
    bench_similarity.add_argument("--world-days", type=int, default=7, help="days of the sample world")
    bench_similarity.add_argument(
        "--world-stories", type=int, default=12, help="stories a day of the sample world (0: leave it out)"
    )
    bench_similarity.add_argument(
        "--pairs-out", type=Path, default=None,
        help="write every predicted pair and every Similar News row, with its label where known, to this CSV",
    )
    bench_similarity.set_defaults(func=_cmd_bench_similarity)
    bench_pipeline = benches.add_parser(
        "pipeline", help="every stage of a day's run at N articles (extract to publish, analyst queries), with baselines"
    )
    bench_pipeline.add_argument("--articles", type=int, default=100_000, help="the day's articles")
    bench_pipeline.add_argument("--days", type=int, default=30, help="days of history for the incremental build")
    bench_pipeline.add_argument(
        "--daily-articles", type=int, default=10_000, help="articles a day of that history (day 1 and day D alike)"
    )
    bench_pipeline.add_argument("--seed", type=int, default=0)
    bench_pipeline.set_defaults(func=_cmd_bench_pipeline)

    rollback = commands.add_parser(
        "rollback", help="put an earlier published warehouse back (default: the one before the current)"
    )
    rollback.add_argument("--to", metavar="SNAPSHOT", help="snapshot name, as --list prints it")
    rollback.add_argument("--list", action="store_true", help="list the kept snapshots, * marks the published one")
    rollback.set_defaults(func=_cmd_rollback)

    sql = commands.add_parser("sql", help="run one SQL query on the published warehouse (read-only)")
    sql.add_argument("query")
    sql.add_argument("--max-rows", type=int, default=40)
    sql.set_defaults(func=_cmd_sql)
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
