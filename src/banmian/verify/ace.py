"""DAISY Ace, the EPUB accessibility checker, as a gate for ``make check``.

``python -m banmian.verify.ace [--ace PATH] FILE.epub...`` runs Ace's Puppeteer runner
(``ace-puppeteer`` from the npm package ``@daisy/ace``, with the system's Chromium through
``PUPPETEER_EXECUTABLE_PATH``) on each EPUB, prints every violation it reports, and exits 1 when
any is critical, serious or moderate (minor ones are printed, not fatal). Ace is a development
tool: banmian never runs it during a build, and the Makefile installs it under ``.cache/ace``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

FAIL_IMPACTS = ("critical", "serious", "moderate")
DEFAULT_ACE = Path(".cache/ace/node_modules/.bin/ace-puppeteer")


def violations(report: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """(impact, rule, description, document) for every violation in an Ace report."""
    found = []
    for document in report.get("assertions", []):
        url = str(document.get("earl:testSubject", {}).get("url", ""))
        for assertion in document.get("assertions", []):
            test = assertion.get("earl:test", {})
            result = assertion.get("earl:result", {})
            if result.get("earl:outcome") == "fail":
                found.append((str(test.get("earl:impact", "")), str(test.get("dct:title", "")),
                              str(result.get("dct:description", "")), url))
    return found


def run_ace(ace: Path, epub: Path, chromium: str | None) -> dict[str, Any]:
    """Run Ace on one EPUB and return its JSON report."""
    env = dict(os.environ)
    if chromium:
        env["PUPPETEER_EXECUTABLE_PATH"] = chromium
    with tempfile.TemporaryDirectory(prefix="banmian-ace-") as tmp:
        subprocess.run([str(ace), "--silent", "--force", "--outdir", tmp, str(epub)],
                       env=env, check=False, timeout=600)
        report = Path(tmp) / "report.json"
        if not report.is_file():
            raise RuntimeError(f"Ace wrote no report for {epub}")
        data: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))
        return data


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m banmian.verify.ace", description=__doc__)
    parser.add_argument("--ace", type=Path, default=DEFAULT_ACE, help="the ace-puppeteer CLI")
    parser.add_argument("epubs", nargs="+", type=Path)
    args = parser.parse_args(argv)
    chromium = os.environ.get("PUPPETEER_EXECUTABLE_PATH") or shutil.which("chromium")
    status = 0
    for epub in args.epubs:
        found = violations(run_ace(args.ace, epub, chromium))
        for impact, rule, description, url in found:
            print(f"{epub}: {impact} {rule}: {description} ({url})", file=sys.stderr)
        if any(impact in FAIL_IMPACTS for impact, *_ in found):
            status = 1
        else:
            print(f"ace ok {epub} ({len(found)} minor)")
    return status


if __name__ == "__main__":
    sys.exit(main())
