"""Building many editions: on any ``concurrent.futures.Executor``, one failure stopping none.

Each edition is one :class:`Job`, run by the top-level (picklable) :func:`run_job` in a worker
process, a Dask worker, or inline. An edition is skipped (``force`` rebuilds it) only when its
folder, files, options and banmian itself are unchanged since it was built *and* each output
is still the file that build wrote (same size and SHA-256): the stamp lives in
``OUT/.banmian/<name>-<hash of the folder>.json``.

An interrupt (SIGINT, or SIGTERM turned into one by the command line) stops a batch: no new
edition starts, the workers are stopped (:func:`stop_executor`; a worker unwinds so that its
temporary files are removed), and every edition not finished gets the status "interrupted".
"""

from __future__ import annotations

import atexit
import hashlib
import json
import os
import resource
import signal
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future, as_completed
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal, NoReturn

from banmian import __version__
from banmian.diagnostics import BanmianError, os_error
from banmian.fonts import FONTS_DIR
from banmian.storage import data_dir, styles_dir

Status = Literal["built", "skipped", "failed", "interrupted"]
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
    page_workers: int = 1  # processes laying out the PDF's pages (one edition, -j N)
    preview: bool = False  # pictures of the PDF's pages with frames outlined (--preview)


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
    """A digest of the edition's folder and files, the job's options and banmian's code,
    styles and fonts."""
    digest = hashlib.sha256()
    options = (__version__, str(job.folder.resolve()), job.formats, job.strict, job.press,
               job.preview, os.environ.get("SOURCE_DATE_EPOCH", ""))
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


def _file_stamp(path: Path) -> dict[str, object]:
    """What identifies an output as the one a build wrote: its size and SHA-256."""
    data = path.read_bytes()
    return {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def _up_to_date(job: Job, digest: str) -> tuple[str, ...] | None:
    """The outputs, if this edition's last build into ``job.out_dir`` is still current: same
    fingerprint, same source folder, and every output still the file that build wrote."""
    try:
        stamp = json.loads(_stamp_path(job).read_text(encoding="utf-8"))
        outputs = stamp.get("outputs")
        if (stamp.get("fingerprint") != digest or not isinstance(outputs, dict) or not outputs
                or stamp.get("source") != str(job.folder.resolve())):
            return None
        for name, recorded in outputs.items():
            path = Path(name)
            if path.stat().st_size != recorded.get("size") or _file_stamp(path) != recorded:
                return None
    except (OSError, ValueError, AttributeError):
        return None
    return tuple(outputs)


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


def run_job(job: Job, pages: Executor | None = None) -> Outcome:
    """Build one edition; never raises for bad input (a failed outcome says why). ``pages``:
    the executor its PDF's pages are laid out on (else ``job.page_workers`` processes)."""
    start = time.perf_counter()
    try:
        return _run(job, start, pages)
    except BanmianError as exc:
        return Outcome(str(job.folder), "failed", (), tuple(str(d) for d in exc.diagnostics),
                       time.perf_counter() - start, _peak_mb(), exc.exit_status)
    except OSError as exc:  # the environment: unreadable edition, unwritable output
        problem = os_error(exc, job.out_dir)
        return Outcome(str(job.folder), "failed", (), tuple(str(d) for d in problem.diagnostics),
                       time.perf_counter() - start, _peak_mb(), problem.exit_status)
    except Exception as exc:  # a bug: one edition's crash must not stop the batch
        message = f"{job.folder}: internal error: {type(exc).__name__}: {exc}"
        return Outcome(str(job.folder), "failed", (), (message,), time.perf_counter() - start,
                       _peak_mb(), 3)


def _skipped(job: Job, start: float) -> tuple[str, Outcome | None]:
    """The job's fingerprint, and its "skipped" outcome when its outputs are up to date."""
    from banmian.build import check_output_folder

    check_output_folder(job.folder, job.out_dir)
    digest = fingerprint(job) if job.folder.is_dir() else ""
    done = None if job.force or not digest else _up_to_date(job, digest)
    if done is None:
        return digest, None
    return digest, Outcome(str(job.folder), "skipped", done,
                           seconds=time.perf_counter() - start, peak_rss_mb=_peak_mb())


def _record(job: Job, digest: str, outputs: Iterable[Path]) -> None:
    """The stamp that lets the next build of ``job`` skip it."""
    from banmian.storage import write_atomic

    stamp = {"fingerprint": digest, "source": str(job.folder.resolve()),
             "outputs": {str(p): _file_stamp(p) for p in outputs}}
    write_atomic(_stamp_path(job), json.dumps(stamp, ensure_ascii=False).encode())


def _run(job: Job, start: float, pages: Executor | None) -> Outcome:
    from banmian.build import build_edition

    digest, skipped = _skipped(job, start)
    if skipped is not None:
        return skipped
    with (nullcontext(pages) if pages is not None else
          page_pool(job.page_workers if "pdf" in job.formats else 1)) as executor:
        result = build_edition(job.folder, job.out_dir, job.formats, strict=job.strict,
                               press=job.press, pages=executor, preview=job.preview)
    _record(job, digest, result.outputs)
    return Outcome(str(job.folder), "built", tuple(str(p) for p in result.outputs),
                   tuple(str(d) for d in result.diagnostics), time.perf_counter() - start,
                   _peak_mb())


@dataclass(frozen=True)
class Shipped:
    """A job with its edition's files by value, for a worker that cannot read the client's
    disk (Dask on other machines): the worker builds in a temporary folder of its own and
    sends the outputs back as bytes; the client alone writes them."""

    job: Job
    files: tuple[tuple[str, bytes], ...]


@dataclass(frozen=True)
class Delivered:
    """A shipped job's outcome (paths as the client knows them) and its outputs' bytes."""

    outcome: Outcome
    outputs: tuple[tuple[str, bytes], ...] = ()


def ship(job: Job) -> Shipped:
    """``job`` with every file of its edition folder, read now, on the client."""
    files = tuple((str(p.relative_to(job.folder)), p.read_bytes())
                  for p in sorted(job.folder.rglob("*")) if p.is_file())
    return Shipped(job, files)


def run_shipped(shipped: Shipped) -> Delivered:
    """Build a shipped edition in a temporary folder (on a worker); never raises for bad
    input. Messages name the client's edition folder, not the worker's copy."""
    import tempfile

    job = shipped.job
    with tempfile.TemporaryDirectory(prefix="banmian-") as tmp:
        folder, out = Path(tmp) / job.folder.resolve().name, Path(tmp) / "out"
        for name, data in shipped.files:
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_bytes(data)
        local = Job(folder, out, job.formats, job.strict, job.press, force=True,
                    preview=job.preview)
        outcome = run_in_worker(local)
        outputs = tuple((str(Path(p).relative_to(out)), Path(p).read_bytes())
                        for p in outcome.outputs)
    messages = tuple(m.replace(str(folder), str(job.folder)) for m in outcome.messages)
    named = tuple(str(job.out_dir / name) for name, _ in outputs)
    return Delivered(replace(outcome, folder=str(job.folder), messages=messages,
                             outputs=named), outputs)


def _receive(job: Job, digest: str, delivered: Delivered) -> Outcome:
    """Write a shipped job's outputs atomically on the client, and its stamp."""
    from banmian.storage import write_atomic

    paths = [job.out_dir / name for name, _ in delivered.outputs]
    try:
        for path, (_, data) in zip(paths, delivered.outputs, strict=True):
            write_atomic(path, data)
        if delivered.outcome.status == "built":
            _record(job, digest, paths)
    except OSError as exc:
        problem = os_error(exc, job.out_dir)
        return Outcome(str(job.folder), "failed", (), tuple(str(d) for d in problem.diagnostics),
                       delivered.outcome.seconds, delivered.outcome.peak_rss_mb,
                       problem.exit_status)
    return delivered.outcome


class PagePool(Executor):
    """Worker processes for the pages of one edition's PDF, started at its first task: a
    one-page PDF (laid out as one document) or an EPUB never starts them, nor imports
    ``multiprocessing``."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.started: Executor | None = None

    def _pool(self) -> Executor:
        if self.started is None:
            from concurrent.futures import ProcessPoolExecutor

            self.started = ProcessPoolExecutor(max_workers=self.workers,
                                               initializer=init_worker)
        return self.started

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        return self._pool().submit(fn, *args, **kwargs)

    def map(self, fn: Callable[..., Any], *iterables: Iterable[Any],
            timeout: float | None = None, chunksize: int = 1) -> Iterator[Any]:
        return self._pool().map(fn, *iterables, timeout=timeout, chunksize=chunksize)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        if self.started is not None:
            self.started.shutdown(wait, cancel_futures=cancel_futures)


@contextmanager
def page_pool(workers: int) -> Iterator[Executor | None]:
    """Worker processes for the pages of one edition's PDF (None for one worker), started
    when a page is given to them (:class:`PagePool`): shut down when the build ends, stopped
    at once when it is interrupted."""
    if workers <= 1:
        yield None
        return
    pool = PagePool(workers)
    try:
        yield pool
    except BaseException:
        if pool.started is not None:
            stop_executor(pool.started)
        raise
    pool.shutdown()


class Stopped(BaseException):
    """SIGTERM in a batch worker during a job: unwinds it (removing temporary files)."""


_in_job = False


def _on_sigterm(signum: int, frame: object) -> None:
    if _in_job:
        raise Stopped
    _exit(130)  # idle: nothing of a job to clean up


def _exit(status: int) -> NoReturn:
    """End a stopped worker process now, after its exit handlers (a process pool's worker
    never runs them: the PDF backend's copies of the faces, :mod:`.backends.pdf.document`,
    would stay in the temporary directory)."""
    atexit._run_exitfuncs()
    os._exit(status)


def init_worker() -> None:
    """A worker process's signals: Ctrl-C is the parent's to handle (the terminal sends it to
    the whole process group); SIGTERM, sent by :func:`stop_executor`, stops the job."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _on_sigterm)


def run_in_worker(job: Job) -> Outcome:
    """:func:`run_job` in a worker process: a SIGTERM unwinds the job, then ends the process."""
    global _in_job
    _in_job = True
    try:
        return run_job(job)
    except Stopped:
        _exit(130)
    finally:
        _in_job = False


def stop_executor(executor: Executor, grace: float = 1.0) -> None:
    """Cancel every pending job and stop the workers now: SIGTERM, then SIGKILL after
    ``grace`` seconds. On Dask, pending and running futures are cancelled (a task already
    running on a remote worker cannot be killed; its outputs are still written atomically)."""
    from concurrent.futures import ProcessPoolExecutor  # imported already if it is one

    processes = list((getattr(executor, "_processes", None) or {}).values())
    if isinstance(executor, ProcessPoolExecutor):
        executor.shutdown(wait=False, cancel_futures=True)
    else:
        executor.shutdown(wait=False)
    for process in processes:
        process.terminate()
    deadline = time.monotonic() + grace
    for process in processes:
        process.join(max(0.0, deadline - time.monotonic()))
        if process.is_alive():
            process.kill()
            process.join(grace)


Progress = Callable[[Outcome, int, int], None]


def _edition_id(folder: Path) -> str:
    """The id an edition's outputs are named after (without loading its modules)."""
    from banmian.content.files import parse_toml

    path = folder / "edition.toml"
    try:  # parse_toml refuses what tomllib is slow on or recurses over
        data = parse_toml(path.read_text(encoding="utf-8"), str(path)) if path.is_file() else {}
    except (OSError, ValueError, BanmianError):
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
              progress: Progress | None = None, *, ship: bool = False,
              pages: Executor | None = None) -> list[Outcome]:
    """Run every job (inline when ``executor`` is None); outcomes in the jobs' order.

    ``ship``: the workers do not share the client's disk (Dask): each job goes with its
    edition's files (:func:`ship`), and the outputs come back as bytes, written here.
    ``pages``: the executor that the PDF pages of jobs run inline are laid out on (a Dask
    client's: each page task carries what it needs, :mod:`banmian.backends.pdf.pages`).

    A job whose outputs would overwrite an earlier job's (the same folder twice, or two
    folders with one edition id) fails without running. On KeyboardInterrupt the executor is
    stopped, temporary outputs are removed, and each unfinished job is "interrupted".
    """
    todo = list(jobs)
    outcomes = _clashes(todo)
    runnable = [(i, job) for i, job in enumerate(todo) if i not in outcomes]
    done = 0
    for outcome in list(outcomes.values()):
        done += 1
        if progress:
            progress(outcome, done, len(todo))
    try:
        for position, outcome in _outcomes([job for _, job in runnable], executor, ship,
                                           pages):
            index = runnable[position][0]
            done += 1
            outcomes[index] = outcome
            if progress:
                progress(outcome, done, len(todo))
    except KeyboardInterrupt:
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C waits
        try:
            if executor is not None:
                stop_executor(executor)
            unfinished = [job for i, job in enumerate(todo) if i not in outcomes]
            remove_temporaries(unfinished)
        finally:
            signal.signal(signal.SIGINT, previous)
        outcomes.update({i: Outcome(str(job.folder), "interrupted")
                         for i, job in enumerate(todo) if i not in outcomes})
    return [outcomes[i] for i in range(len(todo))]


def remove_temporaries(jobs: Iterable[Job]) -> None:
    """Remove the temporary files an interrupted job may have left beside its outputs."""
    for job in jobs:
        stem = _edition_id(job.folder) if job.folder.is_dir() else ""
        for folder, prefix in ((job.out_dir, f".{stem}."), (job.out_dir / STAMPS, ".")):
            for path in folder.glob(f"{prefix}*.tmp") if stem and folder.is_dir() else ():
                path.unlink(missing_ok=True)


def _outcomes(jobs: list[Job], executor: Executor | None, ship: bool = False,
              pages: Executor | None = None) -> Iterator[tuple[int, Outcome]]:
    if executor is None:
        for index, job in enumerate(jobs):
            yield index, run_job(job, pages)
        return
    if ship:
        yield from _shipped_outcomes(jobs, executor)
        return
    futures: dict[Future[Outcome], int] = {executor.submit(run_in_worker, job): i
                                           for i, job in enumerate(jobs)}
    for future in as_completed(futures):
        yield futures[future], future.result()


def _shipped_outcomes(jobs: list[Job], executor: Executor) -> Iterator[tuple[int, Outcome]]:
    """Up-to-date checks here, the builds on the executor with the files shipped, the
    outputs written here."""
    futures: dict[Future[Delivered], tuple[int, str]] = {}
    for index, job in enumerate(jobs):
        start = time.perf_counter()
        try:
            digest, skipped = _skipped(job, start)
            if skipped is None:
                futures[executor.submit(run_shipped, ship(job))] = (index, digest)
                continue
            yield index, skipped
        except (BanmianError, OSError) as exc:
            failed = exc if isinstance(exc, BanmianError) else os_error(exc, job.folder)
            yield index, Outcome(str(job.folder), "failed", (),
                                 tuple(str(d) for d in failed.diagnostics),
                                 exit_status=failed.exit_status)
    for future in as_completed(futures):
        index, digest = futures[future]
        yield index, _receive(jobs[index], digest, future.result())


def summary(outcomes: list[Outcome], seconds: float) -> str:
    """One line: how many editions were built, skipped and failed, and how long it took;
    after an interrupt, it says so and names the editions not built."""
    counts = {status: sum(1 for o in outcomes if o.status == status)
              for status in ("built", "skipped", "failed")}
    peak = max((o.peak_rss_mb for o in outcomes), default=0.0)
    line = (f"{counts['built']} built, {counts['skipped']} skipped, {counts['failed']} failed "
            f"in {seconds:.1f} s (peak worker memory {peak:.0f} MB)")
    missing = [o.folder for o in outcomes if o.status == "interrupted"]
    if missing:
        line = f"interrupted: {line}; not built: {', '.join(missing)}"
    return line
