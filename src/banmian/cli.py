"""The command line: ``banmian build``, ``banmian lint`` and ``banmian check``.

This is the only place that catches :class:`~banmian.diagnostics.BanmianError`. Exit status:
0 on success, 1 when checks found problems, 2 on bad input or usage, 3 on an internal error (a
bug). Messages read ``path:line: severity CODE: message``; a traceback only with ``--debug``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from banmian import __version__
from banmian.backends import REGISTRY
from banmian.diagnostics import BanmianError, Diagnostic, error

EXIT_OK, EXIT_PROBLEMS, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"banmian: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_INPUT)


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
    return top


def _report(diagnostics: Sequence[Diagnostic]) -> None:
    for diagnostic in diagnostics:
        print(diagnostic, file=sys.stderr)


def _build(args: argparse.Namespace) -> int:
    from banmian.build import build_edition

    status = EXIT_OK
    for folder in args.editions:
        try:
            result = build_edition(folder, args.output, args.format, strict=args.strict)
        except BanmianError as exc:
            if args.debug:
                raise
            _report(exc.diagnostics)
            status = max(status, exc.exit_status)
            continue
        _report(result.diagnostics)
        for path in result.outputs:
            print(f"built {path}")
    return status


def _lint(args: argparse.Namespace) -> int:
    from banmian.lint import lint_paths

    diagnostics = lint_paths(args.paths, strict=args.strict)
    if args.output_format == "json":
        from banmian.lint import to_json

        print(to_json(diagnostics))
    else:
        _report(diagnostics)
    return EXIT_PROBLEMS if any(d.severity == "error" for d in diagnostics) else EXIT_OK


def _import(args: argparse.Namespace) -> int:
    from banmian.importer import import_file

    result = import_file(args.raw, args.output, force=args.force)
    uncertain = sum(1 for note in result.page.notes if note.uncertain)
    print(f"imported {args.raw} → {result.folder} ({len(result.page.modules)} modules, "
          f"text kept {result.kept:.2%}, {uncertain} uncertain decisions in {result.report})")
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    from banmian.check import check_file

    status = EXIT_OK
    for path in args.files:
        if not path.is_file():
            _report([error("BM400", f"no such file '{path}'")])
            status = EXIT_INPUT
            continue
        found = check_file(path)
        _report(found)
        if any(d.severity == "error" for d in found):
            status = max(status, EXIT_PROBLEMS)
        elif not found:
            print(f"ok {path}")
    return status


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    commands = {"build": _build, "lint": _lint, "check": _check, "import": _import}
    try:
        return commands[args.command](args)
    except BanmianError as exc:
        if args.debug:
            raise
        _report(exc.diagnostics)
        return exc.exit_status
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a bug in banmian: say so in one line unless --debug
        if args.debug:
            raise
        print(f"banmian: internal error: {type(exc).__name__}: {exc} "
              "(run with --debug for a traceback)", file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
