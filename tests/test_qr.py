"""The quick mask choice must make exactly the codes segno makes on its own."""
from __future__ import annotations

import random

import pytest
import segno
from segno import encoder

from compassion_site.qr import qr_svg, qr_svgs
from compassion_site.qr_masks import _segno_best_mask, fast_masks


def _addresses() -> list[str]:
    rng = random.Random(18004)
    short = [f"http://127.0.0.1:8000/practices/item-{i:05d}/" for i in range(120)]
    mixed = [f"https://example.org/{'ab-c/' * rng.randint(0, 60)}{rng.randint(0, 10**9)}/" for _ in range(80)]
    return short + mixed + ["https://compassion.example/es/mitos/la-autocompasion-es-debilidad/", "a"]


@pytest.mark.parametrize("error", ["l", "m", "q", "h"])
def test_quick_mask_choice_gives_segno_codes(error: str) -> None:
    addresses = _addresses()
    expected = [segno.make(a, error=error, micro=False) for a in addresses]
    with fast_masks():
        made = [segno.make(a, error=error, micro=False) for a in addresses]
    versions = {code.version for code in expected}
    assert min(versions) <= 3 and max(versions) >= 10, "the sample should span small and large symbols"
    for address, want, got in zip(addresses, expected, made):
        assert (got.mask, got.matrix) == (want.mask, want.matrix), address


def test_site_codes_are_byte_identical_to_segno_and_segno_is_left_as_it_was() -> None:
    addresses = _addresses()[:40]
    plain = [qr_svg(a) for a in addresses]  # segno's own mask choice
    assert qr_svgs(addresses) == plain
    assert encoder.find_and_apply_best_mask is _segno_best_mask


def test_micro_codes_and_chosen_masks_still_go_to_segno() -> None:
    with fast_masks():
        micro = segno.make("12345", micro=True)
        chosen = segno.make("https://example.org/", mask=5, micro=False)
    assert micro.is_micro and micro.matrix == segno.make("12345", micro=True).matrix
    assert chosen.mask == 5
