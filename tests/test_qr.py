"""The quick QR steps (compassion_site/qr_fast.py) must make exactly the codes segno makes on its own."""
from __future__ import annotations

import io
import random

import pytest
import segno
from segno import encoder

from compassion_site import qr_fast
from compassion_site.qr import qr_svg, qr_svgs


def _addresses() -> list[str]:
    rng = random.Random(18004)
    short = [f"http://127.0.0.1:8000/practices/item-{i:05d}/" for i in range(120)]
    mixed = [f"https://example.org/{'ab-c/' * rng.randint(0, 60)}{rng.randint(0, 10**9)}/" for _ in range(80)]
    return short + mixed + ["https://compassion.example/es/mitos/la-autocompasion-es-debilidad/", "a", "<&>\"'"]


def _segno_svg(code: segno.QRCode, title: str, scale: int, border: int) -> bytes:
    out = io.BytesIO()
    code.save(out, kind="svg", scale=scale, border=border, xmldecl=False, svgns=True, title=title)
    return out.getvalue()


@pytest.mark.parametrize("error", ["l", "m", "q", "h"])
def test_quick_steps_give_segno_codes(error: str) -> None:
    addresses = _addresses()
    expected = [segno.make(a, error=error, micro=False) for a in addresses]
    with qr_fast.fast_encoding():
        made = [segno.make(a, error=error, micro=False) for a in addresses]
    versions = {code.version for code in expected}
    assert min(versions) <= 3 and max(versions) >= 10, "the sample should span small and large symbols"
    for address, want, got in zip(addresses, expected, made):
        assert (got.mask, got.matrix) == (want.mask, want.matrix), address
        for scale, border in ((4, 2), (1, 0), (3, 4)):
            assert qr_fast.svg(got.matrix, scale=scale, border=border, title=address) == _segno_svg(want, address, scale, border), address


def test_each_quick_step_alone_gives_segno_codes() -> None:
    """A fault in one step could hide behind the other; each is checked on its own too."""
    for address in _addresses()[::7]:
        want = segno.make(address, error="m", micro=False)
        for name, quick in (("find_and_apply_best_mask", qr_fast.find_and_apply_best_mask), ("add_codewords", qr_fast.add_codewords)):
            original = getattr(encoder, name)
            setattr(encoder, name, quick)
            try:
                got = segno.make(address, error="m", micro=False)
            finally:
                setattr(encoder, name, original)
            assert (got.mask, got.matrix) == (want.mask, want.matrix), (name, address)


def test_site_codes_are_byte_identical_to_segno_and_segno_is_left_as_it_was() -> None:
    addresses = _addresses()[:40]
    plain = [qr_svg(a) for a in addresses]  # segno alone
    assert qr_svgs(addresses) == plain
    assert encoder.find_and_apply_best_mask is qr_fast._segno_best_mask
    assert encoder.add_codewords is qr_fast._segno_add_codewords


def test_micro_codes_and_chosen_masks_still_go_to_segno() -> None:
    with qr_fast.fast_encoding():
        micro = segno.make("12345", micro=True)
        chosen = segno.make("https://example.org/", mask=5, micro=False)
    assert micro.is_micro and micro.matrix == segno.make("12345", micro=True).matrix
    assert chosen.mask == 5


def test_svg_leaves_what_it_cannot_copy_exactly_to_segno() -> None:
    code = segno.make("https://example.org/", micro=False)
    light_corner = (bytearray(b"\x00" + bytes(code.matrix[0][1:])), *code.matrix[1:])
    assert qr_fast.svg(light_corner, scale=4, border=2, title="x") is None
    assert qr_fast.svg((bytearray(b"\x01\x02"),), scale=4, border=2, title="x") is None
