"""`newsdesk bench lake` runs end to end on a tiny corpus: every stage reported with positive figures, the lake
registering every landed record and undoing exactly the failed day's rows. No timing assertions: performance is
read from the bench, not tested."""

import io

import pytest

from newsdesk.bench.lake import run_lake_bench

pytestmark = pytest.mark.slow

ARTICLES = 400
DAILY = 30


@pytest.fixture(scope="module")
def bench() -> tuple[dict, str]:
    out = io.StringIO()
    return run_lake_bench(ARTICLES, daily_articles=DAILY, out=out), out.getvalue()


def test_every_stage_has_positive_figures_and_the_baselines_ran(bench):
    result, report = bench
    stages = {stage["stage"]: stage for stage in result["stages"]}
    assert list(stages) == [
        "load the day",
        "migrate into the lake",
        "publish a day",
        "undo a failed day",
        "roll back a day",
    ]
    for name, stage in stages.items():
        assert stage["ours"] > 0 and stage["ours_seconds"] > 0, name
        assert name in report
    assert all(stages[name]["baseline"] > 0 for name in ("load the day", "publish a day", "undo a failed day"))
    assert "load >= 1,000,000 rows/s" in report


def test_the_lake_registers_every_landed_record_and_undoes_only_the_failed_days_rows(bench):
    result, report = bench
    stages = {stage["stage"]: stage for stage in result["stages"]}
    assert stages["load the day"]["ours_items"] == ARTICLES  # the corpus lands each article once
    assert f"ours undid {DAILY:,} rows" in stages["undo a failed day"]["note"]
    assert stages["publish a day"]["ours_items"] == stages["undo a failed day"]["ours_items"] > ARTICLES


def test_a_daily_volume_beyond_the_archive_is_refused():
    with pytest.raises(ValueError, match="daily_articles <= articles"):
        run_lake_bench(10, daily_articles=11)
