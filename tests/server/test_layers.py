"""The server's layers import one way only (server/__init__.py): a module imports nothing of a layer above
its own, and `nipa_kg.core` imports neither the build nor the server."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LAYERS = ("store", "query", "write", "middleware", "protocol", "site")  # bottom to top
TOP = ("app", "cli", "runner")  # beside the layers: imported by none of them


def imported(path: Path) -> set[str]:
    """The `nipa_kg` modules `path` imports, at any depth of its code."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("nipa_kg"):
            found |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("nipa_kg")}
    return found


def modules(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


@pytest.mark.parametrize("layer", LAYERS)
def test_a_layer_imports_no_layer_above_it(layer: str) -> None:
    above = LAYERS[LAYERS.index(layer) + 1 :] + TOP
    forbidden = tuple(f"nipa_kg.server.{name}" for name in above)
    wrong = {
        f"{path.relative_to(ROOT)} imports {name}"
        for path in modules(f"server/{layer}")
        for name in imported(path)
        if name.startswith(forbidden)
    }
    assert not wrong


def test_core_imports_neither_the_build_nor_the_server() -> None:
    wrong = {
        f"{path.relative_to(ROOT)} imports {name}"
        for path in modules("core")
        for name in imported(path)
        if name.startswith(("nipa_kg.graph", "nipa_kg.server"))
    }
    assert not wrong


def test_only_the_app_settings_runner_and_cli_sit_directly_in_server() -> None:
    assert sorted(path.name for path in (ROOT / "server").glob("*.py")) == [
        "__init__.py",
        "app.py",
        "cli.py",
        "runner.py",
        "settings.py",
    ]


def test_the_check_sees_a_forbidden_import(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from nipa_kg.server.site.data import Reader\n", "utf-8")
    assert "nipa_kg.server.site.data" in imported(module)
