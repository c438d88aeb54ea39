"""The floor plan of docs/ARCHITECTURE.md, read from the code: which package
imports which (every import of every module, at any depth in the file).

The repository's index/, search/ and webui/ install as govsearch.index,
govsearch.search and govsearch.webui; a module that imports one of them by its
bare folder name would work in a checkout and fail once installed."""

from __future__ import annotations

import ast
from pathlib import Path

from govsearch.config import PROJECT_ROOT

PACKAGES = ("index", "search", "webui", "govsearch")  # folders; all but govsearch/ are govsearch.<folder>
# package → the project packages it may import
ALLOWED = {"index": {"index"}, "search": {"index", "search"}, "webui": {"search", "webui"},
           "govsearch": set(PACKAGES)}


def imported_packages(path: Path) -> set[str]:
    """The project packages a module imports; a bare ``index``/``search``/
    ``webui`` shows as ``bare index`` (never allowed)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
            [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else []
        for parts in (name.split(".") for name in names):
            if parts[0] in PACKAGES and parts[0] != "govsearch":
                found.add(f"bare {parts[0]}")
            elif parts[0] == "govsearch":
                found.add(parts[1] if len(parts) > 1 and parts[1] in PACKAGES else "govsearch")
    return found


def test_each_package_imports_only_what_the_floor_plan_allows():
    broken = {}
    for package in PACKAGES:
        for path in sorted((PROJECT_ROOT / package).rglob("*.py")):
            extra = imported_packages(path) - ALLOWED[package]
            if extra:
                broken[path.relative_to(PROJECT_ROOT).as_posix()] = sorted(extra)
    assert not broken, broken


def test_the_document_states_the_same_rules():
    text = (PROJECT_ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    text = text.split("## Which package may import which", 1)[1].split("\n## ", 1)[0]
    for package, allowed in ALLOWED.items():
        row = next(line for line in text.splitlines() if line.startswith(f"| `{package}/`"))
        assert all(f"`{name}`" in row for name in (allowed if package != "govsearch" else ())), row


def test_every_module_is_in_the_document():
    text = (PROJECT_ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    missing = [p.relative_to(PROJECT_ROOT).as_posix() for package in PACKAGES
               for p in sorted((PROJECT_ROOT / package).glob("*.py"))
               if p.name != "__init__.py" and p.name != "__main__.py" and p.name not in text]
    assert not missing, missing


def test_no_test_or_script_imports_a_folder_by_its_bare_name():
    bare = {p.relative_to(PROJECT_ROOT).as_posix(): sorted(found)
            for folder in ("tests", "scripts") for p in sorted((PROJECT_ROOT / folder).rglob("*.py"))
            if "data" not in p.relative_to(PROJECT_ROOT).parts
            for found in [{name for name in imported_packages(p) if name.startswith("bare ")}] if found}
    assert not bare, bare
