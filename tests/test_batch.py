"""Batch builds: many editions on any Executor, failures isolated, unchanged editions skipped."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from banmian.batch import Job, run_batch

Factory = Callable[..., Path]


@pytest.fixture
def editions(make_edition: Factory) -> list[Path]:
    story = '+++\nheadline = "第{n}篇"\n+++\n\n正文{n}。\n'
    good = [make_edition(f"ed-{n}", files={"story.md": story.format(n=n)}) for n in range(3)]
    bad = make_edition("ed-bad", files={"story.md": '+++\nheadline = 1\n+++\n\n正文。\n'})
    return [*good[:2], bad, good[2]]


def _jobs(folders: list[Path], out: Path, force: bool = False) -> list[Job]:
    return [Job(folder, out, ("epub",), force=force) for folder in folders]


def test_one_failure_stops_none_and_order_is_kept(editions: list[Path], tmp_path: Path) -> None:
    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = run_batch(_jobs(editions, tmp_path / "out"), pool)
    assert [o.status for o in outcomes] == ["built", "built", "failed", "built"]
    assert outcomes[2].exit_status == 2
    assert outcomes[2].messages == (
        f"{editions[2] / 'story.md'}:2: error BM105: 'headline' must be a string",)
    assert sorted(p.name for p in (tmp_path / "out").glob("*.epub")) == [
        "ed-0.epub", "ed-1.epub", "ed-2.epub"]


def test_unchanged_editions_are_skipped_until_they_change(editions: list[Path],
                                                          tmp_path: Path) -> None:
    good = [e for e in editions if e.name != "ed-bad"]
    out = tmp_path / "out"
    assert [o.status for o in run_batch(_jobs(good, out))] == ["built"] * 3
    assert [o.status for o in run_batch(_jobs(good, out))] == ["skipped"] * 3
    (good[1] / "story.md").write_text('+++\nheadline = "改了"\n+++\n\n新正文。\n', encoding="utf-8")
    assert [o.status for o in run_batch(_jobs(good, out))] == ["skipped", "built", "skipped"]
    (out / "ed-0.epub").unlink()
    assert [o.status for o in run_batch(_jobs(good, out))] == ["built", "skipped", "skipped"]
    assert [o.status for o in run_batch(_jobs(good, out, force=True))] == ["built"] * 3


def test_cli_batch_with_two_workers(editions: list[Path], tmp_path: Path,
                                    run_cli: Callable[..., object]) -> None:
    result = run_cli("build", *editions, "-o", tmp_path / "out", "--format", "epub", "-j", "2")
    assert result.status == 2  # type: ignore[attr-defined]
    lines = result.out.splitlines()  # type: ignore[attr-defined]
    assert lines[-1].startswith("3 built, 0 skipped, 1 failed in ")
    assert sum(1 for line in lines if " built " in line) == 3
    assert "BM105" in result.err and "Traceback" not in result.err  # type: ignore[attr-defined]


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.filterwarnings("ignore::ResourceWarning")
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_runs_on_a_dask_local_cluster(editions: list[Path], tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        outcomes = run_batch(_jobs(editions, tmp_path / "out"), client.get_executor())
    assert [o.status for o in outcomes] == ["built", "built", "failed", "built"]
    assert all(0 < o.peak_rss_mb < 500 for o in outcomes), [o.peak_rss_mb for o in outcomes]


def test_two_folders_with_one_edition_id_do_not_overwrite_each_other(
        make_edition: Factory, tmp_path: Path) -> None:
    toml = 'id = "same"\ntitle = "甲"\nlanguage = "zh-CN"\ndate = "2020"\n[[pages]]\n' \
           '[[pages.modules]]\nfile = "story.md"\nrole = "article"\n'
    first = make_edition("first", files={"edition.toml": toml})
    second = make_edition("second", files={"edition.toml": toml.replace("甲", "乙")})
    outcomes = run_batch(_jobs([first, first, second], tmp_path / "out"))
    assert [o.status for o in outcomes] == ["built", "failed", "failed"]
    assert outcomes[2].messages == (
        f"{second}: error BM112: edition 'same' is already built from {first} into "
        f"{tmp_path / 'out'}",)
    assert outcomes[2].exit_status == 2
