"""The layer contract: the domain imports only the standard library and itself."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_domain_imports_only_the_standard_library_and_itself():
    allowed = set(sys.stdlib_module_names) | {"domain", "__future__"}
    offenders = {
        str(path.relative_to(ROOT)): sorted(_imports(path) - allowed)
        for path in (ROOT / "domain").rglob("*.py")
        if _imports(path) - allowed
    }
    assert offenders == {}


def test_infrastructure_never_imports_services():
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "infrastructure").rglob("*.py")
        if "services" in _imports(path)
    ]
    assert offenders == []
