"""The command line on bad input: exact messages, exit status 2, no traceback, and earlier
outputs left untouched."""

from __future__ import annotations

import errno
import hashlib
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from banmian.fonts import face_files
from banmian.fonts.coverage import cmap
from banmian.model import Source


def _rare_char() -> str:
    """A CJK Extension G character that no face has, the rare-character face included (found,
    not assumed)."""
    covered = set().union(*(cmap(path) for path in face_files()))
    return next(chr(c) for c in range(0x3134A, 0x30000, -1) if c not in covered)


def _break(folder: Path, case: str) -> str:
    """Damage a copy of the sample edition in one way; return the expected message."""
    name = folder.name
    if case == "missing-folder":
        shutil.rmtree(folder)
        return f"{name}: error BM100: edition folder '{name}' not found"
    if case == "empty-folder":
        shutil.rmtree(folder)
        folder.mkdir()
        return f"{name}/edition.toml: error BM101: edition.toml missing: not an edition folder"
    if case == "malformed-toml":
        (folder / "edition.toml").write_text('title = "x"\nlanguage = "zh-CN\n', encoding="utf-8")
        return f"{name}/edition.toml:2: error BM102: malformed TOML: Illegal character '\\n'"
    if case == "unknown-role":
        _replace(folder / "edition.toml", 'role = "commentary"', 'role = "editorial"')
        line = _line_of(folder / "edition.toml", 'role = "editorial"')
        return (f"{name}/edition.toml:{line}: error BM106: unknown role 'editorial' "
                "(known: lead, profile, commentary, briefs, article)")
    if case == "unknown-key":
        _replace(folder / "lead.md", "byline = ", "writer = ")
        return (f"{name}/lead.md:4: error BM103: unknown key 'writer' in a lead module "
                "(known: byline, contributor, deck, figures, headline, kicker)")
    if case == "missing-module":
        (folder / "profile.md").unlink()
        line = _line_of(folder / "edition.toml", 'file = "profile.md"')
        return f"{name}/edition.toml:{line}: error BM107: module file 'profile.md' not found"
    if case == "invalid-utf8":
        with (folder / "commentary.md").open("ab") as handle:
            handle.write(b"\n\xff\xfe\n")
        line = (folder / "commentary.md").read_bytes().count(b"\n")
        return f"{name}/commentary.md:{line}: error BM108: invalid UTF-8 (byte 0xff)"
    if case == "uncovered-char":
        char = _rare_char()
        _replace(folder / "commentary.md", 'pen-name = "忠言"', f'pen-name = "忠言{char}"')
        line = _line_of(folder / "commentary.md", "pen-name")
        return (f"{name}/commentary.md:{line}: error BM200: no font has a glyph for "
                f"U+{ord(char):04X} {char} (pen-name; faces tried: kai, serif, fallback)")
    raise AssertionError(case)


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _line_of(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").split("\n")
    return next(i for i, line in enumerate(lines, start=1) if needle in line)


def _digest(folder: Path) -> dict[str, tuple[str, int]]:
    return {p.name: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
            for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def good_outputs(tmp_path_factory: pytest.TempPathFactory, sample_dir: Path) -> Path:
    """The sample's EPUB built once; each bad-input case builds over a copy of it."""
    from banmian.build import build_edition

    out = tmp_path_factory.mktemp("good")
    build_edition(sample_dir, out, ["epub"])
    return out


CASES = ["missing-folder", "empty-folder", "malformed-toml", "unknown-role", "unknown-key",
         "missing-module", "invalid-utf8", "uncovered-char"]


@pytest.mark.parametrize("case", CASES)
def test_bad_input_is_reported_exactly(
    case: str, sample_copy: Path, good_outputs: Path, tmp_path: Path,
    run_cli: Callable[..., object], monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = tmp_path / "out"
    shutil.copytree(good_outputs, out)
    before = _digest(out)
    monkeypatch.chdir(sample_copy.parent)
    expected = _break(sample_copy, case)
    result = run_cli("build", sample_copy.name, "-o", out, "--format", "epub")
    assert result.status == 2  # type: ignore[attr-defined]
    assert result.err.splitlines() == [expected]  # type: ignore[attr-defined]
    assert "Traceback" not in result.err  # type: ignore[attr-defined]
    assert _digest(out) == before


def test_debug_shows_the_traceback(sample_copy: Path, run_cli: Callable[..., object]) -> None:
    _replace(sample_copy / "lead.md", "byline = ", "writer = ")
    from banmian.diagnostics import InputError

    with pytest.raises(InputError):
        run_cli("build", sample_copy, "-o", sample_copy.parent / "o", "--debug")


def test_usage_errors_exit_2(run_cli: Callable[..., object], sample_copy: Path) -> None:
    with pytest.raises(SystemExit) as exc:
        run_cli("build", sample_copy, "--format", "docx")
    assert exc.value.code == 2


def test_check_reports_each_file(two_page_outputs: Path, tmp_path: Path,
                                 run_cli: Callable[..., object]) -> None:
    epub, pdf = two_page_outputs / "two-page.epub", two_page_outputs / "two-page.pdf"
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(pdf.read_bytes()[:2000])
    good: Any = run_cli("check", epub, pdf)
    assert (good.status, good.out.splitlines()) == (0, [f"ok {epub}", f"ok {pdf}"])
    bad: Any = run_cli("check", broken, tmp_path / "missing.epub")
    assert bad.status == 2
    errors = bad.err.splitlines()
    assert errors[0] == f"{tmp_path / 'missing.epub'}: error BM400: no such file"
    assert errors[1].startswith(f"{broken}: error BM400: ")


@pytest.fixture(scope="module")
def two_page_outputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from banmian.build import build_edition

    out = tmp_path_factory.mktemp("two-page")
    build_edition(Path(__file__).parent / "fixtures" / "two-page", out, ["epub", "pdf"])
    return out


def test_strict_turns_warnings_into_errors(make_edition: Callable[..., Path], tmp_path: Path,
                                           run_cli: Callable[..., Any]) -> None:
    from banmian.content.modules import LONG_PARAGRAPH

    story = f'+++\nheadline = "x"\n+++\n\n{"字" * (LONG_PARAGRAPH + 1)}\n'
    folder = make_edition(files={"story.md": story})
    lenient = run_cli("build", folder, "-o", tmp_path / "a", "--format", "epub")
    assert lenient.status == 0 and "warning BM115" in lenient.err
    strict = run_cli("build", folder, "-o", tmp_path / "b", "--format", "epub", "--strict")
    assert strict.status == 2 and "error BM115" in strict.err
    assert not (tmp_path / "b").exists() or not list((tmp_path / "b").glob("*.epub"))


def test_check_strict_fails_on_warnings(tmp_path: Path, run_cli: Callable[..., Any],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    import banmian.verify.check
    from banmian.diagnostics import warning

    target = tmp_path / "x.epub"
    target.write_bytes(b"")
    monkeypatch.setattr(banmian.verify.check, "check_files", lambda paths: {
        p: [warning("BM400", "EPUBCheck RSC-017: something minor", Source(str(p), 3))]
        for p in paths})
    lenient = run_cli("check", target)
    assert lenient.status == 0
    assert lenient.err == f"{target}:3: warning BM400: EPUBCheck RSC-017: something minor\n"
    strict = run_cli("check", target, "--strict")
    assert strict.status == 1
    assert strict.err == f"{target}:3: error BM400: EPUBCheck RSC-017: something minor\n"


def _temporaries(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*.tmp")] if folder.exists() else []


def test_output_that_is_a_file_exits_2(sample_dir: Path, tmp_path: Path,
                                       run_cli: Callable[..., Any]) -> None:
    target = tmp_path / "out"
    target.write_text("a file\n", encoding="utf-8")
    result = run_cli("build", sample_dir, "-o", target, "--format", "epub")
    assert result.status == 2
    assert result.err == (f"{target}: error BM700: is a file, not a folder: remove it or "
                          "choose another path\n")
    assert target.read_text(encoding="utf-8") == "a file\n"


@pytest.mark.parametrize(("number", "advice"), [
    (errno.ENOSPC, "no space left on the device: free some space or choose another output "
                   "folder with -o"),
    (errno.EROFS, "read-only file system: choose a writable output folder with -o"),
    (errno.EACCES, "permission denied: choose a folder you can write to, or fix its "
                   "permissions"),
])
def test_unwritable_output_exits_2_and_leaves_no_temporary_file(
        number: int, advice: str, sample_dir: Path, good_outputs: Path, tmp_path: Path,
        run_cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch) -> None:
    """A full disk (ENOSPC while writing), a read-only mount (EROFS) or no permission: root
    ignores permissions and a tmpfs needs privileges, so the write itself is made to fail."""
    import os

    out = tmp_path / "out"
    shutil.copytree(good_outputs, out)
    before = _digest(out)
    real_write = os.write

    def failing_write(fd: int, data: bytes | memoryview) -> int:
        if os.path.realpath(f"/proc/self/fd/{fd}").startswith(str(out.resolve())):
            raise OSError(number, os.strerror(number))
        return real_write(fd, data)

    def failing_replace(src: Any, dst: Any) -> None:
        raise OSError(number, os.strerror(number), str(dst))

    monkeypatch.setattr(os, "write", failing_write)
    monkeypatch.setattr(os, "replace", failing_replace)
    result = run_cli("build", sample_dir, "-o", out, "--format", "epub", "--force")
    assert result.status == 2, result.err
    message = result.err.splitlines()
    assert len(message) == 1 and message[0].endswith(f": error BM700: {advice}"), message
    assert message[0].startswith(str(out))
    assert _digest(out) == before and not _temporaries(out)


def test_import_into_a_read_only_folder_exits_2(seed_path: Path, tmp_path: Path,
                                                run_cli: Callable[..., Any],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from pathlib import Path as RealPath

    def read_only(self: Path, *args: Any, **kwargs: Any) -> None:
        raise OSError(errno.EROFS, "Read-only file system", str(self))

    monkeypatch.setattr(RealPath, "mkdir", read_only)
    result = run_cli("import", seed_path, "-o", tmp_path / "edition")
    assert result.status == 2
    # The import writes into a temporary folder beside the target first: the read-only folder
    # the message names is the one that would hold the edition.
    assert result.err == (f"{tmp_path}: error BM700: read-only file system: "
                          "choose a writable output folder with -o\n")


def test_output_inside_the_edition_folder_is_refused(sample_copy: Path, tmp_path: Path,
                                                     run_cli: Callable[..., Any],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(sample_copy.parent)
    name = sample_copy.name
    for out in (name, f"{name}/out"):
        result = run_cli("build", name, "-o", out, "--format", "epub")
        assert result.status == 2
        assert result.err == (f"{name}: error BM701: output folder '{out}' is inside the "
                              "edition folder: choose another -o (default: out)\n")
    assert not list(sample_copy.rglob("*.epub"))


@pytest.mark.parametrize("jobs", ["0", "-1", "two"])
def test_jobs_must_be_positive(jobs: str, sample_dir: Path, run_cli: Callable[..., Any],
                               capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        run_cli("build", sample_dir, "-j", jobs)
    assert exc.value.code == 2
    assert f"-j needs a whole number of editions from 1, not '{jobs}'" in capsys.readouterr().err


def test_only_the_process_command_line_freezes_the_heap_at_its_end(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """``banmian`` (no argv: the process's own arguments) freezes what is alive as it ends, to
    spare the interpreter's last collections; a caller's ``main(argv)`` leaves its heap be."""
    import gc

    from banmian.cli import main

    frozen: list[int] = []
    monkeypatch.setattr(gc, "freeze", lambda: frozen.append(1))
    monkeypatch.setattr("sys.argv", ["banmian", "build"])  # usage error: exits 2 at parsing
    with pytest.raises(SystemExit):
        main()
    assert main(["lint", "no-such-edition"]) == 2 and frozen == []
    monkeypatch.setattr("sys.argv", ["banmian", "lint", "no-such-edition"])
    assert main() == 2 and frozen == [1]
