"""Batch builds: many editions on any Executor, failures isolated, unchanged editions skipped."""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from banmian.batch import Job, Shipped, run_batch

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
        outcomes = run_batch(_jobs(editions, tmp_path / "out"), client.get_executor(),
                             ship=True)
    assert [o.status for o in outcomes] == ["built", "built", "failed", "built"]
    assert all(0 < o.peak_rss_mb < 500 for o in outcomes), [o.peak_rss_mb for o in outcomes]
    assert outcomes[2].messages == (
        f"{editions[2] / 'story.md'}:2: error BM105: 'headline' must be a string",)


class _Hiding(Executor):
    """An executor that hides each job's edition folder once it is submitted: the worker
    can only use the files shipped with the job."""

    def __init__(self, inner: Executor, hidden: Path) -> None:
        self.inner, self.hidden = inner, hidden

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        for arg in args:
            if isinstance(arg, Shipped):
                arg.job.folder.rename(self.hidden / arg.job.folder.name)
        return self.inner.submit(fn, *args, **kwargs)


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.filterwarnings("ignore::ResourceWarning")
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_dask_workers_get_the_files_and_the_client_writes(
        editions: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    distributed = pytest.importorskip("distributed")
    elsewhere = tmp_path / "worker-cwd"
    elsewhere.mkdir()
    hidden = tmp_path / "hidden"
    hidden.mkdir()
    out = tmp_path / "out"
    monkeypatch.chdir(elsewhere)  # the workers start here, away from the editions
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None,
                                  local_directory=str(elsewhere)) as cluster, \
            distributed.Client(cluster) as client:
        jobs = [Job(e, out, ("epub", "pdf")) for e in editions[:2]]
        outcomes = run_batch(jobs, _Hiding(client.get_executor(), hidden), ship=True)
    assert [o.status for o in outcomes] == ["built", "built"]
    assert not editions[0].exists()  # the worker could not have read it
    assert sorted(p.name for p in out.iterdir()) == [
        ".banmian", "ed-0.epub", "ed-0.pdf", "ed-1.epub", "ed-1.pdf"]
    assert (out / "ed-0.pdf").read_bytes().startswith(b"%PDF")
    assert not list(out.glob(".*.tmp"))
    for edition in editions[:2]:
        (hidden / edition.name).rename(edition)
    again = run_batch(jobs, None)
    assert [o.status for o in again] == ["skipped", "skipped"]  # the client's stamps hold


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


def test_an_output_changed_since_its_build_is_rebuilt(editions: list[Path],
                                                      tmp_path: Path) -> None:
    out = tmp_path / "out"
    jobs = _jobs(editions[:2], out)
    assert [o.status for o in run_batch(jobs)] == ["built"] * 2
    good = (out / "ed-0.epub").read_bytes()
    (out / "ed-0.epub").write_bytes(b"garbage")
    data = bytearray((out / "ed-1.epub").read_bytes())
    data[len(data) // 2] ^= 0xFF  # one byte changed, same size
    (out / "ed-1.epub").write_bytes(bytes(data))
    assert [o.status for o in run_batch(jobs)] == ["built"] * 2
    assert (out / "ed-0.epub").read_bytes() == good
    assert [o.status for o in run_batch(jobs)] == ["skipped"] * 2


def test_one_edition_id_from_two_folders_in_separate_runs(make_edition: Factory,
                                                          tmp_path: Path) -> None:
    """Each run builds the folder it is given: never "skipped" while out/ holds the other
    folder's book."""
    toml = 'id = "same"\ntitle = "{t}"\nlanguage = "zh-CN"\ndate = "2020"\n[[pages]]\n' \
           '[[pages.modules]]\nfile = "story.md"\nrole = "article"\n'
    first = make_edition("first", files={"edition.toml": toml.format(t="甲")})
    second = make_edition("second", files={"edition.toml": toml.format(t="乙")})
    out = tmp_path / "out"
    books = {}
    for folder in (first, second, first, second):
        assert [o.status for o in run_batch(_jobs([folder], out))] == ["built"]
        books.setdefault(folder.name, (out / "same.epub").read_bytes())
        assert (out / "same.epub").read_bytes() == books[folder.name]
    assert books["first"] != books["second"]
    assert [o.status for o in run_batch(_jobs([second], out))] == ["skipped"]


def test_a_moved_edition_folder_is_rebuilt(make_edition: Factory, tmp_path: Path) -> None:
    folder = make_edition("ed-a")
    out = tmp_path / "out"
    assert [o.status for o in run_batch(_jobs([folder], out))] == ["built"]
    moved = folder.rename(tmp_path / "elsewhere")
    renamed = moved.parent / "ed-a-copy"
    moved.rename(renamed)
    (renamed / "edition.toml").write_text(
        (renamed / "edition.toml").read_text(encoding="utf-8").replace(
            'title = "测试版"', 'id = "ed-a"\ntitle = "测试版"'), encoding="utf-8")
    assert [o.status for o in run_batch(_jobs([renamed], out))] == ["built"]


@pytest.mark.slow
@pytest.mark.parametrize("signal_name", ["SIGINT", "SIGTERM"])
def test_an_interrupt_stops_the_batch_within_two_seconds(
        signal_name: str, make_edition: Factory, tmp_path: Path) -> None:
    """Ctrl-C (to the whole process group, as a terminal sends it) or SIGTERM during
    ``banmian build ... -j 2``: no new edition starts, workers stop, no temporary file is left,
    the summary says "interrupted" and names the editions not built, exit 130."""
    import os
    import signal
    import subprocess
    import sys
    import time

    body = "\n\n".join(f"第{n}段正文，用来测试中断。" for n in range(300))
    folders = [make_edition(f"ed-{n}", files={"story.md": f'+++\nheadline = "第{n}篇"\n+++\n\n'
                                              f"{body}\n"}) for n in range(8)]
    out = tmp_path / "out"
    process = subprocess.Popen(
        [sys.executable, "-m", "banmian", "build", *map(str, folders), "-o", str(out),
         "-j", "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True)
    assert process.stdout is not None
    first = process.stdout.readline()  # the first edition is built: workers are busy
    assert " built " in first
    sent = time.monotonic()
    if signal_name == "SIGINT":
        os.killpg(process.pid, signal.SIGINT)
    else:
        process.send_signal(signal.SIGTERM)
    stdout, stderr = process.communicate(timeout=30)
    stdout = first + stdout
    assert time.monotonic() - sent < 2, stderr
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr
    summary = stdout.splitlines()[-1]
    assert summary.startswith("interrupted: ") and "; not built: " in summary
    not_built = summary.split("; not built: ")[1].split(", ")
    assert str(folders[-1]) in not_built
    listing = sorted(out.rglob("*"))
    assert not [p for p in listing if p.name.endswith(".tmp")]
    time.sleep(2)  # the workers are gone: nothing more is written
    assert sorted(out.rglob("*")) == listing
    reported = [line for line in stdout.splitlines() if " built " in line]
    assert reported and all(str(f) not in not_built
                            for f in folders if any(f"/{f.name}.pdf" in r for r in reported))


def test_make_builds_every_edition_and_reports_each_failure(tmp_path: Path) -> None:
    """``make`` with broken editions under content/: the others are still built, every failed
    edition is named, and make exits non-zero at the end. The Makefile runs in a scratch tree
    whose set-up stamps are up to date and whose ``banmian`` is a stand-in script."""
    import shutil
    import subprocess

    root = Path(__file__).resolve().parents[1]
    if shutil.which("make") is None:
        pytest.skip("no make")
    shutil.copy(root / "Makefile", tmp_path / "Makefile")
    for offset, name in enumerate((  # in the order make wants them: older first
            "pyproject.toml", "src/banmian/data/faces.toml", "src/banmian/fonts/make.py",
            "fonts/manifest.toml", ".venv/.system-packages", ".venv/.installed",
            "fonts/build/.made")):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).touch()
        os.utime(tmp_path / name, (1_600_000_000 + offset, 1_600_000_000 + offset))
    fake = tmp_path / ".venv/bin/banmian"
    fake.parent.mkdir(parents=True)
    fake.write_text('#!/bin/sh\ncase "$2" in *bad*) echo "$2: error BM105: broken" >&2; exit 2;;'
                    '\nesac\n[ "$1" = build ] && mkdir -p out && id=${2#content/} && '
                    'touch out/$id.epub out/$id.pdf\nexit 0\n', encoding="utf-8")
    fake.chmod(0o755)
    for name in ("ed-a", "ed-bad-1", "ed-c", "ed-bad-2", "ed-e"):
        (tmp_path / "content" / name).mkdir(parents=True)
        (tmp_path / "content" / name / "edition.toml").write_text("", encoding="utf-8")
    done = subprocess.run(["make", "-s", "PYTHON=false", "build"], cwd=tmp_path,
                          capture_output=True, text=True, check=False)
    assert done.returncode != 0
    assert "make: failed editions: content/ed-bad-1 content/ed-bad-2" in done.stderr
    assert sorted(p.name for p in (tmp_path / "out").glob("*.epub")) == [
        "ed-a.epub", "ed-c.epub", "ed-e.epub"]


class _CountingPages(Executor):
    """Lays page tasks out inline, counting them."""

    def __init__(self) -> None:
        self.tasks = 0

    def map(self, fn: Callable[..., Any], *iterables: Any, timeout: float | None = None,
            chunksize: int = 1) -> Any:
        tasks = list(iterables[0])
        self.tasks += len(tasks)
        return map(fn, tasks)


def test_the_pages_of_an_edition_built_here_go_to_the_pages_executor(
        make_edition: Factory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What ``--dask`` does with one edition: the edition is built here, its page tasks go
    to the given executor (a Dask client's), not to a pool of its own."""
    monkeypatch.setenv("BANMIAN_CACHE", str(tmp_path / "cache"))  # no cached page
    toml = ('title = "两版"\nlanguage = "zh-CN"\ndate = "2020"\n'
            + "".join(f'[[pages]]\n[[pages.modules]]\nfile = "p{n}.md"\nrole = "article"\n'
                      for n in (1, 2)))
    folder = make_edition("two-pages", files={
        "edition.toml": toml, "p1.md": '+++\nheadline = "甲"\n+++\n\n正文。\n',
        "p2.md": '+++\nheadline = "乙"\n+++\n\n正文。\n'})
    pages = _CountingPages()
    outcomes = run_batch([Job(folder, tmp_path / "out", ("pdf",), page_workers=2)], None,
                         pages=pages)
    assert [o.status for o in outcomes] == ["built"]
    assert pages.tasks == 2


def test_the_page_pool_starts_its_processes_at_the_first_page() -> None:
    """One edition's page pool costs nothing until pages go to it (a one-page PDF, an EPUB)."""
    from concurrent.futures import ProcessPoolExecutor

    from banmian.batch import PagePool, page_pool

    with page_pool(2) as idle:
        pass
    assert isinstance(idle, PagePool) and idle.started is None
    with page_pool(2) as busy:
        assert busy is not None and list(busy.map(abs, [-1, -2])) == [1, 2]
        assert isinstance(busy.started, ProcessPoolExecutor) and busy.started._processes
    with page_pool(1) as none:
        assert none is None
