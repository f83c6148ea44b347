"""Safe-messaging and respectful-language rules, applied to every source text.

The rules live in `safety/safe-messaging.<lang>.yaml` so a fork can add its own
language's phrases without touching code. Sources are checked (not HTML) so each
finding names the file and the line a volunteer has to change.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import re2  # google-re2 ships no type information (see [tool.mypy] in pyproject.toml)
from pydantic import Field, model_validator

from compassion_site.content.load import validate
from compassion_site.content.models import NonEmpty, StrictModel
from compassion_site.content.yaml_source import load_yaml, read_text
from compassion_site.errors import ErrorCollector


def _options() -> re2.Options:
    options = re2.Options()
    options.case_sensitive = False
    options.log_errors = False  # a bad pattern is reported as a content error, not on stderr
    return options


RE2_OPTIONS = _options()
# A `\b` beside a character outside ASCII: RE2 counts only ASCII letters, digits and '_' as word
# characters, so such a boundary would never match where the writer meant it to.
_NON_ASCII_BOUNDARY = re.compile(r"(?<!\\)\\b(?:[^\x00-\x7f]|\[[^\]]*[^\x00-\x7f])|[^\x00-\x7f]\\b")
# Whitespace that Python's \s knows and RE2's \s (ASCII only) does not: read as a plain space,
# so 'committed' + no-break space + 'suicide' is still found. One character for one, so the
# positions and lines of findings do not move.
_OTHER_SPACES = {c: " " for c in range(0x80, 0x3001) if chr(c).isspace()} | {c: " " for c in (0x0B, 0x1C, 0x1D, 0x1E, 0x1F)}
_ANY_OTHER_SPACE = re.compile("[" + "".join(map(chr, _OTHER_SPACES)) + "]")  # translate() is slow; most texts have none


class LanguageRule(StrictModel):
    """One rule. Patterns are RE2 syntax (run in time linear in the text, so no pattern can
    hang the build): no backreferences or lookarounds, and \\b, \\w, \\d, \\s are ASCII."""

    phrase: NonEmpty | None = None
    pattern: NonEmpty | None = None
    use: NonEmpty = Field(description="What to write instead.")
    level: Literal["error", "warning"]
    source: NonEmpty = Field(description="The guidance the rule comes from.")

    @model_validator(mode="after")
    def _one_matcher(self) -> LanguageRule:
        if bool(self.phrase) == bool(self.pattern):
            raise ValueError("give exactly one of phrase or pattern")
        if self.pattern:
            try:
                re2.compile(self.pattern, RE2_OPTIONS)
            except re2.error as exc:
                reason = exc.args[0].decode(errors="replace") if exc.args and isinstance(exc.args[0], bytes) else str(exc)
                raise ValueError(f"pattern is not a valid regular expression for RE2, the linear-time engine the rules run on "
                                 f"(no backreferences or lookarounds): {reason}") from None
            if _NON_ASCII_BOUNDARY.search(self.pattern):
                raise ValueError("pattern puts \\b beside a letter outside ASCII, where RE2 never sees a word boundary; "
                                 "remove that \\b (or use a phrase, whose word edges are checked in full)")
        return self

    def regex(self) -> Any:
        """The compiled RE2 pattern. A phrase is its words with any run of spaces between them;
        its word edges are checked by `scan_text`, with Python's (Unicode) idea of a word."""
        if self.pattern:
            return re2.compile(self.pattern, RE2_OPTIONS)
        return re2.compile(r"\s+".join(re2.escape(w) for w in self.phrase.split()), RE2_OPTIONS)  # type: ignore[union-attr]


class LanguageRules(StrictModel):
    language: NonEmpty
    rules: list[LanguageRule] = Field(min_length=1)


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    text: str
    rule: LanguageRule

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: '{self.text}' is not safe or respectful wording; use {self.rule.use} (rule source: {self.rule.source})"


def rules_path(root: Path, language: str) -> Path:
    return root / "safety" / f"safe-messaging.{language}.yaml"


def load_rules(root: Path, language: str, errors: ErrorCollector) -> list[LanguageRule]:
    path = rules_path(root, language)
    if not path.is_file():
        errors.add(path, f"no safe-messaging rules for language '{language}': create this file")
        return []
    data = load_yaml(path, errors, scalar_aliases=True)
    rules = validate(LanguageRules, data, path, errors) if data is not None else None
    return list(rules.rules) if rules else []


def matchable(text: str) -> str:
    """The text as the rules read it: compatibility forms folded (the Kelvin sign is a K, a long
    s an s, as RE2's case folding does not know) and every space a plain one."""
    text = unicodedata.normalize("NFKC", text)
    return text.translate(_OTHER_SPACES) if _ANY_OTHER_SPACE.search(text) else text


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def _at_word_edges(text: str, start: int, end: int) -> bool:
    """Whether a match begins and ends on a word boundary as Python's \\b sees one."""
    before, first, last, after = text[start - 1 : start], text[start : start + 1], text[end - 1 : end], text[end : end + 1]
    return (_is_word(before) if before else False) != _is_word(first) and _is_word(last) != (_is_word(after) if after else False)


def scan_text(text: str, rules: Iterable[tuple[LanguageRule, Any]], path: str) -> list[Finding]:
    text = matchable(text)
    findings = []
    for rule, regex in rules:
        for match in regex.finditer(text):
            if rule.phrase and not _at_word_edges(text, match.start(), match.end()):
                continue
            line = text.count("\n", 0, match.start()) + 1
            findings.append(Finding(path, line, " ".join(match.group(0).split()), rule))
    return findings


def any_rule(compiled: list[tuple[LanguageRule, Any]]) -> Any:
    """One pattern that matches wherever any rule does: most files match none, and one scan of
    each is quicker than a scan per rule (RE2 runs the alternatives side by side)."""
    if not compiled:
        return None
    return re2.compile("|".join(f"(?:{regex.pattern})" for _, regex in compiled), RE2_OPTIONS)


def check_files(paths: Iterable[Path], rules: list[LanguageRule], errors: ErrorCollector) -> list[Finding]:
    """Record errors for error-level findings; return the warnings."""
    compiled = [(rule, rule.regex()) for rule in rules]
    anything = any_rule(compiled)
    warnings = []
    for path in paths:
        text = read_text(path, errors, markdown=path.suffix == ".md")
        if text is None:
            continue
        text = _without_comment_lines(text, path)
        if anything is not None and anything.search(matchable(text)) is None:
            continue
        for finding in scan_text(text, compiled, errors.relative(path)):
            if finding.rule.level == "error":
                errors.add(path, f"'{finding.text}' is not safe or respectful wording; use: {finding.rule.use} (source: {finding.rule.source})", line=finding.line)
            else:
                warnings.append(finding)
    return warnings


def _without_comment_lines(text: str, path: Path) -> str:
    """YAML comments are notes to editors, not published words; keep line numbers intact."""
    if path.suffix != ".yaml":
        return text
    return "\n".join("" if line.lstrip().startswith("#") else line for line in text.split("\n"))

