"""`make new-practice SLUG=...`: a practice skeleton that a volunteer fills in; `make check` names
every placeholder left in it."""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from compassion_site.content.models import SLUG_PATTERN

SKELETON = """\
# yaml-language-server: $schema=../schemas/practice.schema.json
# Replace every "FILL IN:" in plain words (reading age about 11): `make check` names each one
# that is left. Cite sources from references/*.yaml as [@id]. See README.md, "The content contract".
title: {title}
summary: "FILL IN: one sentence that says what the practice is and how it helps."
time: 5
suits: "FILL IN: who this practice is for, in one or two sentences."
steps:
  - "FILL IN: the first thing to do."
  - "FILL IN: the next thing to do."
  - "FILL IN: the last thing to do."
why: "FILL IN: why it helps, in a few short sentences."
evidence: "FILL IN: what research says about it, honestly, with a citation such as [@neff2003a]."
# How far research has tested it: tested_alone, part_of_program, linked_not_tested or not_yet_studied.
evidence_level: not_yet_studied
cautions: "FILL IN: when to stop, and where to get help (the Get help now page lists crisis lines)."
variations:
  - "FILL IN: another way to try it."
references: [neff2003a]
last_reviewed: {today}
next_review: {next_year}
"""


def new_practice(root: Path, slug: str) -> Path:
    if not re.fullmatch(SLUG_PATTERN, slug):
        raise ValueError(f"'{slug}' is not a valid page address: use lower-case letters, digits and hyphens")
    path = root / "practices" / f"{slug}.yaml"
    if path.exists():
        raise FileExistsError(f"{path.relative_to(root)} already exists")
    today = date.today()
    title = slug.replace("-", " ").capitalize()
    path.write_text(SKELETON.format(title=title, today=today.isoformat(), next_year=today.replace(year=today.year + 1).isoformat()), encoding="utf-8")
    return path

