"""Share metadata: schema.org JSON-LD for search engines and link previews.

HowTo for practices (their steps), FAQPage for the questions page, MedicalWebPage
with `lastReviewed` for everything else. Built from the validated content, so the
markup always says what the page says.
"""
from __future__ import annotations

import json
import re
from typing import Any

from markupsafe import Markup

from compassion_site.content.load import Content

_FAQ_QUESTION = re.compile(r"^## (.+?)\s*(\{:[^}]*\})?\s*$", re.M)
_MARKUP = re.compile(r"\s*\[@[^\]]*\]|\[([^\]]*)\]\([^)]*\)|[*_`]|<[^>]+>")


def _text(value: Any) -> str:
    """Front-matter text as written: the hook escapes it for HTML attributes, JSON wants it raw."""
    return value.unescape() if isinstance(value, Markup) else str(value)


def _plain(text: str) -> str:
    return " ".join(_MARKUP.sub(lambda m: m.group(1) or "", text).split())


def faq_entries(body: str) -> list[tuple[str, str]]:
    """(question, answer) for each `## ...?` heading of a Markdown page."""
    parts = _FAQ_QUESTION.split(body)
    entries = []
    for i in range(1, len(parts) - 2, 3):
        question, answer = parts[i].strip(), _plain(parts[i + 2].split("\n## ")[0])
        if question.endswith("?") and answer:
            entries.append((_plain(question), answer))
    return entries


def structured_data(src_uri: str, meta: dict[str, Any], url: str, language: str, content: Content) -> dict[str, Any]:
    base: dict[str, Any] = {
        "@context": "https://schema.org",
        "name": _text(meta.get("title", "")),
        "description": _text(meta.get("description", "")),
        "url": url,
        "inLanguage": language,
    }
    if meta.get("last_reviewed"):
        base["lastReviewed"] = str(meta["last_reviewed"])
    slug = src_uri.removeprefix("practices/").removesuffix(".md")
    if src_uri.startswith("practices/") and slug in content.items["practices"]:
        practice = content.items["practices"][slug]
        return {
            **base,
            "@type": "HowTo",
            "totalTime": f"PT{practice.time}M",
            "step": [{"@type": "HowToStep", "position": n, "text": _plain(step)} for n, step in enumerate(practice.steps, 1)],
        }
    page = content.pages.get(src_uri)
    if page is not None:
        entries = faq_entries(page.body)
        if len(entries) >= 3 and src_uri.endswith("faq.md"):
            return {
                **base,
                "@type": "FAQPage",
                "mainEntity": [
                    {"@type": "Question", "name": q, "acceptedAnswer": {"@type": "Answer", "text": a}} for q, a in entries
                ],
            }
    return {**base, "@type": "MedicalWebPage", "audience": {"@type": "Audience", "audienceType": "Patient"}}


def json_ld(data: dict[str, Any]) -> str:
    """JSON safe to place inside a <script> element."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/").replace("<!--", "<\\!--")
