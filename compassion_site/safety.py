"""The crisis banner, the disclaimer and the help list, from one place.

Helpline facts live in `safety/helplines.yaml` and wording in `locales/<lang>.yaml`;
`extra.region` picks the region. A fork changes these files once and every page,
the 404 page included, follows. The HTML is rendered here, not in the theme, so any
engine that can paste a string into a page can carry it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from markupsafe import Markup, escape

from .content import validate
from .errors import ErrorCollector
from .locale_strings import placeholder_problems
from .models import REQUIRED_STRINGS, Helpline, Locale, Region
from .yaml_source import LineMap, line_of, load_yaml

BASE_URL_TOKEN = "{base_url}"
HELP_PATH_TOKEN = "{help_path}"
DEFAULT_MAX_AGE_DAYS = 365


@dataclass(frozen=True)
class Safety:
    """Everything a page needs to show a route to help."""

    region_code: str
    region: Region
    locale: Locale

    @property
    def crisis_line(self) -> Helpline:
        return self.region.lines[0]

    def text(self, key: str, **values: object) -> str:
        return self.locale.strings[key].format(**values)

    def tel_numbers(self) -> list[str]:
        """The `tel:` targets every page must carry: the crisis line and the emergency number."""
        return [tel_target(self.crisis_line.phone or self.crisis_line.text or ""), tel_target(self.region.emergency)]


def tel_target(number: str) -> str:
    return re.sub(r"[^0-9+]", "", number)


def load_locale(root: Path, language: str, errors: ErrorCollector) -> Locale | None:
    path = root / "locales" / f"{language}.yaml"
    if not path.is_file():
        errors.add(path, f"no UI strings for language '{language}': create locales/{language}.yaml")
        return None
    data = load_yaml(path, errors)
    if data is None:
        return None
    before = len(errors.errors)
    strings = data.get("strings") if isinstance(data, dict) else None
    for key, text in strings.items() if isinstance(strings, dict) else ():
        if isinstance(text, str) and key in REQUIRED_STRINGS:
            for problem in placeholder_problems(key, text, REQUIRED_STRINGS[key]):
                errors.add(path, problem, line=line_of(data, ("strings", key)), field=f"strings.{key}")
    locale = validate(Locale, data, path, errors)
    if len(errors.errors) > before:
        return None
    if locale is not None and locale.language != language:
        errors.add(path, f"says language '{locale.language}' but is named for '{language}'", line=line_of(data, ("language",)), field="language")
    return locale


def load_safety(
    root: Path, *, region: str, language: str = "en", today: date | None = None, max_age_days: int = DEFAULT_MAX_AGE_DAYS
) -> tuple[Safety | None, ErrorCollector]:
    """The safety furniture for one region and language, or the reasons it cannot be shown."""
    errors = ErrorCollector(root.resolve())
    path = root / "safety" / "helplines.yaml"
    locale = load_locale(root, language, errors)
    data = load_yaml(path, errors)
    if data is None:
        return None, errors
    if not isinstance(data, LineMap):
        errors.add(path, "should map region codes (like US) to their crisis lines", line=1)
        return None, errors
    booleans = [key for key in data if isinstance(key, bool)]
    for key in booleans:
        errors.add(path, "YAML reads this region code as true or false; put it in quotes, like \"NO\":", line=line_of(data, (key,)))
    if booleans:
        return None, errors
    if region not in data:
        known = ", ".join(sorted(map(str, data)))
        errors.add(path, f"has no entry for region '{region}' set in extra.region (regions with entries: {known})", field=region)
        return None, errors
    entry = validate(Region, data[region], path, errors, loc_prefix=(region,))
    if entry is not None:
        age = ((today or date.today()) - entry.verified_on).days
        line = line_of(data, (region, "verified_on"))
        if age > max_age_days:
            errors.add(
                path,
                f"the {region} crisis lines were last verified on {entry.verified_on}, {age} days ago (the limit is "
                f"{max_age_days}); check each number against its source, then update verified_on and source",
                line=line,
                field=f"{region}.verified_on",
            )
        elif age < 0:
            errors.add(path, f"verified_on {entry.verified_on} is in the future", line=line, field=f"{region}.verified_on")
    if errors.errors or locale is None or entry is None:
        return None, errors
    return Safety(region, entry, locale), errors


def _tel(number: str) -> Markup:
    return Markup('<a href="tel:{}" class="crisis-banner__number">{}</a>').format(tel_target(number), number)


def _fill(template: str, *links: Markup) -> Markup:
    """Escape a translated sentence, then put the links where its \\x00, \\x01 markers stand."""
    result = escape(template)
    for marker, link in zip(("\x00", "\x01"), links):
        result = Markup(result.replace(marker, link))
    return result


def crisis_banner_html(safety: Safety) -> str:
    """The banner: server-side HTML, no script, not dismissible. `{base_url}` is filled in per page."""
    line = safety.crisis_line
    call = _tel(line.phone) if line.phone else None
    text = Markup('<a href="sms:{}" class="crisis-banner__number">{}</a>').format(tel_target(line.text), line.text) if line.text else None
    if call and text:
        reach = _fill(safety.text("banner_call_or_text", call_link="\x00", text_link="\x01"), call, text)
    elif call:
        reach = _fill(safety.text("banner_call", call_link="\x00"), call)
    else:
        reach = _fill(safety.text("banner_text", text_link="\x00"), text)
    emergency = _fill(safety.text("banner_emergency", emergency_link="\x00"), _tel(safety.region.emergency))
    return str(
        Markup(
            '<div id="crisis-banner" class="crisis-banner" role="region" aria-label="{label}">'
            '<p class="crisis-banner__inner">'
            '<strong class="crisis-banner__lead">{lead}</strong> '
            '<span class="crisis-banner__line">{reach} <span class="crisis-banner__name">({name}, {free})</span>.</span> '
            '<span class="crisis-banner__emergency">{emergency}</span> '
            '<a href="{base}{help_path}" class="crisis-banner__help">{help}</a>'
            "</p></div>"
        ).format(
            label=safety.text("banner_label"),
            lead=safety.text("banner_lead"),
            reach=reach,
            name=line.name,
            free=", ".join(filter(None, [safety.text("banner_free"), (line.banner_note or {}).get(safety.locale.language.split("-")[0])])),
            emergency=emergency,
            help=safety.text("banner_help_link"),
            base=BASE_URL_TOKEN,
            help_path=HELP_PATH_TOKEN,
        )
    )


def disclaimer_html(safety: Safety) -> str:
    text = safety.text("disclaimer", emergency=safety.region.emergency, crisis_name=safety.crisis_line.name)
    return str(
        Markup('<aside id="disclaimer" class="site-disclaimer" aria-label="{label}"><p>{text}</p></aside>').format(
            label=safety.text("disclaimer_label"), text=text
        )
    )


def helplines_markdown(safety: Safety) -> str:
    """The full list of the region's lines for the 'Get help now' page."""
    emergency = Markup('<a href="tel:{}">{}</a>').format(tel_target(safety.region.emergency), safety.region.emergency)
    out: list[str] = [str(_fill(safety.text("help_emergency", number="\x00"), emergency)), "{: .help-emergency }", ""]
    lang = safety.locale.language.split("-")[0]
    for line in safety.region.lines:
        out.append(f"### {escape(line.name)}\n")
        items: list[Markup] = []
        if line.phone:
            items.append(Markup('{}: <a href="tel:{}">{}</a>').format(safety.text("help_call"), tel_target(line.phone), line.phone))
        if line.text:
            items.append(Markup('{}: <a href="sms:{}">{}</a>').format(safety.text("help_text"), tel_target(line.text), line.text))
        if line.chat:
            items.append(Markup('<a href="{}">{}</a>').format(line.chat, safety.text("help_chat")))
        if line.email:
            items.append(Markup('{}: <a href="mailto:{}">{}</a>').format(safety.text("help_email"), line.email, line.email))
        if line.url and line.url != line.chat:
            items.append(Markup('{}: <a href="{}">{}</a>').format(safety.text("help_website"), line.url, line.url))
        items.append(Markup("{}: {}").format(safety.text("help_hours"), line.hours))
        if line.notes and lang in line.notes:
            items.append(escape(line.notes[lang]))
        out.extend(f"- {item}" for item in items)
        out.append("")
    out.append(escape(safety.text("help_verified", date=safety.region.verified_on.isoformat(), source=safety.region.source.rstrip("."))))
    return "\n".join(out) + "\n"
