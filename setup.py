"""Packaging hook: a wheel carries the top-level ``styles/`` and the tracked part of ``fonts/``
(licences, manifest, README) as ``banmian/data/styles`` and ``banmian/data/fonts``, where
:func:`banmian.storage.data_dir` finds them. An editable install reads the source tree's."""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
DATA = {"styles": ("*.css",), "fonts": ("*.toml", "*.txt", "*.md")}


class BuildPyWithData(build_py):
    """build_py, then copy the top-level data folders into the built package."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        for folder, patterns in DATA.items():
            target = Path(self.build_lib) / "banmian" / "data" / folder
            target.mkdir(parents=True, exist_ok=True)
            for pattern in patterns:
                for path in sorted((ROOT / folder).glob(pattern)):
                    shutil.copy2(path, target / path.name)


setup(cmdclass={"build_py": BuildPyWithData})
