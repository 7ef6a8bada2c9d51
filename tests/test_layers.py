"""The layering of docs/architecture.md, checked on the real import statements.

Streamlit (and the Starlette it runs on) belongs to `integra/web/` alone, so the
CLI, the exports and the tests can use every other module without a Streamlit session, and nothing
below the web layer reaches up into it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from integra.config import PROJECT_DIR

PACKAGE = PROJECT_DIR / "integra"
WEB_ONLY = ("streamlit", "starlette")


def _imports(path: Path) -> set[str]:
    """Every module a file imports, at any depth of the file (imports inside functions count too)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


BELOW_WEB = sorted(path for path in PACKAGE.rglob("*.py") if path.relative_to(PACKAGE).parts[0] != "web")


@pytest.mark.parametrize("path", BELOW_WEB, ids=lambda path: str(path.relative_to(PACKAGE)))
def test_only_the_web_layer_imports_streamlit(path):
    reaching_up = {name for name in _imports(path) if name.split(".")[0] in WEB_ONLY or name.startswith("integra.web")}
    assert not reaching_up, f"{path.name} imports {sorted(reaching_up)}; that belongs in integra/web/"


def test_the_check_sees_the_web_layer():
    """The check can fail: the web layer itself does import Streamlit."""
    assert "streamlit" in _imports(PACKAGE / "web" / "data.py")
    assert len(BELOW_WEB) > 20
