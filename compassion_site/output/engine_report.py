"""What the engine adapter tells the build about one edition's output: the theme and the sources.

The engine knows things the output folder does not say: which template folders the theme
renders from (the script policy is made from them, see harden.py), which scripts the
configuration adds, the edition's site path, which source file became each built file (so
a failure names the file a writer can fix) and which built pages are the redirects the
build made (the only pages allowed a <meta http-equiv="refresh">). Each engine run writes
one report beside its output folder.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

SUFFIX = ".engine.json"


@dataclass
class EngineReport:
    template_dirs: list[str] = field(default_factory=list)
    extra_javascript: list[str] = field(default_factory=list)
    site_path: str = "/"
    sources: dict[str, str] = field(default_factory=dict)  # built path -> source path, from the project root
    redirects: list[str] = field(default_factory=list)  # built paths of the redirect pages

    def write(self, output_dir: Path) -> Path:
        path = report_path(output_dir)
        path.write_text(json.dumps(vars(self), sort_keys=True), encoding="utf-8")
        return path


def report_path(output_dir: Path) -> Path:
    """Beside the output folder, never inside it: the report is not published."""
    return output_dir.with_name(output_dir.name + SUFFIX)


def read_report(output_dir: Path) -> EngineReport:
    """The report of the engine that rendered `output_dir`; an empty one if it wrote none."""
    path = report_path(output_dir)
    return EngineReport(**json.loads(path.read_text(encoding="utf-8"))) if path.is_file() else EngineReport()
