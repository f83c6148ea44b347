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
    ours = {"compassion_site", "hooks", "__future__", "conftest"}
    stdlib = set(sys.stdlib_module_names)
    wrong = []
    for f in [*_python_files(), *sorted((ROOT / "tests").rglob("*.py")), *sorted((ROOT / "benchmarks").rglob("*.py"))]:
        for line, module, names in _imports(f):
            top = module.split(".")[0]
            if top in ours or top in stdlib:
                continue
            private = [part for part in module.split(".") + names if part.startswith("_")]
            if private or ".backend" in module:
                wrong.append(f"{f.relative_to(ROOT)}:{line} imports {module} {names}")
    assert not wrong, wrong


# The steps of the flow (ARCHITECTURE.md), earliest first: a module may import its own step or an
# earlier one, never a later one, so data flows one way.
STEPS = ("errors", "settings", "content", "safety", "gates", "render", "output", "pipeline", "mkdocs_adapter", "build", "schemas", "cli", "__main__")


def test_data_flows_one_way_no_step_imports_a_later_one() -> None:
    package = ROOT / "compassion_site"
    assert sorted(p.name.removesuffix(".py") for p in package.iterdir() if p.name != "__init__.py" and (p.suffix == ".py" or p.is_dir())
                  and p.name != "__pycache__") == sorted(STEPS), "a new top-level module or folder: give it its place in STEPS"
    wrong = []
    for f in sorted(package.rglob("*.py")):
        step = f.relative_to(package).parts[0].removesuffix(".py")
        if step == "__init__":
            continue
        for line, module, _ in _imports(f):
            if module.startswith("compassion_site."):
                other = module.split(".")[1]
                if STEPS.index(other) > STEPS.index(step):
                    wrong.append(f"{f.relative_to(ROOT)}:{line} ({step}) imports {module} (a later step)")
    assert not wrong, wrong
