"""The PDF by page: sheets laid out in parallel and cached, joined into one PDF that a reader
or a checker cannot tell from the whole-document build."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pikepdf
import pytest

from banmian.backends.base import BuildOptions
from banmian.backends.pdf import pages as pages_module
from banmian.backends.pdf.backend import PdfBackend
from banmian.build import load_checked
from banmian.diagnostics import Reporter
from banmian.verify.check import check_file


def _build(folder: Path, backend: PdfBackend, press: bool = False) -> bytes:
    edition = load_checked(folder, Reporter())
    return backend.build(edition, folder, BuildOptions(press=press)).data


def _tree(element: Any) -> tuple[Any, ...]:
    kids = element.get("/K")
    kids = list(kids) if isinstance(kids, pikepdf.Array) else [] if kids is None else [kids]
    return (str(element.get("/S")), tuple(
        _tree(k) if isinstance(k, pikepdf.Dictionary) and "/S" in k else "content"
        for k in kids))


def _outline(pdf: pikepdf.Pdf) -> list[Any]:
    def walk(items: Any) -> list[Any]:
        return [(i.title, pdf.pages.index(pikepdf.Page(i.destination[0])), walk(i.children))
                for i in items]

    with pdf.open_outline() as outline:
        return walk(outline.root)


def _seen(path: Path) -> dict[str, Any]:
    """What a reader or a checker sees of a PDF."""
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                           check=True).stdout.splitlines()[2:]
    with pikepdf.open(path) as pdf:
        root = pdf.Root.StructTreeRoot
        nums = root.ParentTree.Nums
        keys = {int(nums[i]) for i in range(0, len(nums), 2)}
        return {
            "text": text,
            "fonts": sorted(line.split()[0].split("+", 1)[1] for line in fonts),
            "tree": [_tree(k) for k in root.K],
            "parents": all(int(p.obj.StructParents) in keys for p in pdf.pages),
            "outline": _outline(pdf),
            "labels": repr(pdf.Root.get("/PageLabels")),
            "info": {str(k): str(v) for k, v in pdf.docinfo.items()},
            "xmp": pdf.Root.Metadata.read_bytes(),
            "lang": str(pdf.Root.Lang),
            "pages": len(pdf.pages),
        }


@pytest.fixture(scope="module")
def three_pages(tmp_path_factory: pytest.TempPathFactory, sample_dir: Path,
                multiply: Callable[[Path, Path, int], Path]) -> Path:
    return multiply(sample_dir, tmp_path_factory.mktemp("three") / "three", 3)


@pytest.mark.slow
def test_pages_in_parallel_give_what_the_whole_document_gives(
        three_pages: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BANMIAN_CACHE", str(tmp_path / "cache"))
    whole, parallel = tmp_path / "whole.pdf", tmp_path / "parallel.pdf"
    whole.write_bytes(_build(three_pages, PdfBackend(whole=True)))
    with ProcessPoolExecutor(2) as pool:
        parallel.write_bytes(_build(three_pages, PdfBackend(pool)))
    seen, expected = _seen(parallel), _seen(whole)
    assert seen["pages"] == 3
    for key, value in expected.items():
        assert seen[key] == value, key
    assert len(re.findall(r"Banmian-Print", "\n".join(seen["fonts"]))) == 4  # one per face
    assert parallel.stat().st_size <= 1.2 * whole.stat().st_size
    assert check_file(parallel) == []


@pytest.mark.slow
def test_the_press_file_is_made_from_the_joined_pages(three_pages: Path,
                                                       tmp_path: Path) -> None:
    pressed = tmp_path / "pressed.pdf"
    pressed.write_bytes(_build(three_pages, PdfBackend(), press=True))
    assert pressed.read_bytes().startswith(b"%PDF-1.6\n")  # PDF/X-4's, as WeasyPrint writes
    with pikepdf.open(pressed) as pdf:
        assert len(pdf.pages) == 3
        assert all("/TrimBox" in p.obj and "/BleedBox" in p.obj for p in pdf.pages)
    assert check_file(pressed) == []


@pytest.fixture
def counted(three_pages: Path, tmp_path: Path,
            monkeypatch: pytest.MonkeyPatch) -> tuple[Path, list[str]]:
    """A private copy of the three-page edition with its own page cache, and the list of the
    pages laid out (by their first module) as builds run."""
    monkeypatch.setenv("BANMIAN_CACHE", str(tmp_path / "cache"))
    folder = tmp_path / "edition"
    shutil.copytree(three_pages, folder)
    laid_out: list[str] = []
    real = pages_module.lay_out_page

    def counting(task: pages_module.PageTask) -> pages_module.PageResult:
        laid_out.append(task.sheet.page.modules[0].id)
        return real(task)

    monkeypatch.setattr(pages_module, "lay_out_page", counting)
    return folder, laid_out


def test_an_unchanged_page_is_not_laid_out_again(counted: tuple[Path, list[str]]) -> None:
    folder, laid_out = counted
    first = _build(folder, PdfBackend())
    assert len(laid_out) == 3
    assert _build(folder, PdfBackend()) == first
    assert len(laid_out) == 3  # all three from the cache
    lead = folder / "lead-02.md"
    text = lead.read_text(encoding="utf-8")
    paragraphs = text.split("\n\n")
    lead.write_text("\n\n".join(p for i, p in enumerate(paragraphs) if i != 3),
                    encoding="utf-8")
    edited = _build(folder, PdfBackend())
    assert laid_out[3:] == ["lead-02"]  # only the edited page
    assert edited != first


def test_a_character_new_to_the_edition_lays_out_only_its_page(
        counted: tuple[Path, list[str]], three_pages: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The print subsets keep glyph ids, so the other pages stay cached when one page brings
    new characters (one in a serif module, one in the Kai commentary), and the joined PDF is
    the one a build without any cached page gives."""
    folder, laid_out = counted
    _build(folder, PdfBackend())
    for name, old, new in (("lead-02.md", "党员", "犇员"), ("commentary-02.md", "底气", "鑫气")):
        text = (folder / name).read_text(encoding="utf-8")
        assert new[0] not in (three_pages / "lead-01.md").read_text(encoding="utf-8") + \
            (three_pages / "commentary-01.md").read_text(encoding="utf-8")
        (folder / name).write_text(text.replace(old, new, 1), encoding="utf-8")
    edited = _build(folder, PdfBackend())
    assert laid_out[3:] == ["lead-02"]
    monkeypatch.setenv("BANMIAN_CACHE", str(tmp_path / "fresh-cache"))
    assert edited == _build(folder, PdfBackend())
    assert len(laid_out) == 7


def test_a_one_page_edition_is_laid_out_as_one_document(
        sample_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object) -> None:
        raise AssertionError("a one-page edition went by page")

    monkeypatch.setattr(pages_module, "run_pages", refuse)
    assert _build(sample_dir, PdfBackend()).startswith(b"%PDF")


class _HidingPages(Executor):
    """A Dask client's executor that hides the edition folder (and the client's working
    folder is elsewhere) once the page tasks are handed to it: a worker can use only what a
    task carries. Counts the tasks it was given."""

    def __init__(self, inner: Executor, folder: Path, hidden: Path) -> None:
        self.inner, self.folder, self.hidden = inner, folder, hidden
        self.tasks = 0

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        raise AssertionError("page tasks go through map")

    def map(self, fn: Callable[..., Any], *iterables: Any, timeout: float | None = None,
            chunksize: int = 1) -> Iterator[Any]:
        tasks = list(iterables[0])
        assert all(isinstance(t, pages_module.PageTask) for t in tasks)
        self.tasks += len(tasks)
        self.folder.rename(self.hidden)
        return self.inner.map(fn, tasks)


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.filterwarnings("ignore::ResourceWarning")
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_page_tasks_run_on_a_dask_cluster_without_the_clients_disk(
        sample_dir: Path, multiply: Callable[[Path, Path, int], Path], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Two worker processes (processes=True: every task and result is pickled), started in
    another folder, one page each; the PDF is the one an inline build gives."""
    distributed = pytest.importorskip("distributed")
    hidden, elsewhere = tmp_path / "hidden", tmp_path / "cwd"
    folder = multiply(sample_dir, tmp_path / "edition", 2)
    elsewhere.mkdir()
    monkeypatch.setenv("BANMIAN_CACHE", str(tmp_path / "dask-cache"))
    monkeypatch.chdir(elsewhere)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None,
                                  local_directory=str(elsewhere)) as cluster, \
            distributed.Client(cluster) as client:
        executor = _HidingPages(client.get_executor(), folder, hidden)
        edition = load_checked(folder, Reporter())
        on_dask = PdfBackend().build(edition, folder, BuildOptions(pages=executor)).data
    assert executor.tasks == 2 and not folder.exists()
    hidden.rename(folder)
    monkeypatch.setenv("BANMIAN_CACHE", str(tmp_path / "inline-cache"))
    assert on_dask == _build(folder, PdfBackend())
