"""Packaging: banmian installed non-editable (a wheel built from this checkout) into a fresh
virtual environment outside the checkout finds its templates, data, styles and manifest, and
builds the sample edition from a folder of its own.

The environment gets banmian's dependencies from the project's .venv through a .pth line (a
plain path: the .venv's own .pth files, among them the editable install's finder, are not
run), so the test needs no network and installs nothing but the wheel.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


def run(*args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None
        ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True,
                          text=True, check=False, timeout=300)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv outside the checkout with banmian's wheel installed; its python."""
    where = tmp_path_factory.mktemp("install")
    wheels = where / "wheels"
    built = run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                "-q", "-w", wheels, ROOT)
    assert built.returncode == 0, built.stderr
    venv = where / "venv"
    assert run(sys.executable, "-m", "venv", "--without-pip", venv).returncode == 0
    python = venv / "bin" / "python"
    site = Path(run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"
                    ).stdout.strip())
    (site / "banmian-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    wheel = next(wheels.glob("banmian-*.whl"))
    done = run(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "-q",
               wheel)
    assert done.returncode == 0, done.stderr
    return python


def test_the_wheel_carries_templates_data_styles_and_the_manifest(installed: Path) -> None:
    code = ("import banmian, banmian.storage as s, banmian.fonts.manifest as m; "
            "print(banmian.__file__); print(s.styles_dir()); print(m.MANIFEST)")
    out = run(installed, "-c", code, cwd=installed.parent).stdout.split()
    assert len(out) == 3, out
    package, styles, manifest = (Path(p) for p in out)
    assert not package.is_relative_to(ROOT)
    assert styles.is_relative_to(package.parent) and (styles / "print.css").is_file()
    assert manifest.is_relative_to(package.parent) and manifest.is_file()


def test_the_installed_command_builds_the_sample(installed: Path, tmp_path: Path) -> None:
    edition = shutil.copytree(ROOT / "content" / "benxi-2020-02", tmp_path / "benxi-2020-02")
    env = {**os.environ, "BANMIAN_FONTS_DIR": str(ROOT / "fonts" / "build"),
           "BANMIAN_CACHE": str(tmp_path / "cache")}
    env.pop("BANMIAN_STYLES_DIR", None)
    result = run(installed.parent / "banmian", "build", edition, "-o", tmp_path / "out",
                 cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "benxi-2020-02.epub").stat().st_size > 100_000
    assert (tmp_path / "out" / "benxi-2020-02.pdf").stat().st_size > 100_000


def test_an_installed_banmian_looks_for_its_faces_in_the_user_data_folder(
        installed: Path, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "BANMIAN_FONTS_DIR"}
    env["XDG_DATA_HOME"] = str(tmp_path)
    out = run(installed, "-c", "from banmian import fonts; print(fonts.FONTS_DIR)",
              cwd=tmp_path, env=env).stdout.strip()
    assert Path(out) == tmp_path / "banmian" / "fonts"
