"""Colour contrast of the site's own colour variables, checked before any page is written.

A fork rebrands by setting CSS custom properties in `content/assets/site.css`. A brand colour
that makes the crisis banner or the links hard to read must stop the build at once, naming the
variables and the ratio, not after ten minutes of browser tests. Only the pairs below are checked:
text colours against the background they sit on, in the light scheme (`:root`) and in the dark
scheme (a block under `@media (prefers-color-scheme: dark)` or Material's `slate` scheme), where a
variable the dark block leaves unset keeps its light value.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from compassion_site.errors import ErrorCollector

MIN_RATIO = 4.5  # WCAG 2.2 AA for normal text

# (text variable, background variable, where a reader sees the pair)
PAIRS: tuple[tuple[str, str, str], ...] = (
    ("--crisis-fg", "--crisis-bg", "crisis banner text"),
    ("--crisis-link", "--crisis-bg", "crisis banner links"),
    ("--md-primary-bg-color", "--md-primary-fg-color", "header text on the brand colour"),
    ("--md-typeset-a-color", "--md-default-bg-color", "links on the page"),
    ("--md-default-fg-color", "--md-default-bg-color", "body text"),
)

# Material's own values where site.css sets none (its light `default` and dark `slate` schemes).
THEME_DEFAULTS = {
    "light": {"--md-default-bg-color": "#ffffff", "--md-default-fg-color": "rgba(0, 0, 0, 0.87)"},
    "dark": {"--md-default-bg-color": "#1e2129", "--md-default-fg-color": "rgba(226, 228, 233, 0.82)"},
}

_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_DECLARATION = re.compile(r"(--[\w-]+)\s*:\s*([^;}]+)")
_HEX = re.compile(r"^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
_RGB = re.compile(r"^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)(?:[\s,/]+([\d.]+%?))?\s*\)$")


@dataclass(frozen=True)
class Colour:
    value: str
    line: int


def _blocks(css: str) -> list[tuple[str, str, int]]:
    """(scheme, block body, line of the block) for every rule that sets custom properties."""
    css = _COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), css)  # keep line numbers
    found: list[tuple[str, str, int]] = []
    depth_dark: list[bool] = []
    start = 0
    selector_start = 0
    for i, ch in enumerate(css):
        if ch == "{":
            selector = css[selector_start:i]
            dark = "prefers-color-scheme" in selector and "dark" in selector or "slate" in selector
            depth_dark.append(dark or bool(depth_dark and depth_dark[-1]))
            start = i + 1
            selector_start = i + 1
        elif ch == "}":
            body = css[start:i]
            if depth_dark and "--" in body and "{" not in body:
                found.append(("dark" if depth_dark[-1] else "light", body, css.count("\n", 0, start) + 1))
            if depth_dark:
                depth_dark.pop()
            selector_start = i + 1
            start = i + 1
        elif ch == ";":
            selector_start = i + 1
    return found


def colour_variables(css: str) -> dict[str, dict[str, Colour]]:
    """Custom properties per scheme; the dark scheme, where the site has one, starts from the light one."""
    schemes: dict[str, dict[str, Colour]] = {"light": {}, "dark": {}}
    for scheme, body, first_line in _blocks(css):
        for m in _DECLARATION.finditer(body):
            line = first_line + body.count("\n", 0, m.start())
            schemes[scheme][m.group(1)] = Colour(m.group(2).strip(), line)
    if not schemes["dark"]:
        del schemes["dark"]  # no dark scheme: pages stay light at night, nothing more to check
    else:
        schemes["dark"] = {**schemes["light"], **schemes["dark"]}
    return schemes


def rgb(value: str) -> tuple[float, float, float, float] | None:
    """Red, green, blue (0-255) and alpha (0-1) of a hex or rgb() colour; None for anything else."""
    value = value.strip()
    if m := _HEX.match(value):
        digits = m.group(1)
        if len(digits) == 3:
            digits = "".join(d * 2 for d in digits)
        red, green, blue = (int(digits[i : i + 2], 16) for i in (0, 2, 4))
        return float(red), float(green), float(blue), 1.0
    if m := _RGB.match(value):
        alpha = m.group(4) or "1"
        a = float(alpha[:-1]) / 100 if alpha.endswith("%") else float(alpha)
        r, g, b = (float(m.group(i)) for i in (1, 2, 3))
        return r, g, b, a
    return None


def _luminance(r: float, g: float, b: float) -> float:
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG contrast ratio; a translucent text colour is blended over its background first."""
    fg, bg = rgb(foreground), rgb(background)
    if fg is None or bg is None:
        raise ValueError(f"not a colour this check reads: {foreground if fg is None else background}")
    alpha = fg[3]
    blended = tuple(alpha * f + (1 - alpha) * b for f, b in zip(fg[:3], bg[:3], strict=True))
    lighter, darker = sorted((_luminance(*blended), _luminance(*bg[:3])), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


_VAR = re.compile(r"^var\(\s*(--[\w-]+)\s*(?:,\s*([^)]+))?\)$")


def _resolved(colour: Colour | None, known: dict[str, Colour]) -> Colour | None:
    """`--crisis-link: var(--brand)` takes the value of --brand (or the var()'s fallback when
    --brand is unset); a chain of references is followed a few steps, a loop is not."""
    for _ in range(8):
        match = _VAR.match(colour.value.strip()) if colour is not None else None
        if colour is None or match is None:
            return colour
        target = known.get(match.group(1))
        if target is None:
            return Colour(match.group(2).strip(), colour.line) if match.group(2) else colour
        colour = target
    return colour


def check_contrast(css_file: Path, errors: ErrorCollector) -> None:
    """Every declared pair at MIN_RATIO or better in both schemes, else a message naming both variables."""
    if not css_file.is_file():
        return
    name = css_file
    schemes = colour_variables(css_file.read_text(encoding="utf-8"))
    for scheme, variables in schemes.items():
        known = {k: Colour(v, 0) for k, v in THEME_DEFAULTS[scheme].items()} | variables
        for fg_name, bg_name, where in PAIRS:
            fg, bg = _resolved(known.get(fg_name), known), _resolved(known.get(bg_name), known)
            if fg is None or bg is None or fg.line == bg.line == 0:
                continue
            line = max(fg.line, bg.line) or None
            try:
                ratio = contrast_ratio(fg.value, bg.value)
            except ValueError as exc:
                errors.add(name, f"{scheme} scheme, {fg_name} on {bg_name}: {exc} (write it as #rrggbb or rgb())", line=line)
                continue
            if ratio < MIN_RATIO:
                errors.add(
                    name,
                    f"{scheme} scheme: {fg_name} ({fg.value}) on {bg_name} ({bg.value}) has contrast {ratio:.2f}:1, "
                    f"below {MIN_RATIO}:1 ({where}); darken or lighten one of them",
                    line=line,
                )
