"""The handler ring covers every use case: each module of domain/ with an async function taking a unit of
work (`uow`) has its test file in tests/unit/handlers/<context>/test_<module>.py, run without a database."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def use_case_modules() -> list[Path]:
    found = []
    for path in sorted((ROOT / "domain").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.AsyncFunctionDef):
                names = [a.arg for a in node.args.args + node.args.kwonlyargs]
                if "uow" in names:
                    found.append(path)
                    break
    return found


def test_every_module_with_a_use_case_has_its_ring_test():
    modules = use_case_modules()
    assert len(modules) > 30  # the walk found the handlers at all
    missing = [
        f"{m.relative_to(ROOT)} → tests/unit/handlers/{m.relative_to(ROOT).parts[1]}/test_{m.stem}.py"
        for m in modules
        if not (ROOT / "tests/unit/handlers" / m.relative_to(ROOT).parts[1] / f"test_{m.stem}.py").exists()
    ]
    assert not missing, "use cases without a ring test:\n" + "\n".join(missing)
