"""The declared schema of every kind of content file.

These pydantic models are the contract that forks rely on: unknown keys are errors,
types are strict (a quoted "10" is not a number of minutes), and the same models are
exported as JSON Schema so editors can complete and check the YAML as it is typed.
"""
from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
REFERENCE_ID_PATTERN = r"^[a-z][a-z0-9_]*$"
_LINK_SYNTAX = re.compile(r"\]\(|\]:|\{:|\{[ \t]*(?:[.#]|[^\s{}=]+=)|<[a-zA-Z/!?]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029]")
PLACEHOLDER = "FILL IN:"  # how `make new-practice` marks what a volunteer must still write
_PLACEHOLDER_TEXT = re.compile(re.escape(PLACEHOLDER) + r"\s*([^.\n]*)")
# "Put down your phone. - Think back": a list item indented one space too far joins the one above.
_MERGED_ITEM = re.compile(r"[.!?:…]\s+[-*+]\s+\S")


def plain_prose(value: str) -> str:
    """Prose fields hold text, not markup: links, HTML and attribute lists are kept out."""
    if _CONTROL.search(value):
        raise ValueError("contains an invisible control character; retype the text or paste it as plain text")
    if _LINK_SYNTAX.search(value):
        raise ValueError("must be plain text: Markdown links (also '[1]: address' definitions), HTML tags and attribute lists ('{:', '{ key=value }') are not allowed")
    if not value.strip():
        raise ValueError("must not be blank")
    if match := _PLACEHOLDER_TEXT.search(value):
        raise ValueError(f"still holds the skeleton's placeholder; write {match.group(1).strip().rstrip('.').lower() or 'your own text'} here")
    if _MERGED_ITEM.search(value):
        raise ValueError("looks like two list items run together (\". - \"): check that every '- ' of the list starts in the same column")
    return value


Prose = Annotated[str, StringConstraints(min_length=1, max_length=6000), AfterValidator(plain_prose)]
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=200), AfterValidator(plain_prose)]
Title = Annotated[str, StringConstraints(min_length=1, max_length=80), AfterValidator(plain_prose)]
ReferenceId = Annotated[str, StringConstraints(pattern=REFERENCE_ID_PATTERN, max_length=60)]


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class _Reviewed(StrictModel):
    last_reviewed: date = Field(description="When the page's facts and sources were last checked.")
    next_review: date = Field(description="When they must be checked again; the build warns after this date.")

    @model_validator(mode="after")
    def _review_order(self) -> _Reviewed:
        if self.last_reviewed > date.today():
            raise ValueError(f"last_reviewed {self.last_reviewed} is in the future")
        if self.next_review <= self.last_reviewed:
            raise ValueError("next_review must come after last_reviewed")
        return self


class Lesson(StrictModel):
    """A lesson plan a teacher can run from a practice or topic page."""

    age_band: Literal["11-13", "14-16", "16-18", "11-18"] = Field(description="School ages the lesson is written for.")
    duration: int = Field(ge=10, le=120, description="Minutes the lesson takes.")
    objectives: list[Prose] = Field(min_length=2, max_length=6, description="What students will know or be able to do.")
    materials: list[Prose] = Field(min_length=1, max_length=8)
    teacher_steps: list[Prose] = Field(min_length=3, max_length=12)
    discussion_questions: list[Prose] = Field(min_length=2, max_length=8)
    adaptations: list[Prose] = Field(min_length=1, max_length=6, description="Changes for different needs, ages or settings.")
    safeguarding: Prose = Field(description="What to do if a student discloses distress or risk.")


# How far research has tested a practice, strongest first. Each level is named to readers by the
# locale string `evidence_<level>`, shown at the top of the practice's page and in the index.
EvidenceLevel = Literal["tested_alone", "part_of_program", "linked_not_tested", "not_yet_studied"]
EVIDENCE_LEVELS: tuple[str, ...] = get_args(EvidenceLevel)


class Practice(_Reviewed):
    """One practice page: `practices/<slug>.yaml`."""

    title: Title
    evidence_level: EvidenceLevel = Field(
        description="How far research has tested this practice: tested_alone (tested on its own in trials), "
        "part_of_program (part of a tested program), linked_not_tested (linked in studies but not tested "
        "as a practice) or not_yet_studied. The 'evidence' text must agree with it."
    )
    start_here: bool = Field(default=False, description="Listed first in the practices index: the one to try first.")
    summary: ShortText = Field(description="One sentence; also the page's meta description.")
    time: int = Field(ge=1, le=180, description="Minutes the practice takes.")
    suits: Prose = Field(description="Who the practice suits.")
    steps: list[Prose] = Field(min_length=2, max_length=15)
    why: Prose
    evidence: Prose = Field(description="What research says, with [@id] citations.")
    cautions: Prose = Field(description="Cautions and when to get help.")
    gentler_option: Prose | None = Field(default=None, description="A gentler way in, for practices that may stir strong feelings.")
    variations: list[Prose] = Field(min_length=1, max_length=8)
    references: list[ReferenceId] = Field(min_length=1)
    lesson: Lesson | None = None


class Myth(_Reviewed):
    """One myth-and-truth page: `myths/<slug>.yaml`."""

    myth: ShortText = Field(description="The false belief, as one plain sentence.")
    truth: Prose
    explanation: Prose
    references: list[ReferenceId] = Field(min_length=1)


def _doi(value: str) -> str:
    if not re.fullmatch(r"10\.\d{4,9}/\S+", value):
        raise ValueError(f"'{value}' is not a DOI (it looks like 10.1234/abc, without https://doi.org/)")
    return value


def _isbn(value: str) -> str:
    digits = value.replace("-", "").replace(" ", "").upper()
    if re.fullmatch(r"\d{9}[\dX]", digits):
        valid = sum((10 - i) * (10 if c == "X" else int(c)) for i, c in enumerate(digits)) % 11 == 0
    elif re.fullmatch(r"\d{13}", digits):
        valid = sum((3 if i % 2 else 1) * int(c) for i, c in enumerate(digits)) % 10 == 0
    else:
        valid = False
    if not valid:
        raise ValueError(f"'{value}' is not a valid ISBN-10 or ISBN-13 (check the digits and the checksum)")
    return value


def _http_url(value: str) -> str:
    if not re.fullmatch(r"https?://[^\s/$.?#][^\s]*", value):
        raise ValueError(f"'{value}' is not a web address starting with http:// or https://")
    return value


Doi = Annotated[str, AfterValidator(_doi)]
Isbn = Annotated[str, AfterValidator(_isbn)]
HttpUrl = Annotated[str, AfterValidator(_http_url)]
NonEmpty = Annotated[str, StringConstraints(min_length=1, max_length=300, strip_whitespace=True)]


class Reference(StrictModel):
    """One entry of a `references/*.yaml` list."""

    id: ReferenceId
    type: Literal["article", "book", "chapter", "report", "webpage"]
    authors: list[NonEmpty] = Field(min_length=1, description="'Family, I. I.' or an organisation's name.")
    more_authors: bool = Field(
        default=False, description="True when only the first author(s) could be confirmed; shown as 'et al.' rather than guessed."
    )
    year: int | None = Field(default=None, ge=1800, le=2100, description="Leave out when unknown (shown as n.d.).")
    title: NonEmpty
    container: NonEmpty = Field(description="Journal, publisher or website.")
    volume: str | int | None = None
    issue: str | int | None = None
    pages: NonEmpty | None = None
    doi: Doi | None = None
    isbn: Isbn | None = None
    url: HttpUrl | None = None
    verification: Literal["confirmed", "partly-confirmed"] = Field(
        description="How far the details were checked against public indexes; unconfirmed sources stay out."
    )

    @model_validator(mode="after")
    def _locatable(self) -> Reference:
        if not (self.doi or self.isbn or self.url):
            raise ValueError("a reference needs a doi, an isbn or a url so readers can find it")
        if self.year is not None and self.year > date.today().year:
            raise ValueError(f"year {self.year} is in the future")
        return self


class PageFrontMatter(StrictModel):
    """Front matter of a hand-written page in `content/`."""

    title: Title
    description: ShortText
    last_reviewed: date | None = None
    next_review: date | None = None
    hide: list[str] | None = None
    template: str | None = None
    lesson: Lesson | None = None


PhoneNumber = Annotated[str, StringConstraints(pattern=r"^\+?[0-9][0-9 -]{1,19}$")]
EmailAddress = Annotated[str, StringConstraints(pattern=r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$")]
LanguageCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}$")]
HelplineText = Annotated[str, StringConstraints(min_length=1, max_length=400), AfterValidator(plain_prose)]
_NEEDS_NUMBER = ("call", "text", "tty", "videophone")
_NEEDS_URL = ("chat", "video")


class Channel(StrictModel):
    """One way to reach a line. Leave out what the source does not say; the page says only what is here."""

    kind: Literal["call", "text", "chat", "email", "tty", "videophone", "video"] = Field(
        description="call, text (SMS), chat (web), email, tty, videophone (a number called from a videophone) or video (a web video call)."
    )
    number: PhoneNumber | None = Field(default=None, description="For call, text, tty and videophone.")
    url: HttpUrl | None = Field(default=None, description="For chat and video: the address seen in the source.")
    email: EmailAddress | None = Field(default=None, description="For email.")
    keyword: Annotated[str, StringConstraints(pattern=r"^[A-Z0-9]{2,20}$")] | None = Field(
        default=None, description="For text: the word to send, e.g. HOME."
    )
    press: Annotated[str, StringConstraints(pattern=r"^[0-9#*]$")] | None = Field(
        default=None, description="For call: the key to press after the number is answered."
    )
    languages: list[LanguageCode] | None = Field(default=None, description="Languages this channel answers in; leave out when not stated.")

    @model_validator(mode="after")
    def _complete(self) -> Channel:
        given = {name for name in ("number", "url", "email") if getattr(self, name) is not None}
        wanted = "number" if self.kind in _NEEDS_NUMBER else "url" if self.kind in _NEEDS_URL else "email"
        if given != {wanted}:
            raise ValueError(f"a {self.kind} channel needs '{wanted}' and no other address")
        if self.keyword is not None and self.kind != "text":
            raise ValueError("only a text channel has a keyword")
        if self.press is not None and self.kind != "call":
            raise ValueError("only a call channel has a key to press")
        return self


class Helpline(StrictModel):
    """One line of a region, holding only what its sources say. English text; translations in translations/<lang>/safety/."""

    id: Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=60)] = Field(
        description="A short name that stays the same in every language; translations find the line by it."
    )
    name: NonEmpty
    audience: HelplineText | None = Field(default=None, description="Who the line is for, as the source says it.")
    cost: Literal["free"] | None = Field(default=None, description="'free' only when a source says so.")
    open_24_7: bool | None = Field(default=None, description="true only when a source says it is open all day, every day.")
    hours: HelplineText | None = Field(default=None, description="Opening hours in words, when not 24/7 or when they differ by channel.")
    channels: list[Channel] = Field(min_length=1)
    url: HttpUrl | None = Field(default=None, description="The line's website, where a source gives it.")
    notes: HelplineText | None = None
    expect: HelplineText | None = Field(default=None, description="What happens when someone reaches out, as a source describes it.")
    banner_note: HelplineText | None = Field(default=None, description="A few words the banner adds after the number.")
    sources: list[HttpUrl] = Field(min_length=1, description="The pages each fact was read on.")
    verified_on: date = Field(description="When the facts were last checked against the sources.")

    def _number(self, kind: str) -> str | None:
        return next((c.number for c in self.channels if c.kind == kind and c.press is None and c.keyword is None), None)

    @property
    def phone(self) -> str | None:
        """The number to call without pressing a key, if there is one (for code that wants a single number)."""
        return self._number("call")

    @property
    def text(self) -> str | None:
        """The number that takes a text without a keyword, if there is one."""
        return self._number("text")


class Region(StrictModel):
    """The lines and emergency number of one country. The first line is the one the banner shows."""

    country: NonEmpty
    emergency: PhoneNumber
    checked_by_calling: bool = Field(description="false when the lines were read on web pages but not called.")
    lines: list[Helpline] = Field(min_length=1)

    @property
    def verified_on(self) -> date:
        """The oldest check of any line: the date the region as a whole is good for."""
        return min(line.verified_on for line in self.lines)

    @model_validator(mode="after")
    def _crisis_line(self) -> Region:
        if not any(c.kind in ("call", "text") for c in self.lines[0].channels):
            raise ValueError("the first line is the banner's crisis line: it needs a call or text channel")
        ids = [line.id for line in self.lines]
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            raise ValueError("line ids must differ: " + ", ".join(repeated))
        return self


class HelplineTranslation(StrictModel):
    """The words of one line in another language; numbers and addresses are never translated."""

    name: NonEmpty | None = None
    audience: HelplineText | None = None
    hours: HelplineText | None = None
    notes: HelplineText | None = None
    expect: HelplineText | None = None
    banner_note: HelplineText | None = None


class RegionTranslation(StrictModel):
    country: NonEmpty | None = None
    lines: dict[Annotated[str, StringConstraints(pattern=SLUG_PATTERN)], HelplineTranslation] = Field(default_factory=dict)


TRANSLATED_HELPLINE_FIELDS = ("audience", "hours", "notes", "expect")


# Every UI string the pipeline and theme use, with the {placeholders} each must keep.
# A translation that dropped {call_link} would drop the crisis line's link, so this is checked.
REQUIRED_STRINGS: dict[str, frozenset[str]] = {
    key: frozenset(placeholders.split()) for key, placeholders in {
        "banner_label": "", "banner_lead": "", "banner_call_or_text": "call_link text_link", "banner_call": "call_link",
        "banner_call_or_text_same": "call_link text_link", "banner_text_word": "", "banner_text": "text_link", "banner_text_keyword": "keyword text_link",
        "fact_free": "", "fact_always_open": "", "banner_emergency": "emergency_link", "banner_help_link": "",
        "disclaimer_label": "", "disclaimer": "emergency_link crisis_link crisis_name", "help_call": "number",
        "help_call_press": "number press", "help_text": "number", "help_text_keyword": "keyword number", "help_chat": "link",
        "help_email": "address", "help_tty": "number", "help_videophone": "number", "help_video": "link", "help_in_languages": "languages",
        "help_website": "link", "help_free": "", "help_always_open": "", "help_hours": "hours", "help_hours_unknown": "",
        "help_expect": "text", "help_sources": "date links", "help_not_called": "", "help_emergency": "number",
        "references_heading": "", "references_full_list": "", "cite_label": "n", "no_date": "",
        "time_minutes": "n", "time_label": "", "suits_label": "", "steps_heading": "", "why_heading": "",
        "evidence_heading": "", "cautions_heading": "", "gentler_heading": "", "variations_heading": "",
        "myth_label": "", "truth_label": "", "explanation_heading": "", "last_reviewed": "", "next_review": "",
        "practices_title": "", "practices_description": "", "practices_intro": "", "myths_title": "",
        "myths_description": "", "myths_intro": "", "bibliography_title": "", "bibliography_description": "",
        "bibliography_intro": "", "minutes_short": "", "not_found_title": "", "not_found_text": "", "not_found_home": "", "fallback_notice": "", "partial_notice": "",
        "lesson_age": "", "lesson_duration": "", "lesson_objectives": "", "lesson_materials": "",
        "lesson_steps": "", "lesson_discussion": "", "lesson_adaptations": "", "lesson_safeguarding": "",
        "teachers_title": "", "teachers_description": "", "teachers_intro": "", "teachers_none": "", "age_band_label": "band",
        "lesson_title": "title", "lesson_description": "title", "lesson_intro": "", "lesson_link": "",
        "qr_alt": "", "qr_caption": "", "moved_title": "", "moved_text": "", "pages_label": "",
        "poster_title": "title", "poster_qr_alt": "", "poster_scan": "", "campaign_title": "",
        "campaign_description": "", "campaign_intro": "",
        "search_help_title": "", "search_help_text": "", "search_more": "",
        # The guided practice mode (content/assets/guided.js fills in {n} and {total}).
        "guided_start": "", "guided_label": "", "guided_step": "n total", "guided_back": "", "guided_next": "", "guided_finish": "",
        "guided_close": "", "guided_read": "", "guided_stop": "", "guided_timer": "n", "guided_timer_left": "n", "guided_timer_done": "", "guided_done": "",
        "evidence_level_label": "", "kindness_hurts_link": "", "lesson_before": "", "lesson_before_text": "",
        "lesson_ground_rules": "", "lesson_ground_rules_text": "", "lesson_act_now": "", "lesson_act_now_text": "",
        "lesson_after": "", "lesson_after_text": "", "lesson_parents": "", "lesson_parents_text": "title",
        **{f"evidence_{level}": "" for level in EVIDENCE_LEVELS},
    }.items()
}
# Each string's {placeholders} are checked, with its line, by locale_strings.py when the file is loaded.


class Locale(StrictModel):
    """The UI strings of one language: `locales/<code>.yaml`."""

    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Z]{2})?$")]
    direction: Literal["ltr", "rtl"] = "ltr"
    strings: dict[Annotated[str, StringConstraints(pattern=r"^[a-z_]+$")], Annotated[str, StringConstraints(min_length=1)]]
    language_names: dict[LanguageCode, NonEmpty] = Field(
        default_factory=dict, description="Names of languages, in this language, that the helpline list needs and Babel lacks."
    )

    @model_validator(mode="after")
    def _complete(self) -> Locale:
        problems = []
        missing = sorted(set(REQUIRED_STRINGS) - set(self.strings))
        if missing:
            problems.append("missing UI strings: " + ", ".join(missing))
        for key in self.strings:
            if key not in REQUIRED_STRINGS:
                problems.append(f"unknown UI string '{key}'")
        if problems:
            raise ValueError("; ".join(problems))
        return self
