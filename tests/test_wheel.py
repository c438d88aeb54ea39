"""govsearch as a researcher installs it: a wheel, a fresh virtualenv, a
directory that has nothing to do with the repository.

The wheel must hold one import package (``govsearch``) and its seeds; built
from the tree, it must leave no ``build/`` there; installed, ``govsearch
serve`` builds the bundled corpus's index in the per-user data directory and
serves the same reports, with the same ids, as the checkout."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import venv
import zipfile
from pathlib import Path

import pytest

from govsearch.config import PROJECT_ROOT
from govsearch.search.engine import Engine
from tests.conftest import free_port


def _top_level_entries() -> set[str]:
    return {p.name for p in PROJECT_ROOT.iterdir()}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    before = _top_level_entries()
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--disable-pip-version-check",
                    "-w", str(out), str(PROJECT_ROOT)], check=True, capture_output=True, timeout=600)
    left = _top_level_entries() - before
    assert not left, f"building the wheel left {sorted(left)} in the tree"
    (built,) = out.glob("govsearch-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """A fresh virtualenv with the wheel and its dependencies (from pip's cache after the first run)."""
    env_dir = tmp_path_factory.mktemp("venv") / "venv"
    venv.create(env_dir, with_pip=True)
    subprocess.run([str(env_dir / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                    str(wheel)], check=True, capture_output=True, timeout=900)
    return env_dir


def test_the_wheel_installs_one_top_level_name_and_ships_the_seeds(wheel):
    with zipfile.ZipFile(wheel) as archive:
        record = next(n for n in archive.namelist() if n.endswith(".dist-info/RECORD"))
        paths = [line.split(",")[0] for line in archive.read(record).decode("utf-8").splitlines() if line]
    assert {p.split("/")[0] for p in paths} == {"govsearch", record.split("/")[0]}
    shipped = {p.removeprefix("govsearch/") for p in paths}
    seeds = sorted(p.relative_to(PROJECT_ROOT).as_posix() for p in (PROJECT_ROOT / "seeds").iterdir() if p.is_file())
    assert set(seeds) <= shipped, set(seeds) - shipped
    data = sorted(p.relative_to(PROJECT_ROOT).as_posix() for p in (PROJECT_ROOT / "index" / "data").rglob("*")
                  if p.is_file())
    assert set(data) <= shipped, set(data) - shipped
    assert {"index/data/reports/README.md", "index/data/reports/a/labels.jsonl"} <= shipped  # the real reports
    assert {"webui/templates/search.html", "webui/static/app.js", "index/crawl/spider.py"} <= shipped


def _get_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read())


@pytest.fixture(scope="module")
def bundled_index(tmp_path_factory) -> Path:
    """The bundled corpus (seeds and real reports) indexed from the checkout, as a first serve indexes it."""
    from govsearch.index.build import ingest
    from govsearch.index.bundled import BUNDLED_CORPUS, SEEDS_BASE

    index_dir = tmp_path_factory.mktemp("bundled") / "index"
    ingest(list(BUNDLED_CORPUS), index_dir, base=SEEDS_BASE)
    return index_dir


def test_installed_govsearch_serves_the_bundled_corpus_from_outside_the_repo(installed, tmp_path, bundled_index):
    elsewhere, home = tmp_path / "elsewhere", tmp_path / "home"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("GOVSEARCH_INDEX", "PYTHONPATH")}
    env.update(HOME=str(home), XDG_DATA_HOME=str(home / "data"))
    python = str(installed / "bin" / "python")
    # Outside the repository the checkout's folders are not importable; govsearch is.
    script = ("import importlib.util as u, govsearch; "
              "print(*(u.find_spec(name) for name in ('index', 'search', 'webui')), govsearch.__file__)")
    probe = subprocess.run([python, "-c", script], cwd=elsewhere, env=env, capture_output=True, text=True, check=True)
    assert probe.stdout.startswith("None None None " + str(installed)), probe.stdout
    port = free_port()
    server = subprocess.Popen([str(installed / "bin" / "govsearch"), "serve", "--port", str(port)], cwd=elsewhere,
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.time() + 120
        query = urllib.parse.quote("法治")
        while True:
            try:
                data = _get_json(f"http://127.0.0.1:{port}/api/search?q={query}&per_page=100")
                break
            except OSError:
                if server.poll() is not None or time.time() > deadline:
                    pytest.fail(f"the installed server did not start: {server.communicate(timeout=5)}")
                time.sleep(0.5)
    finally:
        server.terminate()
        _, stderr = server.communicate(timeout=20)
    index_dir = home / "data" / "govsearch" / "index"
    assert index_dir.is_dir(), stderr  # platformdirs' per-user data directory, not site-packages
    assert str(index_dir) in stderr
    assert not list((installed / "lib").rglob("govsearch/**/_*.toc")), "an index was written into site-packages"
    checkout = Engine(bundled_index).search("法治", per_page=100)
    assert data["total"] == checkout.total == len(data["hits"]) > 50  # the seeds' five and the real reports'
    assert sorted(h["id"] for h in data["hits"]) == sorted(h.fields["id"] for h in checkout.hits)
    assert sorted(h["source"] for h in data["hits"]) == sorted(h.fields["source"] for h in checkout.hits)


def test_an_installation_keeps_its_index_in_the_user_data_directory_unless_told(tmp_path, monkeypatch):
    from govsearch import config

    monkeypatch.delenv(config.INDEX_ENV, raising=False)
    assert config.in_checkout() and config.resolve_index_dir() == PROJECT_ROOT / "var" / "index"
    monkeypatch.setattr(config, "in_checkout", lambda: False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert config.resolve_index_dir() == tmp_path / "data" / "govsearch" / "index"
    monkeypatch.setenv(config.INDEX_ENV, str(tmp_path / "from-env"))
    assert config.resolve_index_dir() == tmp_path / "from-env"
    assert config.resolve_index_dir(str(tmp_path / "from-flag")) == tmp_path / "from-flag"
