"""Building many editions: on any ``concurrent.futures.Executor``, one failure stopping none.

Each edition is one :class:`Job`, run by the top-level (picklable) :func:`run_job` in a worker
process, a Dask worker, or inline. An edition whose inputs, options and banmian itself are
unchanged since its outputs were written is skipped (``force`` rebuilds it): the fingerprint
lives in ``OUT/.banmian/<name>.json``.
"""

from __future__ import annotations

import hashlib
import json
import os
import resource
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from banmian import __version__
from banmian.diagnostics import BanmianError
from banmian.fonts import FONTS_DIR
from banmian.storage import data_dir, styles_dir

Status = Literal["built", "skipped", "failed"]
STAMPS = ".banmian"


@dataclass(frozen=True)
class Job:
    """One edition to build, with every option that changes its outputs."""

    folder: Path
    out_dir: Path
    formats: tuple[str, ...]
    strict: bool = False
    press: bool = False
    force: bool = False


@dataclass(frozen=True)
class Outcome:
    """What became of one job: status, outputs, messages, time and the worker's peak memory."""

    folder: str
    status: Status
    outputs: tuple[str, ...] = ()
    messages: tuple[str, ...] = ()
    seconds: float = 0.0
    peak_rss_mb: float = 0.0
    exit_status: int = 0


def _tree_stamp(root: Path) -> list[tuple[str, int, int]]:
    return sorted((str(p.relative_to(root)), p.stat().st_size, p.stat().st_mtime_ns)
                  for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def fingerprint(job: Job) -> str:
    """A digest of the edition's files, the job's options and banmian's code, styles and fonts."""
    digest = hashlib.sha256()
    options = (__version__, job.formats, job.strict, job.press,
               os.environ.get("SOURCE_DATE_EPOCH", ""))
    digest.update(repr(options).encode())
    for path in sorted(p for p in job.folder.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(job.folder)).encode() + b"\0" + path.read_bytes())
    for root in (Path(__file__).resolve().parent, styles_dir(), data_dir("fonts"), FONTS_DIR):
        digest.update(repr(_tree_stamp(root)).encode())
    return digest.hexdigest()


def _stamp_path(job: Job) -> Path:
    name = job.folder.resolve().name
    where = hashlib.sha256(str(job.folder.resolve()).encode()).hexdigest()[:8]
    return job.out_dir / STAMPS / f"{name}-{where}.json"


def _up_to_date(job: Job, digest: str) -> tuple[str, ...] | None:
    try:
        stamp = json.loads(_stamp_path(job).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    outputs = tuple(stamp.get("outputs", ()))
    if stamp.get("fingerprint") != digest or not outputs:
        return None
    return outputs if all(Path(p).is_file() for p in outputs) else None


def _peak_mb() -> float:
    """This process's peak resident memory in MB: VmHWM, which is this program's own, not
    ru_maxrss, which Linux carries across exec (a spawned worker would report its parent's)."""
    try:
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_job(job: Job) -> Outcome:
    """Build one edition; never raises for bad input (a failed outcome says why)."""
    from banmian.build import build_edition
    from banmian.storage import write_atomic

    start = time.perf_counter()
    digest = fingerprint(job) if job.folder.is_dir() else ""
    done = None if job.force or not digest else _up_to_date(job, digest)
    if done is not None:
        return Outcome(str(job.folder), "skipped", done, seconds=time.perf_counter() - start,
                       peak_rss_mb=_peak_mb())
    try:
        result = build_edition(job.folder, job.out_dir, job.formats, strict=job.strict,
                               press=job.press)
    except BanmianError as exc:
        return Outcome(str(job.folder), "failed", (), tuple(str(d) for d in exc.diagnostics),
                       time.perf_counter() - start, _peak_mb(), exc.exit_status)
    except Exception as exc:  # a bug: one edition's crash must not stop the batch
        message = f"{job.folder}: internal error: {type(exc).__name__}: {exc}"
        return Outcome(str(job.folder), "failed", (), (message,), time.perf_counter() - start,
                       _peak_mb(), 3)
    outputs = tuple(str(p) for p in result.outputs)
    stamp = {"fingerprint": digest, "outputs": outputs}
    write_atomic(_stamp_path(job), json.dumps(stamp, ensure_ascii=False).encode())
    return Outcome(str(job.folder), "built", outputs, tuple(str(d) for d in result.diagnostics),
                   time.perf_counter() - start, _peak_mb())


Progress = Callable[[Outcome, int, int], None]


def _edition_id(folder: Path) -> str:
    """The id an edition's outputs are named after (without loading its modules)."""
    import tomllib

    try:
        data = tomllib.loads((folder / "edition.toml").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return folder.resolve().name
    value = data.get("id")
    return value if isinstance(value, str) and value else folder.resolve().name


def _clashes(jobs: list[Job]) -> dict[int, Outcome]:
    """Jobs that would overwrite an earlier job's outputs: same folder or same edition id."""
    seen: dict[tuple[Path, str], Job] = {}
    failed: dict[int, Outcome] = {}
    for index, job in enumerate(jobs):
        key = (job.out_dir.resolve(), _edition_id(job.folder))
        if key in seen:
            message = (f"{job.folder}: error BM112: edition '{key[1]}' is already built from "
                       f"{seen[key].folder} into {job.out_dir}")
            failed[index] = Outcome(str(job.folder), "failed", (), (message,), exit_status=2)
        seen.setdefault(key, job)
    return failed


def run_batch(jobs: Iterable[Job], executor: Executor | None = None,
              progress: Progress | None = None) -> list[Outcome]:
    """Run every job (inline when ``executor`` is None); outcomes in the jobs' order.

    A job whose outputs would overwrite an earlier job's (the same folder twice, or two
    folders with one edition id) fails without running.
    """
    todo = list(jobs)
    outcomes = _clashes(todo)
    runnable = [(i, job) for i, job in enumerate(todo) if i not in outcomes]
    done = 0
    for outcome in list(outcomes.values()):
        done += 1
        if progress:
            progress(outcome, done, len(todo))
    for position, outcome in _outcomes([job for _, job in runnable], executor):
        index = runnable[position][0]
        done += 1
        outcomes[index] = outcome
        if progress:
            progress(outcome, done, len(todo))
    return [outcomes[i] for i in range(len(todo))]


def _outcomes(jobs: list[Job], executor: Executor | None) -> Iterator[tuple[int, Outcome]]:
    if executor is None:
        for index, job in enumerate(jobs):
            yield index, run_job(job)
        return
    futures: dict[Future[Outcome], int] = {executor.submit(run_job, job): i
                                           for i, job in enumerate(jobs)}
    for future in as_completed(futures):
        yield futures[future], future.result()


def summary(outcomes: list[Outcome], seconds: float) -> str:
    """One line: how many editions were built, skipped and failed, and how long it took."""
    counts = {status: sum(1 for o in outcomes if o.status == status)
              for status in ("built", "skipped", "failed")}
    peak = max((o.peak_rss_mb for o in outcomes), default=0.0)
    return (f"{counts['built']} built, {counts['skipped']} skipped, {counts['failed']} failed "
            f"in {seconds:.1f} s (peak worker memory {peak:.0f} MB)")

