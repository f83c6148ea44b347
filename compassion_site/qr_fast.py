"""Quicker equivalents of segno's slowest steps, for a site that prints a code on every page.

A site with thousands of practices and myths makes thousands of codes, and segno does
three steps module by module in Python; here they are done in larger pieces, with
the same result (tests/test_qr.py compares every step's output with segno's own):

- the mask choice (ISO/IEC 18004 7.8.3: try all eight masks, keep the lowest penalty):
  each row is a Python integer with one byte per module, so masking is one XOR per row
  and the penalties are regular-expression and bit counts, following segno's
  `mask_scores` rule for rule;
- codeword placement (7.7.3): the zigzag order of a version's free modules is worked
  out once per size and reused;
- the SVG path (`svg`): one regular expression finds each row's runs of dark modules.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from xml.sax.saxutils import escape

from segno import encoder

_RUN = re.compile(rb"\x00{5,}|\x01{5,}")  # five or more modules of one colour in a line
_FINDER_LIKE = bytes((1, 0, 1, 1, 1, 0, 1))


def _only_light_and_dark(matrix) -> bool:
    """Every module is 0 (light) or 1 (dark): the only matrices the quick steps are written for."""
    return not any(row.translate(None, b"\x00\x01") for row in matrix)


@lru_cache(maxsize=None)
def _mask_rows(size: int) -> tuple[tuple[int, ...], ...]:
    """For each of the eight masks, per row, the modules it flips (data region only), as integers."""
    function = encoder.make_matrix(size, size)
    encoder.add_finder_patterns(function, size, size)
    encoder.add_alignment_patterns(function, size, size)
    function[-8][8] = 0x1
    masks = []
    for pattern in encoder.get_data_mask_functions(False):
        rows = []
        for i in range(size):
            flips = bytes(1 if function[i][j] > 0x1 and pattern(i, j) else 0 for j in range(size))
            rows.append(int.from_bytes(flips, "big"))
        masks.append(tuple(rows))
    return tuple(masks)


def _finder_like_penalty(line: bytes, size: int) -> int:
    """segno's N3 rule for one row or column, unchanged."""
    count = 0
    idx = line.find(_FINDER_LIKE)
    while idx != -1:
        offset = idx + 7
        if idx in (0, size - 7) or not any(line[max(idx - 4, 0):min(idx, size)]) or not any(line[max(offset, 0):min(offset + 4, size)]):
            count += 40
        else:
            offset = idx + 4
        idx = line.find(_FINDER_LIKE, offset)
    return count


def penalty(rows: list[bytes], ints: list[int], size: int) -> int:
    """N1 + N2 + N3 + N4 of a masked symbol (modules 0 or 1), as in ISO/IEC 18004 7.8.3.1."""
    lines = [*rows, *(bytes(column) for column in zip(*rows))]
    joined = b"\x02".join(lines)  # one scan for all lines; the separator ends every run
    runs = _RUN.findall(joined)
    n1 = sum(map(len, runs)) - 2 * len(runs)
    ones = int.from_bytes(b"\x01" * size, "big")
    not_first = ones & ~(1 << 8 * (size - 1))
    same_as_left = [~(x ^ (x >> 8)) & not_first for x in ints]
    n2 = 3 * sum((same_as_left[i] & same_as_left[i - 1] & ~(ints[i] ^ ints[i - 1]) & ones).bit_count() for i in range(1, size))
    n3 = 0
    if _FINDER_LIKE in joined:
        n3 = sum(_finder_like_penalty(line, size) for line in lines if _FINDER_LIKE in line)
    dark = sum(row.count(1) for row in rows)
    n4 = 10 * int(abs(float(dark) / (size**2) * 100 - 50) / 5)
    return n1 + n2 + n3 + n4


def find_and_apply_best_mask(matrix, width, height, proposed_mask=None):
    """Drop-in for segno's function of the same name; Micro QR, a chosen mask or unexpected
    module values go to segno's own code."""
    if width != height or width < 21 or proposed_mask is not None or not _only_light_and_dark(matrix):
        return _segno_best_mask(matrix, width, height, proposed_mask)
    base = [int.from_bytes(row, "big") for row in matrix]
    best_score, best_number, best_rows = None, 0, None
    for number, flips in enumerate(_mask_rows(width)):
        ints = [row ^ flip for row, flip in zip(base, flips)]
        rows = [x.to_bytes(width, "big") for x in ints]
        score = penalty(rows, ints, width)
        if best_score is None or score < best_score:
            best_score, best_number, best_rows = score, number, rows
    assert best_rows is not None
    return best_number, tuple(bytearray(row) for row in best_rows)


_segno_best_mask = encoder.find_and_apply_best_mask


_FREE = bytes(1 if value == 0x2 else 0 for value in range(256))  # segno marks a module not yet set with 0x2


@lru_cache(maxsize=None)
def _free_modules(size: int, layout: bytes) -> tuple[tuple[int, int], ...]:
    """The free modules (0x2) of a symbol in segno's zigzag placement order, for a regular QR
    code of `size`; `layout` (which modules are free) is part of the key so that the order
    is never reused for a matrix that differs."""
    order = []
    for right in range(size - 1, 0, -2):
        if right <= 6:
            right -= 1
        for vertical in range(size):
            for z in range(2):
                j = right - z
                upwards = (((right & 2) == 0) ^ (j < 6))
                i = (size - 1 - vertical) if upwards else vertical
                if layout[i * size + j]:
                    order.append((i, j))
    return tuple(order)


def add_codewords(matrix, codewords, version):
    """Drop-in for segno's function of the same name; Micro QR goes to segno's own code."""
    if version < 1:
        return _segno_add_codewords(matrix, codewords, version)
    size = len(matrix)
    layout = b"".join(matrix).translate(_FREE)
    order = _free_modules(size, layout)
    if len(codewords) > len(order):  # pragma: no cover (segno raises here too)
        raise ValueError(f"Internal error: {len(codewords)} codewords for {len(order)} modules")
    for (i, j), bit in zip(order, codewords):
        matrix[i][j] = bit


_segno_add_codewords = encoder.add_codewords


@contextmanager
def fast_encoding() -> Iterator[None]:
    """Make segno use the quicker mask choice and codeword placement while the block runs."""
    encoder.find_and_apply_best_mask = find_and_apply_best_mask
    encoder.add_codewords = add_codewords
    try:
        yield
    finally:
        encoder.find_and_apply_best_mask = _segno_best_mask
        encoder.add_codewords = _segno_add_codewords


_DARK_RUN = re.compile(rb"[^\x00]+")


def svg(matrix: tuple[bytearray, ...], *, scale: int, border: int, title: str) -> bytes | None:
    """segno's SVG for `save(kind="svg", scale=scale, border=border, xmldecl=False, svgns=True,
    title=title)`, byte for byte; None where that would differ (segno must write it)."""
    size = len(matrix)
    if not size or matrix[0][:1] != b"\x01" or not _only_light_and_dark(matrix):
        return None  # segno's run finder starts as if after a dark module; keep its own output there
    parts = []
    px, py = 0, 0
    for number, row in enumerate(matrix):
        y = number + border  # segno draws at y + 0.5; only the first move is absolute
        for run in _DARK_RUN.finditer(row):
            x1, x2 = run.start() + border, run.end() + border
            if parts:
                parts.append(f"m{x1 - px} {y - py}h{x2 - x1}")
            else:
                parts.append(f"M{x1} {y}.5h{x2 - x1}")
            px, py = x2, y
    width = (size + 2 * border) * scale
    transform = f' transform="scale({scale})"' if scale != 1 else ""
    path = f'<path{transform} class="qrline" stroke="#000" d="{"".join(parts)}"/>'
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{width}" class="segno">'
        f"<title>{escape(title)}</title>{path}</svg>\n"
    ).encode("utf-8")
