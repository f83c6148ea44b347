"""A page that speaks to a reader about hurting themselves must also show them the way to help.

The banner is on every page, but a reader in distress reads the sentence in front of them:
wherever a page's own words turn to self-harm or suicide, the same page links "Get help now"
(get-help.md, the page the banner links as well). Checked in every edition that has words here.
"""
from __future__ import annotations

import re

import pytest

from compassion_site.content.load import load_content
from compassion_site.content.translations import load_translations
from compassion_site.errors import ErrorCollector

from conftest import ROOT

HELP_PAGE = "get-help.md"

# Words that address the reader's own risk, per language. A language not listed here is not
# checked; add its words when you add the language.
RISK_WORDS = {
    "en": r"hurt(?:ing)? yourself|harm(?:ing)? yourself|end(?:ing)? your life|about suicide|thoughts of (?:suicide|ending)|wanting to die",
    "es": r"hacerte daño|quitarte la vida|en el suicidio|por el suicidio|querer morir",
}


def _flat(text: str) -> str:
    """One line, so a phrase wrapped across lines or indented in a note still matches."""
    return re.sub(r"\s+", " ", text)


def _pages(language: str) -> dict[str, str]:
    content = load_content(ROOT)
    if language == "en":
        return {uri: page.body for uri, page in content.pages.items()}
    translations = load_translations(ROOT, language, content, "content", ErrorCollector(ROOT))
    return {uri: body for uri, (_meta, body) in translations.pages.items()}


def pages_missing_help(pages: dict[str, str], words: str) -> list[str]:
    risky = re.compile(words, re.IGNORECASE)
    return sorted(uri for uri, body in pages.items()
                  if uri != HELP_PAGE and risky.search(_flat(body)) and HELP_PAGE not in body)


@pytest.mark.parametrize("language", sorted(RISK_WORDS))
def test_every_page_that_speaks_of_self_harm_links_get_help(language: str) -> None:
    pages = _pages(language)
    assert pages, f"no {language} pages found"
    assert pages_missing_help(pages, RISK_WORDS[language]) == []


def test_a_page_that_names_the_risk_without_the_link_is_caught() -> None:
    words = RISK_WORDS["en"]
    pages = {"learn/x.md": "If you think about\n    hurting yourself, talk to someone.",
             "learn/y.md": "If you might hurt yourself, go to [Get help now](../get-help.md).",
             HELP_PAGE: "If you might hurt yourself, call now."}
    assert pages_missing_help(pages, words) == ["learn/x.md"]
