"""The crisis banner, the disclaimer and the help list, from one place.

Helpline facts live in `safety/helplines.yaml` (English words), their words in other
languages in `translations/<lang>/safety/helplines.yaml`, and the site's own wording in
`locales/<lang>.yaml`; `extra.region` picks the region. A page says only what an entry
holds: "free" only for `cost: free`, "24/7" only for `open_24_7: true`, a language only
where a channel lists it. The HTML is rendered here, not in the theme, so any engine that
can paste a string into a page can carry it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from babel import Locale as BabelLocale
from babel import UnknownLocaleError
from babel.dates import format_date
from babel.lists import format_list
from markupsafe import Markup, escape

from compassion_site.content.load import validate
from compassion_site.content.locale_strings import placeholder_problems
from compassion_site.content.models import (
    REQUIRED_STRINGS,
    TRANSLATED_HELPLINE_FIELDS,
    Channel,
    Helpline,
    Locale,
    Region,
    RegionTranslation,
)
from compassion_site.content.yaml_source import LineMap, line_of, load_yaml
from compassion_site.errors import ErrorCollector

BASE_URL_TOKEN = "{base_url}"
HELP_PATH_TOKEN = "{help_path}"
DEFAULT_MAX_AGE_DAYS = 365
SOURCE_LANGUAGE = "en"
HELPLINES = Path("safety") / "helplines.yaml"


def translation_path(language: str) -> Path:
    """Where an edition's words for the helplines live: a mirror of the English file's words."""
    return Path("translations") / language / "safety" / "helplines.yaml"


@dataclass(frozen=True)
class Safety:
    """Everything a page needs to show a route to help, in the edition's language."""

    region_code: str
    region: Region
    locale: Locale
    warnings: tuple[str, ...] = ()

    @property
    def crisis_line(self) -> Helpline:
        return self.region.lines[0]

    def text(self, key: str, **values: object) -> Markup:
        """A UI string with its placeholders filled; plain values are escaped, Markup is kept."""
        return Markup(escape(self.locale.strings[key])).format(**values)

    def language_name(self, code: str) -> str | None:
        """The language's name in the edition's language, or None when neither the locale nor Babel has one."""
        return self.locale.language_names.get(code) or _babel_language_name(self.locale.language, code)

    def tel_numbers(self) -> list[str]:
        """The `tel:` targets every banner must carry: the crisis line's phone (if it has one) and the emergency number."""
        call = _first(self.crisis_line, "call")
        return [tel_target(n) for n in (call.number if call else None, self.region.emergency) if n]


def tel_target(number: str) -> str:
    return re.sub(r"[^0-9+]", "", number)


def _babel(locale: str) -> BabelLocale | None:
    """Babel's data for a language, or None for one it does not know (a fork's language may be new to it)."""
    try:
        return BabelLocale.parse(locale.replace("-", "_"))
    except (ValueError, LookupError, UnknownLocaleError):
        return None


def _babel_language_name(locale: str, code: str) -> str | None:
    known = _babel(locale)
    return known.languages.get(code) if known else None


def _date(day: date, locale: str) -> str:
    known = _babel(locale)
    return format_date(day, format="long", locale=known) if known else day.isoformat()


def _list(items: list[str], locale: str) -> str:
    known = _babel(locale)
    return format_list(items, locale=known) if known else ", ".join(items)


def _first(line: Helpline, kind: str) -> Channel | None:
    """The channel of `kind` the banner uses: the first one without a key to press, else the first."""
    channels = [c for c in line.channels if c.kind == kind]
    return next((c for c in channels if c.press is None), channels[0] if channels else None)


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


def load_regions(root: Path, errors: ErrorCollector) -> tuple[dict[str, Region], Any]:
    """Every region of `safety/helplines.yaml`, each validated, so a broken entry fails whichever region is published."""
    path = root / HELPLINES
    data = load_yaml(path, errors)
    if data is None:
        return {}, None
    if not isinstance(data, LineMap):
        errors.add(path, "should map region codes (like US) to their crisis lines", line=1)
        return {}, None
    regions: dict[str, Region] = {}
    for code in data:
        if isinstance(code, bool):
            errors.add(path, "YAML reads this region code as true or false; put it in quotes, like \"NO\":", line=line_of(data, (code,)))
            continue
        if not re.fullmatch(r"[A-Z]{2}", str(code)):
            errors.add(path, f"'{code}' is not a region code: use the two capital letters of ISO 3166-1 (like US)", line=line_of(data, (code,)), field=str(code))
            continue
        entry = validate(Region, data[code], path, errors, loc_prefix=(code,))
        if entry is not None:
            regions[code] = entry
            for i, line in enumerate(entry.lines):
                if line.verified_on > date.today():
                    errors.add(path, f"verified_on {line.verified_on} is in the future",
                               line=line_of(data, (code, "lines", i, "verified_on")), field=f"{code}.lines.{i}.verified_on")
    return regions, data


def _load_translation(root: Path, language: str, regions: dict[str, Region], errors: ErrorCollector) -> tuple[dict[str, RegionTranslation], Any]:
    """The edition's words for each region's lines; every region and line it names must exist."""
    path = root / translation_path(language)
    if not path.is_file():
        return {}, None
    data = load_yaml(path, errors)
    if data is None:
        return {}, None
    if not isinstance(data, LineMap):
        errors.add(path, "should map region codes (like US) to the words of their lines", line=1)
        return {}, None
    found: dict[str, RegionTranslation] = {}
    for code in data:
        if code not in regions:
            errors.add(path, f"region '{code}' is not in {HELPLINES.as_posix()}", line=line_of(data, (code,)), field=str(code))
            continue
        entry = validate(RegionTranslation, data[code], path, errors, loc_prefix=(code,))
        if entry is None:
            continue
        known = {line.id for line in regions[code].lines}
        for line_id in entry.lines:
            if line_id not in known:
                errors.add(path, f"{code} has no line with id '{line_id}' in {HELPLINES.as_posix()}", line=line_of(data, (code, "lines", line_id)), field=f"{code}.lines.{line_id}")
        found[code] = entry
    return found, data


def _in_language(code: str, region: Region, language: str, translations: dict[str, RegionTranslation], data: Any, path: Path, warnings: list[str]) -> Region:
    """The region with its words in `language`. An untranslated word is left out, with a warning, never shown in English:
    the numbers and links still stand, and the list says nothing it cannot say in the reader's language."""
    if language == SOURCE_LANGUAGE:
        return region
    words = translations.get(code, RegionTranslation())
    lines = []
    for line in region.lines:
        given = words.lines.get(line.id)
        missing = [f for f in (*TRANSLATED_HELPLINE_FIELDS, "banner_note") if getattr(line, f) is not None and (given is None or getattr(given, f) is None)]
        if missing:
            where = path.as_posix() + (f":{line_of(data, (code, 'lines', line.id))}" if data is not None and line.id in words.lines else "")
            warnings.append(
                f"{where} (field '{code}.lines.{line.id}'): the {code} line '{line.id}' has no {language} words for "
                f"{', '.join(missing)}, so its {language} pages leave them out; add them (the English is in {HELPLINES.as_posix()})"
            )
        update: dict[str, object] = {f: None for f in (*TRANSLATED_HELPLINE_FIELDS, "banner_note")}
        if given is not None:
            update.update({f: getattr(given, f) for f in ("name", *TRANSLATED_HELPLINE_FIELDS, "banner_note") if getattr(given, f) is not None})
        lines.append(line.model_copy(update=update))
    return region.model_copy(update={"lines": lines, "country": words.country or region.country})


def load_safety(
    root: Path, *, region: str, language: str = "en", today: date | None = None, max_age_days: int = DEFAULT_MAX_AGE_DAYS
) -> tuple[Safety | None, ErrorCollector]:
    """The safety furniture for one region and language, or the reasons it cannot be shown.

    Every region of the file is validated, not only `region`; the age limit applies to the
    published region's lines. Words missing in `language` become `Safety.warnings`.
    """
    errors = ErrorCollector(root.resolve())
    warnings: list[str] = []
    path = root / HELPLINES
    locale = load_locale(root, language, errors)
    regions, data = load_regions(root, errors)
    if data is None:
        return None, errors
    lang = language.split("-")[0]
    translations, translation_data = _load_translation(root, lang, regions, errors)
    if region not in data:
        known = ", ".join(sorted(map(str, data)))
        errors.add(path, f"has no entry for region '{region}' set in extra.region (regions with entries: {known})", field=region)
        return None, errors
    entry = regions.get(region)
    if entry is not None:
        for i, line in enumerate(entry.lines):
            age = ((today or date.today()) - line.verified_on).days
            if age > max_age_days:
                errors.add(
                    path,
                    f"the {region} line '{line.id}' was last verified on {line.verified_on}, {age} days ago (the limit is "
                    f"{max_age_days}); check it against its sources, then update verified_on and sources",
                    line=line_of(data, (region, "lines", i, "verified_on")),
                    field=f"{region}.lines.{i}.verified_on",
                )
        entry = _in_language(region, entry, lang, translations, translation_data, translation_path(lang), warnings)
        if locale is not None:
            warnings.extend(_unnamed_languages(entry, locale, language))
    if errors.errors or locale is None or entry is None:
        return None, errors
    return Safety(region, entry, locale, tuple(warnings)), errors


def _unnamed_languages(region: Region, locale: Locale, language: str) -> list[str]:
    codes = sorted({code for line in region.lines for c in line.channels for code in c.languages or ()})
    return [
        f"locales/{language}.yaml (field 'language_names'): no name in '{locale.language}' for the language code '{code}' a "
        f"helpline uses, so the help list leaves it out; add it under language_names"
        for code in codes
        if code not in locale.language_names and _babel_language_name(locale.language, code) is None
    ]


def _tel(number: str, css: str = "crisis-banner__number") -> Markup:
    return Markup('<a href="tel:{}" class="{}">{}</a>').format(tel_target(number), css, number)


def _sms(number: str, css: str = "crisis-banner__number") -> Markup:
    return Markup('<a href="sms:{}" class="{}">{}</a>').format(tel_target(number), css, number)


def _reach(safety: Safety) -> Markup:
    """How to reach the crisis line, each number once: 'Call or text 988', 'Call 116 123', 'Text SHOUT to 85258'."""
    line = safety.crisis_line
    call, text = _first(line, "call"), _first(line, "text")
    if call and text and call.number == text.number and text.keyword is None:
        # The number is shown once; the word "text" is the sms: link to it.
        word = Markup('<a href="sms:{}" class="crisis-banner__text">{}</a>').format(tel_target(text.number or ""), safety.text("banner_text_word"))
        return safety.text("banner_call_or_text_same", call_link=_tel(call.number or ""), text_link=word)
    text_part = None
    if text:
        if text.keyword:
            text_part = safety.text("banner_text_keyword", keyword=text.keyword, text_link=_sms(text.number or ""))
        else:
            text_part = safety.text("banner_text", text_link=_sms(text.number or ""))
    if call and text and text.keyword is None:
        return safety.text("banner_call_or_text", call_link=_tel(call.number or ""), text_link=_sms(text.number or ""))
    call_part = safety.text("banner_call", call_link=_tel(call.number or "")) if call else None
    return Markup(". ").join(p for p in (call_part, text_part) if p)


def crisis_banner_html(safety: Safety) -> str:
    """The banner: server-side HTML, no script, not dismissible. `{base_url}` is filled in per page."""
    line = safety.crisis_line
    facts = [
        *([safety.text("fact_free")] if line.cost == "free" else []),
        *([safety.text("fact_always_open")] if line.open_24_7 else []),
        *([escape(line.banner_note)] if line.banner_note else []),
    ]
    said = Markup(" <span class=\"crisis-banner__facts\">({})</span>").format(Markup(", ").join(facts)) if facts else Markup("")
    return str(
        Markup(
            '<div id="crisis-banner" class="crisis-banner" role="region" aria-label="{label}">'
            '<p class="crisis-banner__inner">'
            '<strong class="crisis-banner__lead">{lead}</strong> '
            '<span class="crisis-banner__line">{reach}{said}.</span> '
            '<span class="crisis-banner__emergency">{emergency}.</span> '
            '<a href="{base}{help_path}" class="crisis-banner__help">{help}</a>'
            "</p></div>"
        ).format(
            label=safety.text("banner_label"),
            lead=safety.text("banner_lead"),
            reach=_reach(safety),
            said=said,
            emergency=safety.text("banner_emergency", emergency_link=_tel(safety.region.emergency)),
            help=safety.text("banner_help_link"),
            base=BASE_URL_TOKEN,
            help_path=HELP_PATH_TOKEN,
        )
    )


def disclaimer_html(safety: Safety) -> str:
    """The footer note, with the emergency number and the crisis line as links like the banner's."""
    line = safety.crisis_line
    call, text = _first(line, "call"), _first(line, "text")
    crisis_link = _tel(call.number or "", "site-disclaimer__number") if call else _sms((text.number if text else None) or "", "site-disclaimer__number")
    body = safety.text(
        "disclaimer", emergency_link=_tel(safety.region.emergency, "site-disclaimer__number"), crisis_link=crisis_link, crisis_name=line.name
    )
    return str(
        Markup('<aside id="disclaimer" class="site-disclaimer" aria-label="{label}"><p>{text}</p></aside>').format(
            label=safety.text("disclaimer_label"), text=body
        )
    )


def _shown(url: str, *, path: bool = True) -> str:
    """A web address as a reader would type it: no scheme, no 'www.', no trailing slash."""
    bare = re.sub(r"^https?://(www\.)?", "", url)
    return bare.rstrip("/") if path else bare.split("/")[0]


def _link(url: str, *, path: bool = True) -> Markup:
    return Markup('<a href="{}">{}</a>').format(url, _shown(url, path=path))


def _channel(safety: Safety, channel: Channel) -> Markup:
    number = channel.number or ""
    if channel.kind == "call":
        link = Markup('<a href="tel:{}">{}</a>').format(tel_target(number), number)
        said = safety.text("help_call_press", number=link, press=channel.press) if channel.press else safety.text("help_call", number=link)
    elif channel.kind == "text":
        link = Markup('<a href="sms:{}">{}</a>').format(tel_target(number), number)
        said = safety.text("help_text_keyword", keyword=channel.keyword, number=link) if channel.keyword else safety.text("help_text", number=link)
    elif channel.kind in ("tty", "videophone"):
        said = safety.text(f"help_{channel.kind}", number=Markup('<a href="tel:{}">{}</a>').format(tel_target(number), number))
    elif channel.kind == "email":
        said = safety.text("help_email", address=Markup('<a href="mailto:{}">{}</a>').format(channel.email, channel.email))
    else:
        said = safety.text(f"help_{channel.kind}", link=_link(channel.url or ""))
    languages = channel_languages(safety, channel)
    return Markup("{} ({})").format(said, languages) if languages else said


def channel_languages(safety: Safety, channel: Channel) -> Markup | None:
    """'in Spanish' for a channel whose entry names its languages, in the edition's language."""
    named = [name for name in map(safety.language_name, channel.languages or ()) if name]
    return safety.text("help_in_languages", languages=_list(named, safety.locale.language)) if named else None


def _line_markdown(safety: Safety, line: Helpline) -> list[str]:
    out = [f"### {escape(line.name)}", ""]
    if line.audience:
        out += [str(escape(line.audience)), ""]
    items = [_channel(safety, c) for c in line.channels]
    if line.open_24_7:
        items.append(safety.text("help_always_open"))
    if line.hours:
        items.append(safety.text("help_hours", hours=line.hours))
    if not line.open_24_7 and not line.hours:
        items.append(safety.text("help_hours_unknown"))
    if line.cost == "free":
        items.append(safety.text("help_free"))
    if line.url:
        items.append(safety.text("help_website", link=_link(line.url)))
    if line.notes:
        items.append(escape(line.notes))
    if line.expect:
        items.append(safety.text("help_expect", text=line.expect))
    sources = Markup(", ").join(_link(url, path=False) for url in line.sources)
    when = _date(line.verified_on, safety.locale.language)
    items.append(Markup('<span class="help-source">{}</span>').format(safety.text("help_sources", date=when, links=sources)))
    return [*out, *(f"- {item}" for item in items), ""]


def helplines_markdown(safety: Safety) -> str:
    """The full list of the region's lines for the 'Get help now' page, composed only from the data."""
    emergency = Markup('<a href="tel:{}">{}</a>').format(tel_target(safety.region.emergency), safety.region.emergency)
    out: list[str] = [str(safety.text("help_emergency", number=emergency)), "{: .help-emergency }", ""]
    for line in safety.region.lines:
        out.extend(_line_markdown(safety, line))
    if not safety.region.checked_by_calling:
        out.append(str(safety.text("help_not_called")))
    return "\n".join(out) + "\n"
