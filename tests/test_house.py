"""The house rules that keep the pipeline engine-neutral and its libraries replaceable."""
from __future__ import annotations

import ast
import sys
from pathlib import Path

from conftest import ROOT

PACKAGES = (ROOT / "compassion_site", ROOT / "hooks")
ENGINE = ("mkdocs", "material")


def _imports(path: Path) -> list[tuple[int, str, list[str]]]:
    """(line, module, imported names) of every absolute import in a file."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name, []) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module, [alias.name for alias in node.names]))
    return found


def _python_files() -> list[Path]:
    return [f for folder in PACKAGES for f in sorted(folder.rglob("*.py"))]


def test_only_the_engine_adapter_imports_the_engine() -> None:
    adapter = ROOT / "compassion_site" / "mkdocs_adapter"
    wrong = [f"{f.relative_to(ROOT)}:{line} imports {module}" for f in _python_files() if adapter not in f.parents
             for line, module, _ in _imports(f) if module.split(".")[0] in ENGINE]
    assert not wrong, wrong


def test_no_module_uses_a_private_name_of_a_third_party_library() -> None:
    ours = {"compassion_site", "hooks", "__future__"}
    stdlib = set(sys.stdlib_module_names)
    wrong = []
    for f in _python_files():
        for line, module, names in _imports(f):
            top = module.split(".")[0]
            if top in ours or top in stdlib:
                continue
            private = [part for part in module.split(".") + names if part.startswith("_")]
            if private or ".backend" in module:
                wrong.append(f"{f.relative_to(ROOT)}:{line} imports {module} {names}")
    assert not wrong, wrong
