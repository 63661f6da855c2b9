"""The command line: ``banmian build``, ``banmian lint`` and ``banmian check``.

Fatal errors (:class:`~banmian.diagnostics.BanmianError`) are caught here and printed; the only
other places that catch them turn one into a per-edition result (``batch.run_job``, so that one
failing edition stops none of the others, and ``proofread.lint``/``proofread.raw``, for which a
load error is a finding). Exit status:
0 on success, 1 when checks found problems, 2 on bad input, usage or environment (a read-only or
full disk …), 3 on an internal error (a bug), 130 when interrupted (SIGINT or SIGTERM).
Messages read ``path:line: severity CODE: message``; a traceback only with ``--debug``.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from collections.abc import Sequence
from concurrent.futures import Executor
from pathlib import Path

from banmian import __version__
from banmian.backends import REGISTRY
from banmian.batch import Outcome
from banmian.diagnostics import (
    BanmianError,
    Diagnostic,
    Reporter,
    error,
    is_input_error,
    os_error,
)
from banmian.model import Source

EXIT_OK, EXIT_PROBLEMS, EXIT_INPUT, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"banmian: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_INPUT)


def _jobs(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"-j needs a whole number of editions from 1, not "
                                         f"{value!r} (leave it out to use every core)")
    return number


def _formats(value: str) -> list[str]:
    names = [v.strip() for v in value.split(",") if v.strip()]
    unknown = [n for n in names if n not in REGISTRY]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"unknown format {', '.join(unknown) or value!r} (known: {', '.join(REGISTRY)})")
    return names


def parser() -> argparse.ArgumentParser:
    top = _Parser(prog="banmian", description=__doc__.split("\n")[0] if __doc__ else None)
    top.add_argument("--version", action="version", version=f"banmian {__version__}")
    common = _Parser(add_help=False)
    common.add_argument("--debug", action="store_true", help="show tracebacks")
    common.add_argument("--strict", action="store_true", help="treat warnings as errors")
    sub = top.add_subparsers(dest="command", required=True, parser_class=_Parser)
    build = sub.add_parser("build", parents=[common], help="build editions into EPUB and PDF")
    build.add_argument("editions", nargs="+", type=Path, metavar="EDITION")
    build.add_argument("-o", "--output", type=Path, default=Path("out"), help="output folder")
    build.add_argument("--format", type=_formats, default=list(REGISTRY),
                       help=f"comma-separated formats (default: {','.join(REGISTRY)})")
    build.add_argument("-j", "--jobs", type=_jobs, default=None, metavar="N",
                       help="editions built at once, or for one edition the processes "
                            "laying out its PDF's pages (default: all cores)")
    build.add_argument("--dask", metavar="ADDRESS",
                       help="run the builds on a Dask distributed scheduler")
    build.add_argument("--force", action="store_true",
                       help="rebuild editions whose outputs are up to date")
    build.add_argument("--press", action="store_true",
                       help="PDF for the press: 3 mm bleed, trim and bleed boxes, crop marks")
    build.add_argument("--preview", action="store_true",
                       help="also write OUT/NAME.preview/page-N.png, each page with its frames "
                            "outlined: red overset, amber short, green full")
    lint = sub.add_parser("lint", parents=[common], help="check editions for problems")
    lint.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    lint.add_argument("--format", dest="output_format", choices=("text", "json"),
                      default="text", help="message format (default: text)")
    imp = sub.add_parser("import", parents=[common], help="import raw page text as an edition")
    imp.add_argument("raw", type=Path, metavar="RAW")
    imp.add_argument("-o", "--output", type=Path, required=True, metavar="EDITION_DIR")
    imp.add_argument("--force", action="store_true", help="overwrite a non-empty output folder")
    check = sub.add_parser("check", parents=[common], help="validate built EPUB and PDF files")
    check.add_argument("files", nargs="+", type=Path, metavar="FILE")
    fill = sub.add_parser("fill", parents=[common],
                          help="how full each placed frame of a built PDF is")
    fill.add_argument("pdf", type=Path, metavar="PDF")
    fill.add_argument("edition", type=Path, metavar="EDITION")
    return top


def _report(diagnostics: Sequence[Diagnostic]) -> None:
    for diagnostic in diagnostics:
        print(diagnostic, file=sys.stderr)


def _executor(args: argparse.Namespace, jobs: int) -> Executor | None:
    """Dask when ``--dask`` names a scheduler (for one edition, its pages go there); processes
    for several editions; else inline."""
    if args.dask:
        from distributed import Client

        executor: Executor = Client(args.dask).get_executor()
        return executor
    from banmian.batch import init_worker

    workers = min(args.jobs or os.cpu_count() or 1, jobs)
    if workers <= 1:
        return None
    from concurrent.futures import ProcessPoolExecutor  # multiprocessing: only for -j > 1

    return ProcessPoolExecutor(max_workers=workers, initializer=init_worker)


def _progress(outcome: Outcome, done: int, total: int) -> None:
    """One line per edition on stdout, messages on stderr, and a bar when stderr is a terminal."""
    bar = total > 1 and sys.stderr.isatty()
    if bar:
        print("\r\033[K", end="", file=sys.stderr)
    for message in outcome.messages:
        print(message, file=sys.stderr)
    if outcome.status != "failed":
        what = ", ".join(outcome.outputs)
        prefix = f"[{done}/{total}] " if total > 1 else ""
        print(f"{prefix}{outcome.status} {what}", flush=True)
    if bar and done < total:
        filled = round(30 * done / total)
        print(f"[{'#' * filled}{'.' * (30 - filled)}] {done}/{total}", end="", flush=True,
              file=sys.stderr)


def _build(args: argparse.Namespace) -> int:
    from banmian.batch import Job, run_batch, summary

    single = len(args.editions) == 1 and not args.dask
    pages = (args.jobs or os.cpu_count() or 1) if single else 1
    if args.preview and "pdf" not in args.format:
        print("banmian: error: --preview draws the PDF's pages: add pdf to --format",
              file=sys.stderr)
        return EXIT_INPUT
    jobs = [Job(folder, args.output, tuple(args.format), args.strict, args.press, args.force,
                pages, args.preview) for folder in args.editions]
    if args.debug:  # inline, uncaught: tracebacks show where it broke
        from banmian.batch import page_pool
        from banmian.build import build_edition, check_output_folder

        for job in jobs:
            check_output_folder(job.folder, job.out_dir)
            with page_pool(job.page_workers) as pool:
                build_edition(job.folder, job.out_dir, job.formats, strict=job.strict,
                              press=job.press, pages=pool, preview=job.preview)
        return EXIT_OK
    start = time.perf_counter()
    previous = signal.signal(signal.SIGTERM, _interrupt)  # SIGTERM stops a batch as Ctrl-C does
    executor = _executor(args, len(jobs))
    on_dask = executor if args.dask and len(jobs) == 1 else None  # one edition: its pages
    try:
        outcomes = run_batch(jobs, None if on_dask else executor, _progress,
                             ship=bool(args.dask) and not on_dask, pages=on_dask)
    finally:
        signal.signal(signal.SIGTERM, previous)
        if executor is not None:
            executor.shutdown()
    interrupted = any(o.status == "interrupted" for o in outcomes)
    if len(jobs) > 1 or interrupted:
        print(summary(outcomes, time.perf_counter() - start), flush=True)
    if interrupted:
        return EXIT_INTERRUPTED
    return max((o.exit_status for o in outcomes), default=EXIT_OK)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _lint(args: argparse.Namespace) -> int:
    from banmian.proofread.lint import lint_paths

    diagnostics = lint_paths(args.paths, strict=args.strict)
    if args.output_format == "json":
        from banmian.proofread.lint import to_json

        print(to_json(diagnostics))
    else:
        _report(diagnostics)
    if any(is_input_error(d) for d in diagnostics):
        return EXIT_INPUT  # an edition that cannot be loaded, as build says
    return EXIT_PROBLEMS if any(d.severity == "error" for d in diagnostics) else EXIT_OK


def _import(args: argparse.Namespace) -> int:
    from banmian.importer import import_file

    result = import_file(args.raw, args.output, force=args.force)
    uncertain = sum(1 for note in result.page.notes if note.uncertain)
    print(f"imported {args.raw} → {result.folder} ({len(result.page.modules)} modules, "
          f"text kept {result.kept:.2%}, {uncertain} uncertain decisions in {result.report})")
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    from banmian.verify.check import check_files

    missing = [path for path in args.files if not path.is_file()]
    _report([error("BM400", "no such file", Source(str(path), 0)) for path in missing])
    status = EXIT_INPUT if missing else EXIT_OK
    results = check_files([path for path in args.files if path.is_file()])
    for path, found in results.items():
        reporter = Reporter(strict=args.strict)  # --strict: a warning fails the check too
        for diagnostic in found:
            reporter.add(diagnostic)
        _report(reporter.diagnostics)
        if reporter.errors:
            status = max(status, EXIT_PROBLEMS)
        elif not found:
            print(f"ok {path}")
    return status


def _fill(args: argparse.Namespace) -> int:
    """The fill table; exit 1 when a frame is overset or short by a line or more, or the
    grid has a hole. Pages without ``place`` are measured where a build places them."""
    from banmian.backends.pdf.backend import placed_layout
    from banmian.content import load_edition
    from banmian.verify.fill import measure, report

    if not args.pdf.is_file():
        _report([error("BM400", "no such file", Source(str(args.pdf), 0))])
        return EXIT_INPUT
    fills = measure(args.pdf, placed_layout(load_edition(args.edition), args.edition))
    print("\n".join(report(fills)))
    bad = any(p.holes or any(f.overset or f.underset for f in p.frames) for p in fills)
    return EXIT_PROBLEMS if bad else EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """The command line: ``argv``, or the process's own arguments (``banmian``, ``python -m
    banmian``), after which the process ends (see :func:`_ending`)."""
    status = _main(argv)
    if argv is None:
        _ending()
    return status


def _ending() -> None:
    """Spare the ending process the interpreter's last collections (about 0.12 s of a 2 s PDF
    build): every object still alive is frozen (``gc.freeze``), so the collections at shutdown
    skip the imported libraries and their caches, and memory held in cycles is left to the
    operating system. Nothing else is skipped: ``atexit`` handlers (logging's flush, the
    executors' threads, Dask's clients) still run and the standard streams are flushed, and
    every output is already written, flushed and closed (``storage.write_atomic``)."""
    import gc

    gc.freeze()


def _main(argv: Sequence[str] | None) -> int:
    args = parser().parse_args(argv)
    commands = {"build": _build, "lint": _lint, "check": _check, "import": _import,
                "fill": _fill}
    try:
        return commands[args.command](args)
    except BanmianError as exc:
        if args.debug:
            raise
        _report(exc.diagnostics)
        return exc.exit_status
    except KeyboardInterrupt:
        print("banmian: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except OSError as exc:  # the environment (read-only, full disk …), not a bug
        if args.debug:
            raise
        _report(os_error(exc).diagnostics)
        return EXIT_INPUT
    except RecursionError:  # input nested deeper than any edition needs
        if args.debug:
            raise
        print("banmian: error: the input is nested too deeply to read", file=sys.stderr)
        return EXIT_INPUT
    except Exception as exc:  # a bug in banmian: say so in one line unless --debug
        if args.debug:
            raise
        print(f"banmian: internal error: {type(exc).__name__}: {exc} "
              "(run with --debug for a traceback)", file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
