"""The layers, lowest first: etl → analysis → report → dashboard.  A lower layer never imports a
higher one, and only the dashboard imports Dash."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = {
    "etl": {"analysis", "report", "dashboard", "dash", "dash_bootstrap_components", "plotly"},
    "analysis": {"report", "dashboard", "dash", "dash_bootstrap_components", "plotly"},
    "report": {"dashboard", "dash", "dash_bootstrap_components"},
}


def imported(path: Path) -> set[str]:
    """Top-level package of every import in a module, also those inside functions."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_a_layer_never_imports_a_higher_one(layer):
    wrong = {str(path.relative_to(ROOT)): sorted(imported(path) & FORBIDDEN[layer])
             for path in sorted((ROOT / layer).rglob("*.py"))}
    assert {path: names for path, names in wrong.items() if names} == {}


def test_the_check_sees_an_upward_import(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from dashboard.format import number\n")
    assert imported(module) == {"dashboard"}
