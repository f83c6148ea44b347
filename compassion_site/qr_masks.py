"""The QR standard's mask choice, done with whole-row operations: same codes, about 3x quicker.

ISO/IEC 18004 says an encoder shall try all eight data masks and keep the one with the
lowest penalty. segno does this module by module in Python, which was 2.1 of the 3 ms a
code took; a site with thousands of practices and myths prints a code on every one.
Here each row is a Python integer with one byte per module, so masking is one XOR per
row and the penalties are regular-expression and bit counts. The scoring follows segno's
`mask_scores` rule for rule, and tests/test_qr.py checks that codes made with
`fast_masks()` are byte-identical to segno's own.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

from segno import encoder

_RUN = re.compile(rb"\x00{5,}|\x01{5,}")  # five or more modules of one colour in a line
_FINDER_LIKE = bytes((1, 0, 1, 1, 1, 0, 1))


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
    if width != height or width < 21 or proposed_mask is not None or any(row.translate(None, b"\x00\x01") for row in matrix):
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


@contextmanager
def fast_masks() -> Iterator[None]:
    """Make segno use the whole-row mask choice while the block runs."""
    encoder.find_and_apply_best_mask = find_and_apply_best_mask
    try:
        yield
    finally:
        encoder.find_and_apply_best_mask = _segno_best_mask
