"""The PEP 517 build backend: setuptools, run on a copy of the package's
files, so that building a wheel or an sdist leaves no ``build/`` or
``*.egg-info`` in the working tree.  An editable install must point at the
tree itself, so its hooks are setuptools' own."""

from __future__ import annotations

import configparser
import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from setuptools import build_meta as _setuptools
from setuptools.build_meta import (  # noqa: F401  (the hooks passed straight through)
    build_editable,
    get_requires_for_build_editable,
    prepare_metadata_for_build_editable,
)

ROOT = Path(__file__).resolve().parent.parent
METADATA_FILES = ("setup.cfg", "pyproject.toml", "README.md")
SKIP = shutil.ignore_patterns("__pycache__", "*.pyc")


def _package_folders() -> list[str]:
    """The folders setup.cfg's package_dir maps into the package."""
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg", encoding="utf-8")
    lines = config["options"]["package_dir"].strip().splitlines()
    return sorted({line.split("=", 1)[1].strip() for line in lines if "=" in line})


@contextlib.contextmanager
def _copy() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="govsearch-build-") as tmp:
        tree = Path(tmp)
        for name in METADATA_FILES:
            shutil.copy2(ROOT / name, tree / name)
        for folder in _package_folders():
            shutil.copytree(ROOT / folder, tree / folder, ignore=SKIP)
        here = os.getcwd()
        os.chdir(tree)
        try:
            yield tree
        finally:
            os.chdir(here)


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    out = os.path.abspath(wheel_directory)
    with _copy():
        return _setuptools.build_wheel(out, config_settings, metadata_directory)


def build_sdist(sdist_directory, config_settings=None):
    out = os.path.abspath(sdist_directory)
    with _copy():
        return _setuptools.build_sdist(out, config_settings)


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    out = os.path.abspath(metadata_directory)
    with _copy():
        return _setuptools.prepare_metadata_for_build_wheel(out, config_settings)


def get_requires_for_build_wheel(config_settings=None):
    with _copy():
        return _setuptools.get_requires_for_build_wheel(config_settings)


def get_requires_for_build_sdist(config_settings=None):
    with _copy():
        return _setuptools.get_requires_for_build_sdist(config_settings)
