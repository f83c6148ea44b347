"""Search that answers distress: the crisis words of every language and the help card shown above results.

A reader who types "kill myself" or "quiero morir" into search must meet the crisis lines
before any page. The words live in `safety/crisis-words.<lang>.yaml`, one file per
language; every edition matches the words of all of them, because people type in their
own language whatever edition they read. The card holds the region's helplines as tel: and
sms: links, so it carries the numbers even when the search panel covers the banner on a
phone; words and card are one small script loaded when search opens, so pages carry none of it.
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from compassion_site.content.load import validate
from compassion_site.content.models import Channel
from compassion_site.content.yaml_source import line_of, load_yaml
from compassion_site.errors import ErrorCollector
from compassion_site.safety.furniture import Safety, channel_languages, tel_target

SEARCH_HELP_SCRIPT = "search/help.js"  # the crisis words and the card, written beside the search index
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


@dataclass(frozen=True)
class CardLine:
    """One helpline as the card shows it: its name, what is known of its hours, and its links."""

    name: str
    links: list[list[str]]  # [words, tel: or sms: address]


def card_lines(safety: Safety) -> list[CardLine]:
    """The region's lines that take a call or a text, said only as their entries say them:
    the only place the card reads helpline data."""
    found = []
    for line in safety.region.lines:
        links = []
        for channel in line.channels:
            if channel.kind == "call" and channel.number:
                words = (safety.text("help_call_press", number=channel.number, press=channel.press) if channel.press
                         else safety.text("help_call", number=channel.number))
                links.append([_with_languages(safety, channel, words), f"tel:{tel_target(channel.number)}"])
            elif channel.kind == "text" and channel.number:
                words = (safety.text("help_text_keyword", keyword=channel.keyword, number=channel.number) if channel.keyword
                         else safety.text("help_text", number=channel.number))
                links.append([_with_languages(safety, channel, words), f"sms:{tel_target(channel.number)}"])
        if not links:
            continue
        when = str(safety.text("fact_always_open")) if line.open_24_7 else line.hours
        found.append(CardLine(f"{line.name} ({when})" if when else line.name, links))
    return found


def _with_languages(safety: Safety, channel: Channel, words: object) -> str:
    """'Call 988, then press 2 (in Spanish)': a key or keyword that leads to another language than the
    edition's says so."""
    if not channel.languages or safety.locale.language.split("-")[0] in channel.languages:
        return str(words)  # the reader's own language needs no note
    languages = channel_languages(safety, channel)
    return f"{words} ({languages})" if languages else str(words)


def card(safety: Safety, help_path: str) -> dict[str, object]:
    """The card's words and links as data; the search script builds it with textContent only.
    `help_path` is the "Get help now" page from the edition's root."""
    before, _, after = str(safety.text("banner_emergency", emergency_link="\x00")).partition("\x00")
    return {
        "title": str(safety.text("search_help_title")),
        "text": str(safety.text("search_help_text")),
        "lines": [{"name": line.name, "links": line.links} for line in card_lines(safety)],
        "emergency": [before, [safety.region.emergency, f"tel:{tel_target(safety.region.emergency)}"], after],
        "help": [str(safety.text("banner_help_link")), help_path],
    }


@dataclass(frozen=True)
class SearchHelp:
    """What an edition's search needs to answer distress: the crisis words of every language and its lines."""

    phrases: list[str]
    safety: Safety

    def script(self, help_path: str) -> str:
        """The words and the card as a plain script (not JSON fetched), so search works from file:// too;
        loaded with the search index, so pages carry none of it."""
        data = {"words": self.phrases, "card": card(self.safety, help_path)}
        return "__searchShard(\"help\"," + json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/") + ");\n"


def load_search_help(root: Path, safety: Safety) -> SearchHelp:
    """The words and lines for one edition's search, or ContentErrors naming each file, field and line."""
    errors = ErrorCollector(root.resolve())
    phrases = load_crisis_words(root, safety.locale.language, errors)
    errors.raise_if_any()
    return SearchHelp(phrases, safety)
