"""``make bench``: banmian side by side with Pandoc and bare WeasyPrint on this machine.

Prints a Markdown report (and writes it with ``--output``): the EPUB build of the sample vs
Pandoc on the same text (with and without the same fonts embedded), the PDF build vs bare
WeasyPrint on banmian's own HTML, a no-op ``make``, a batch of editions at -j1 vs -j2, the
peak memory of one build, and hostile sizes: the PDF of one 240k-character paragraph (and its
growth from 30k) and the build of 10,000 short paragraphs (``--only-bounded`` runs just these).
Times are medians of several whole-process runs with warm caches (the hostile sizes: one run).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from daily import multiply  # tools/daily.py: the editions the tests build too

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SAMPLE = ROOT / "content" / "benxi-2020-02"

TARGETS = {
    "epub_seconds": 1.0, "epub_size_vs_pandoc_fonts": 0.1, "pdf_vs_weasyprint": 1.2,
    "noop_make_seconds": 0.3, "batch_speedup": 1.7, "peak_mb": 500.0,
    "long_paragraph_growth": 10.0, "many_paragraphs_seconds": 30.0, "daily_peak_mb": 250.0,
}
#: One paragraph of these lengths (characters) is built as a PDF: layout must stay linear.
PARAGRAPH_LENGTHS = (30_000, 240_000)
MANY_PARAGRAPHS = 10_000
_SENTENCE = "这是一段很长的正文，用来测试排版时间。"
_MEASURE = ("import resource, subprocess, sys; "
            "rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode; "
            "u = resource.getrusage(resource.RUSAGE_CHILDREN); "
            "print(u.ru_utime + u.ru_stime, u.ru_maxrss); sys.exit(rc)")


def _environ() -> dict[str, str]:
    """The environment the benchmarked commands run in: this one, with bytecode cached as a
    user's shell caches it. Where ``PYTHONDONTWRITEBYTECODE`` is set (a sandbox), banmian
    would compile its sources again on every run (about 0.05 s), which WeasyPrint, compiled
    when it was installed, never does."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run(cmd: Sequence[str | Path], cwd: Path = ROOT,
        env: dict[str, str] | None = None) -> tuple[float, float]:
    """Run a command once: (wall seconds, peak resident memory of it and its children, MB)."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _MEASURE, *map(str, cmd)], cwd=cwd,
                          capture_output=True, text=True, check=False,
                          env={**_environ(), **(env or {})})
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"bench: {' '.join(map(str, cmd))} failed:\n{done.stderr}")
    return seconds, int(done.stdout.split()[-1]) / 1024


def run_cpu(cmd: Sequence[str | Path], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Run a command once: (wall seconds, CPU seconds of it and its children)."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _MEASURE, *map(str, cmd)], cwd=ROOT,
                          capture_output=True, text=True, check=False,
                          env={**_environ(), **(env or {})})
    if done.returncode != 0:
        raise SystemExit(f"bench: {' '.join(map(str, cmd))} failed:\n{done.stderr}")
    return time.perf_counter() - start, float(done.stdout.split()[-2])


def median(cmd: Sequence[str | Path], runs: int, cwd: Path = ROOT) -> tuple[float, float]:
    run(cmd, cwd)  # warm caches
    results = [run(cmd, cwd) for _ in range(runs)]
    return statistics.median(r[0] for r in results), max(r[1] for r in results)


def paired(first: Sequence[str | Path], second: Sequence[str | Path],
           runs: int) -> tuple[tuple[float, float], tuple[float, float]]:
    """Two commands' (median seconds, peak MB), their runs alternating after a warm-up run of
    each: a change in the machine's load (it is shared) reaches both alike."""
    run(first)
    run(second)
    results: tuple[list[tuple[float, float]], list[tuple[float, float]]] = ([], [])
    for _ in range(runs):
        results[0].append(run(first))
        results[1].append(run(second))
    return ((statistics.median(r[0] for r in results[0]), max(r[1] for r in results[0])),
            (statistics.median(r[0] for r in results[1]), max(r[1] for r in results[1])))


def pandoc_markdown(folder: Path) -> str:
    """The edition's copy as plain Pandoc Markdown: the same text banmian typesets."""
    sys.path.insert(0, str(ROOT / "src"))
    from banmian.content import load_edition
    from banmian.model import copy_text

    edition = load_edition(folder)
    lines = [f"% {edition.title}", ""]
    for item in copy_text(edition):
        prefix = {"headline": "# ", "subhead": "## ", "brief-title": "## "}.get(item.role, "")
        lines += [prefix + item.text, ""]
    return "\n".join(lines)


def faces(language: str) -> list[Path]:
    """The font files banmian embeds for ``language``'s copy (the ones Pandoc gets too): each
    once, the rare-character face left out (the sample does not need it)."""
    sys.path.insert(0, str(ROOT / "src"))
    from banmian import fonts

    return list(dict.fromkeys(face.path for face in fonts.faces(language).values()
                              if face.key != "fallback"))


def bench_epub(tmp: Path, runs: int) -> dict[str, float]:
    banmian: list[str | Path] = [BIN / "banmian", "build", SAMPLE, "-o", tmp / "b", "--format",
                                 "epub", "--force"]
    ours, peak = median(banmian, runs)
    source = tmp / "sample.md"
    source.write_text(pandoc_markdown(SAMPLE), encoding="utf-8")
    plain: list[str | Path] = ["pandoc", source, "-o", tmp / "plain.epub", "--metadata",
                               "lang=zh-CN"]
    fonts: list[str | Path] = [*plain[:2], "-o", tmp / "fonts.epub", "--metadata", "lang=zh-CN",
             *(f"--epub-embed-font={path}" for path in faces("zh-CN"))]
    plain_s, _ = median(plain, runs)
    fonts_s, _ = median(fonts, runs)
    size = (tmp / "b" / "benxi-2020-02.epub").stat().st_size
    return {"epub_seconds": ours, "epub_peak_mb": peak, "epub_bytes": size,
            "pandoc_seconds": plain_s, "pandoc_bytes": (tmp / "plain.epub").stat().st_size,
            "pandoc_fonts_seconds": fonts_s,
            "pandoc_fonts_bytes": (tmp / "fonts.epub").stat().st_size}


def bench_pdf(tmp: Path, runs: int) -> dict[str, float]:
    banmian: list[str | Path] = [BIN / "banmian", "build", SAMPLE, "-o", tmp / "p", "--format",
                                 "pdf", "--force"]
    html = tmp / "sample.html"
    subprocess.run([BIN / "python", ROOT / "tools" / "print_html.py", SAMPLE, html], check=True)
    bare: list[str | Path] = [BIN / "python", "-m", "weasyprint", "-q", "--pdf-variant",
                              "pdf/ua-1", html, tmp / "bare.pdf"]
    (ours, peak), (bare_s, bare_peak) = paired(banmian, bare, runs)
    return {"pdf_seconds": ours, "pdf_peak_mb": peak, "weasyprint_seconds": bare_s,
            "weasyprint_peak_mb": bare_peak}


def bench_noop_make(runs: int) -> dict[str, float]:
    subprocess.run(["make", "-s"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    seconds, _ = median(["make", "-s"], runs)
    return {"noop_make_seconds": seconds}


def bench_batch(tmp: Path, count: int) -> dict[str, float]:
    folders = []
    for n in range(count):
        folder = tmp / "batch" / f"edition-{n:02d}"
        shutil.copytree(SAMPLE, folder)
        toml = folder / "edition.toml"
        toml.write_text(f'id = "bench-{n:02d}"\n' + toml.read_text(encoding="utf-8"),
                        encoding="utf-8")
        folders.append(folder)
    results: dict[str, float] = {}
    for jobs in (1, 2, 1, 2):  # twice each, alternating: the better run of each counts
        cmd: list[str | Path] = [BIN / "banmian", "build", *folders, "-o", tmp / f"out-j{jobs}",
                                 "-j", str(jobs), "--force"]
        seconds, peak = run(cmd)
        key = f"batch_j{jobs}_seconds"
        results[key] = min(results.get(key, seconds), seconds)
        results[f"batch_j{jobs}_peak_mb"] = max(results.get(f"batch_j{jobs}_peak_mb", 0), peak)
    results["batch_count"] = count
    return results


def _pdf(folder: Path, out: Path, *extra: str) -> list[str | Path]:
    return [BIN / "banmian", "build", folder, "-o", out, "--format", "pdf", "--force", *extra]


def bench_daily(tmp: Path) -> dict[str, float]:
    """A whole daily (issue 16): 16 and 48 pages, -j1 vs -j2, cold vs warm page cache, one
    module edited, EPUB growth, Dask. Runs alternate, the better of two counts; CPU times
    (of the process and its children) are given beside wall times: the machine is shared."""
    cache = tmp / "daily-cache"
    env = {"BANMIAN_CACHE": str(cache)}
    sixteen, forty_eight = (multiply(SAMPLE, tmp / "daily-16", 16),
                           multiply(SAMPLE, tmp / "daily-48", 48))
    out = tmp / "daily-out"
    run(_pdf(sixteen, out), env=env)  # font subsets warm; pages cleared before each run
    r: dict[str, float] = {}
    for jobs in ("1", "2", "1", "2"):
        shutil.rmtree(cache / "pages", ignore_errors=True)
        wall, cpu = run_cpu(_pdf(sixteen, out, "-j", jobs), env)
        if wall < r.get(f"p16_j{jobs}_wall", 1e9):
            r[f"p16_j{jobs}_wall"], r[f"p16_j{jobs}_cpu"] = wall, cpu
    shutil.rmtree(cache / "pages", ignore_errors=True)
    r["p48_cold_wall"], r["p48_cold_mb"] = run(_pdf(forty_eight, out, "-j", "1"), env=env)
    shutil.rmtree(cache / "pages", ignore_errors=True)
    r["p48_cold_j2_wall"], r["p48_j2_mb"] = run(_pdf(forty_eight, out, "-j", "2"), env=env)
    r["p48_warm_wall"], r["p48_warm_mb"] = run(_pdf(forty_eight, out, "-j", "1"), env=env)
    lead = forty_eight / "lead-17.md"
    paragraphs = lead.read_text(encoding="utf-8").split("\n\n")
    lead.write_text("\n\n".join(p for i, p in enumerate(paragraphs) if i != 3), encoding="utf-8")
    r["p48_edit_wall"], _ = run(_pdf(forty_eight, out, "-j", "1"), env=env)
    epub: list[str | Path] = [BIN / "banmian", "build", "-o", out, "--format", "epub", "--force"]
    r["epub1"] = min(run([*epub, SAMPLE], env=env)[0] for _ in range(3))
    r["epub48"] = min(run([*epub, forty_eight], env=env)[0] for _ in range(3))
    r |= bench_dask(sixteen, out, env)
    return r


def bench_dask(folder: Path, out: Path, env: dict[str, str]) -> dict[str, float]:
    """The 16-page edition on a Dask LocalCluster of two worker processes (one edition: its
    page tasks go to the workers, the join is done here)."""
    try:
        from distributed import LocalCluster
    except ImportError:
        return {}
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster:
        seconds, _ = run(_pdf(folder, out, "--dask", cluster.scheduler_address), env=env)
    return {"p16_dask_wall": seconds}


def daily_rows(r: dict[str, float]) -> list[tuple[str, str, str, str]]:
    """The report's rows for :func:`bench_daily`."""
    def verdict(ok: bool) -> str:
        return "meets" if ok else "MISSES"

    speed = r["p16_j2_wall"] / r["p16_j1_wall"]
    edit = r["p48_edit_wall"] / r["p48_cold_wall"]
    epub = r["epub48"] / r["epub1"]
    rows = [
        ("16-page PDF, cold page cache, -j1 / -j2 (wall)",
         f"{r['p16_j1_wall']:.1f} s / {r['p16_j2_wall']:.1f} s = {speed:.2f}×", "≤ 0.6×",
         verdict(speed <= 0.6)),
        ("16-page PDF, -j1 / -j2 (CPU of all processes)",
         f"{r['p16_j1_cpu']:.1f} s / {r['p16_j2_cpu']:.1f} s", "", ""),
        ("48-page PDF, cold page cache, -j1 / -j2",
         f"{r['p48_cold_wall']:.1f} s / {r['p48_cold_j2_wall']:.1f} s", "", ""),
        ("48-page PDF, warm page cache (nothing changed, --force)",
         f"{r['p48_warm_wall']:.1f} s", "", ""),
        ("48-page PDF, one module of one page edited / full",
         f"{r['p48_edit_wall']:.1f} s / {r['p48_cold_wall']:.1f} s = {edit:.2f}×", "≤ 0.15×",
         verdict(edit <= 0.15)),
        ("48-page EPUB / 1-page EPUB", f"{r['epub48']:.2f} s / {r['epub1']:.2f} s = "
         f"{epub:.2f}×", "≤ 3×", verdict(epub <= 3)),
        ("peak memory per worker (largest process), 48 pages, cold -j1 / cold -j2 / warm",
         f"{r['p48_cold_mb']:.0f} MB / {r['p48_j2_mb']:.0f} MB / {r['p48_warm_mb']:.0f} MB",
         f"≤ {TARGETS['daily_peak_mb']:.0f} MB",
         verdict(max(r["p48_cold_mb"], r["p48_j2_mb"], r["p48_warm_mb"])
                 <= TARGETS["daily_peak_mb"])),
    ]
    if "p16_dask_wall" in r:
        rows.append(("16-page PDF, page tasks on a Dask LocalCluster (2 worker processes)",
                     f"{r['p16_dask_wall']:.1f} s", "", ""))
    return rows


def _one_module_edition(folder: Path, body: str) -> Path:
    folder.mkdir(parents=True)
    (folder / "edition.toml").write_text(
        'title = "测试"\nlanguage = "zh-CN"\ndate = "2020-02-12"\n[[pages]]\n'
        '[[pages.modules]]\nfile = "story.md"\nrole = "article"\n', encoding="utf-8")
    (folder / "story.md").write_text(f'+++\nheadline = "标题"\n+++\n\n{body}\n',
                                     encoding="utf-8")
    return folder


def bench_bounded(tmp: Path) -> dict[str, float]:
    """Hostile sizes (issue 13): the PDF of one 30k- and one 240k-character paragraph, whose
    ratio shows whether layout grows linearly, and of 10,000 short paragraphs."""
    results: dict[str, float] = {}
    for length in PARAGRAPH_LENGTHS:
        body = (_SENTENCE * (length // len(_SENTENCE) + 1))[:length]
        folder = _one_module_edition(tmp / f"paragraph-{length}", body)
        seconds, peak = run([BIN / "banmian", "build", folder, "-o", tmp / "bounded",
                             "--format", "pdf", "--force"])
        results[f"paragraph_{length}_seconds"], results[f"paragraph_{length}_mb"] = seconds, peak
    first, last = PARAGRAPH_LENGTHS
    results["long_paragraph_growth"] = (results[f"paragraph_{last}_seconds"]
                                        / results[f"paragraph_{first}_seconds"])
    body = "\n\n".join(f"第{n}段。" for n in range(MANY_PARAGRAPHS))
    folder = _one_module_edition(tmp / "many-paragraphs", body)
    seconds, peak = run([BIN / "banmian", "build", folder, "-o", tmp / "bounded", "--force"])
    results["many_paragraphs_seconds"], results["many_paragraphs_mb"] = seconds, peak
    return results


def bounded_rows(r: dict[str, float]) -> list[tuple[str, str, str, str]]:
    """The report's rows for :func:`bench_bounded`."""
    first, last = PARAGRAPH_LENGTHS
    growth, many = r["long_paragraph_growth"], r["many_paragraphs_seconds"]
    return [
        (f"PDF of one {first // 1000}k-character paragraph",
         f"{r[f'paragraph_{first}_seconds']:.1f} s, {r[f'paragraph_{first}_mb']:.0f} MB", "", ""),
        (f"PDF of one {last // 1000}k-character paragraph",
         f"{r[f'paragraph_{last}_seconds']:.1f} s, {r[f'paragraph_{last}_mb']:.0f} MB", "", ""),
        (f"growth {first // 1000}k → {last // 1000}k characters ({last // first}× the copy)",
         f"{growth:.1f}×", "≤ 10×", "meets" if growth <= TARGETS["long_paragraph_growth"]
         else "MISSES"),
        (f"EPUB + PDF of {MANY_PARAGRAPHS:,} short paragraphs",
         f"{many:.1f} s, {r['many_paragraphs_mb']:.0f} MB", "≤ 30 s",
         "meets" if many <= TARGETS["many_paragraphs_seconds"] else "MISSES"),
    ]


def report(r: dict[str, float]) -> str:
    def check(name: str, value: float, lower_is_better: bool = True) -> str:
        ok = value <= TARGETS[name] if lower_is_better else value >= TARGETS[name]
        return "meets" if ok else "MISSES"

    size_ratio = r["epub_bytes"] / r["pandoc_fonts_bytes"]
    pdf_ratio = r["pdf_seconds"] / r["weasyprint_seconds"]
    speedup = r["batch_j1_seconds"] / r["batch_j2_seconds"]
    peak = max(r["epub_peak_mb"], r["pdf_peak_mb"])
    rows = [
        ("EPUB build, sample, whole process", f"{r['epub_seconds']:.2f} s",
         f"≤ {TARGETS['epub_seconds']} s",
         check("epub_seconds", r["epub_seconds"])),
        ("Pandoc EPUB, same text, no fonts", f"{r['pandoc_seconds']:.2f} s, "
         f"{r['pandoc_bytes'] / 1024:.0f} KB", "", ""),
        ("Pandoc EPUB, same fonts embedded", f"{r['pandoc_fonts_seconds']:.2f} s, "
         f"{r['pandoc_fonts_bytes'] / 1024:.0f} KB", "", ""),
        ("banmian EPUB size / Pandoc with fonts", f"{r['epub_bytes'] / 1024:.0f} KB = "
         f"{size_ratio:.3f}×", f"≤ {TARGETS['epub_size_vs_pandoc_fonts']}×",
         check("epub_size_vs_pandoc_fonts", size_ratio)),
        ("PDF build / bare WeasyPrint, same HTML", f"{r['pdf_seconds']:.2f} s / "
         f"{r['weasyprint_seconds']:.2f} s = {pdf_ratio:.2f}×",
         f"≤ {TARGETS['pdf_vs_weasyprint']}×",
         check("pdf_vs_weasyprint", pdf_ratio)),
        ("no-op make", f"{r['noop_make_seconds']:.3f} s",
         f"≤ {TARGETS['noop_make_seconds']} s",
         check("noop_make_seconds", r["noop_make_seconds"])),
        (f"batch of {int(r['batch_count'])} editions, -j1 / -j2",
         f"{r['batch_j1_seconds']:.1f} s / {r['batch_j2_seconds']:.1f} s = {speedup:.2f}×",
         f"≥ {TARGETS['batch_speedup']}×",
         check("batch_speedup", speedup, lower_is_better=False)),
        ("peak memory of one build (EPUB, PDF)", f"{r['epub_peak_mb']:.0f} MB, "
         f"{r['pdf_peak_mb']:.0f} MB", "≤ 500 MB", check("peak_mb", peak)),
    ]
    rows += bounded_rows(r) if "long_paragraph_growth" in r else []
    rows += daily_rows(r) if "p16_j1_wall" in r else []
    lines = ["| measure | result | target | |", "|---|---|---|---|"]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    return "\n".join([f"Machine: {machine}.", "", *lines, ""])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--batch", type=int, default=20)
    parser.add_argument("--output", type=Path, help="also write the report here")
    parser.add_argument("--only-bounded", action="store_true",
                        help="only the hostile sizes: huge paragraph, 10,000 paragraphs")
    parser.add_argument("--only-daily", action="store_true",
                        help="only the whole daily: 16 and 48 pages, page cache, Dask")
    args = parser.parse_args()
    results: dict[str, float] = {}
    if args.only_daily:
        with tempfile.TemporaryDirectory() as tmp:
            rows = daily_rows(bench_daily(Path(tmp)))
        print("\n".join(f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows))
        return 0
    if args.only_bounded:
        with tempfile.TemporaryDirectory() as tmp:
            rows = bounded_rows(bench_bounded(Path(tmp)))
        print("\n".join(f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows))
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        results |= bench_bounded(Path(tmp))
        results |= bench_epub(Path(tmp), args.runs)
        results |= bench_pdf(Path(tmp), max(3, args.runs // 2))
        results |= bench_noop_make(args.runs)
        results |= bench_batch(Path(tmp), args.batch)
        results |= bench_daily(Path(tmp))
    text = report(results)
    print(text)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
