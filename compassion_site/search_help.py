"""Search that answers distress: the crisis words of every language and the help card shown above results.

A reader who types "kill myself" or "quiero morir" into search must meet the crisis lines
before any page. The words live in `safety/crisis-words.<lang>.yaml`, one file per
language; every edition matches the words of all of them, because people type in their
own language whatever edition they read. The card is server-side HTML from the region's
helplines (as the banner is), hidden until the search script sees a crisis word, so it
carries the numbers even when the search panel covers the banner on a phone.
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from markupsafe import Markup, escape
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from .content import validate
from .errors import ErrorCollector
from .safety import BASE_URL_TOKEN, HELP_PATH_TOKEN, Safety, tel_target
from .yaml_source import line_of, load_yaml

CRISIS_WORDS_SCRIPT = "search/crisis-words.js"  # written beside the search index, loaded with it
_APOSTROPHES = re.compile(r"['\u2019]")
_NOT_WORD = re.compile(r"[\W_]+")


class CrisisWords(BaseModel):
    """`safety/crisis-words.<lang>.yaml`: what a reader in crisis may type, in one language."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Z]{2})?$")]
    phrases: list[Annotated[str, StringConstraints(min_length=2)]] = Field(min_length=1)


def fold(text: str) -> str:
    """What search compares: lower case, no accents, no apostrophes, any other punctuation a space.
    The same steps as `fold` in content/assets/search.js."""
    text = "".join(c for c in unicodedata.normalize("NFD", text.lower()) if not "\u0300" <= c <= "\u036f")
    return " ".join(_NOT_WORD.sub(" ", _APOSTROPHES.sub("", text)).split())


def is_crisis(query: str, phrases: list[str]) -> bool:
    """Whether a query holds a crisis phrase (folded) as whole words, or a phrase of several words
    typed without spaces. The same test as inCrisis in content/assets/search.js."""
    folded = fold(query)
    spaced, squashed = f" {folded} ", folded.replace(" ", "")
    return any(f" {p} " in spaced or (" " in p and p.replace(" ", "") in squashed) for p in phrases)


def load_crisis_words(root: Path, language: str, errors: ErrorCollector) -> list[str]:
    """The folded phrases of every language (the edition's own file is required), sorted, each once."""
    folder = root / "safety"
    own = folder / f"crisis-words.{language}.yaml"
    if not own.is_file():
        errors.add(own, f"no crisis words for language '{language}': create it (see safety/crisis-words.en.yaml), "
                        "so that search shows the crisis lines to a reader who types them")
    phrases: set[str] = set()
    for path in sorted(folder.glob("crisis-words.*.yaml")):
        data = load_yaml(path, errors)
        words = validate(CrisisWords, data, path, errors) if data is not None else None
        if words is None:
            continue
        if path.name != f"crisis-words.{words.language}.yaml":
            errors.add(path, f"says language '{words.language}' but is named for another", line=line_of(data, ("language",)), field="language")
        seen: dict[str, int] = {}
        for i, phrase in enumerate(words.phrases):
            folded = fold(phrase)
            if len(folded) < 2:
                errors.add(path, f"'{phrase}' has no letters or digits left once punctuation is ignored", line=line_of(data, ("phrases", i)), field=f"phrases.{i}")
            elif folded in seen:
                errors.add(path, f"'{phrase}' is the same search as item {seen[folded]} once case, accents and punctuation are ignored",
                           line=line_of(data, ("phrases", i)), field=f"phrases.{i}")
            else:
                seen[folded] = i
                phrases.add(folded)
    return sorted(phrases)


def crisis_words_script(phrases: list[str]) -> str:
    """The phrases as a plain script (not JSON fetched), so search works from file:// too."""
    return "__searchShard(\"crisis\"," + json.dumps(phrases, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/") + ");\n"


@dataclass(frozen=True)
class CardLine:
    """One helpline as the card shows it."""

    name: str
    hours: str
    phone: str | None
    text: str | None


def card_lines(safety: Safety) -> list[CardLine]:
    """The region's lines that take a call or a text: the only place the card reads helpline data."""
    return [CardLine(line.name, line.hours, line.phone, line.text) for line in safety.region.lines if line.phone or line.text]


def _line_html(safety: Safety, line: CardLine) -> Markup:
    """One helpline of the card: its name and hours, then a tel: and an sms: link where it has them."""
    reach = []
    if line.phone:
        reach.append(Markup('<a href="tel:{}" class="search-help__number">{} {}</a>').format(tel_target(line.phone), safety.text("help_call"), line.phone))
    if line.text:
        reach.append(Markup('<a href="sms:{}" class="search-help__number">{} {}</a>').format(tel_target(line.text), safety.text("help_text"), line.text))
    return Markup('<li><span class="search-help__name">{} ({})</span> {}</li>').format(line.name, line.hours, Markup(" ").join(reach))


def search_help_html(safety: Safety) -> str:
    """The card: hidden until a crisis word is typed. `{base_url}` and `{help_path}` are filled in per page."""
    emergency = Markup('<a href="tel:{}" class="search-help__number">{}</a>').format(tel_target(safety.region.emergency), safety.region.emergency)
    emergency_sentence = Markup(escape(safety.text("banner_emergency", emergency_link="\x00")).replace("\x00", emergency))
    lines = Markup("").join(_line_html(safety, line) for line in card_lines(safety))
    return str(
        Markup(
            '<section id="search-help" class="search-help" aria-labelledby="search-help-title" hidden>'
            '<h2 id="search-help-title" class="search-help__title" tabindex="-1">{title}</h2>'
            "<p>{text}</p>"
            '<ul class="search-help__lines">{lines}<li>{emergency}</li></ul>'
            '<p><a href="{base}{help_path}" class="search-help__more">{help}</a></p>'
            "</section>"
        ).format(
            title=safety.text("search_help_title"),
            text=safety.text("search_help_text"),
            lines=lines,
            emergency=emergency_sentence,
            base=BASE_URL_TOKEN,
            help_path=HELP_PATH_TOKEN,
            help=safety.text("banner_help_link"),
        )
    )


@dataclass(frozen=True)
class SearchHelp:
    """What an edition's search needs to answer distress: the card for its pages and the words script."""

    card_html: str
    words_script: str


def load_search_help(root: Path, safety: Safety) -> SearchHelp:
    """The card and the words for one edition, or ContentErrors naming each file, field and line."""
    errors = ErrorCollector(root.resolve())
    phrases = load_crisis_words(root, safety.locale.language, errors)
    errors.raise_if_any()
    return SearchHelp(search_help_html(safety), crisis_words_script(phrases))
