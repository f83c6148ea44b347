"""Safe-messaging and respectful-language rules, applied to every source text.

The rules live in `safety/safe-messaging.<lang>.yaml` so a fork can add its own
language's phrases without touching code. Sources are checked (not HTML) so each
finding names the file and the line a volunteer has to change.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from .content import validate
from .errors import ErrorCollector
from .models import NonEmpty, _Strict
from .yaml_source import load_yaml, read_text


class LanguageRule(_Strict):
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
                re.compile(self.pattern)
            except re.error as exc:
                raise ValueError(f"pattern is not a valid regular expression: {exc}") from None
        return self

    def regex(self) -> re.Pattern[str]:
        if self.pattern:
            return re.compile(self.pattern, re.I)
        words = [re.escape(w) for w in self.phrase.split()]  # type: ignore[union-attr]
        return re.compile(r"\b" + r"\s+".join(words) + r"\b", re.I)


class LanguageRules(_Strict):
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


def scan_text(text: str, rules: Iterable[tuple[LanguageRule, re.Pattern[str]]], path: str) -> list[Finding]:
    findings = []
    for rule, regex in rules:
        for match in regex.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            findings.append(Finding(path, line, " ".join(match.group(0).split()), rule))
    return findings


_BACKREFERENCE = re.compile(r"\\[1-9]|\(\?P=")


def any_rule(compiled: list[tuple[LanguageRule, re.Pattern[str]]]) -> re.Pattern[str] | None:
    """One pattern that matches wherever any rule does: most files match none, and one scan of
    each is three times quicker than a scan per rule. None when a rule refers back to its own
    groups (numbering would shift in the joined pattern)."""
    if not compiled or any(_BACKREFERENCE.search(regex.pattern) for _, regex in compiled):
        return None
    return re.compile("|".join(f"(?:{regex.pattern})" for _, regex in compiled), re.I)


# A pattern whose letters are all lower case (so no \S or \W either), with no escape that spells a
# character by its number.
_CASE_FREE = re.compile(r"(?:[^A-Z\\]|\\[^A-Zxu0-9])*")


def prescan(compiled: list[tuple[LanguageRule, re.Pattern[str]]]) -> Callable[[str], bool] | None:
    """A quick test that is true wherever any rule matches: `any_rule`, and where the rules and
    the text are ASCII and no rule spells an upper-case letter, the same pattern case-sensitively
    over the lower-cased text (the same matches, 2.4 times quicker than ignoring case letter by
    letter; outside ASCII, ignoring case has exceptions such as the Kelvin sign)."""
    joined = any_rule(compiled)
    if joined is None:
        return None
    if not (joined.pattern.isascii() and _CASE_FREE.fullmatch(joined.pattern)):
        return lambda text: joined.search(text) is not None
    lowered = re.compile(joined.pattern)
    return lambda text: (lowered.search(text.lower()) if text.isascii() else joined.search(text)) is not None


def check_files(paths: Iterable[Path], rules: list[LanguageRule], errors: ErrorCollector) -> list[Finding]:
    """Record errors for error-level findings; return the warnings."""
    compiled = [(rule, rule.regex()) for rule in rules]
    anything = prescan(compiled)
    warnings = []
    for path in paths:
        text = read_text(path, errors, markdown=path.suffix == ".md")
        if text is None:
            continue
        text = _without_comment_lines(text, path)
        if anything is not None and not anything(text):
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

