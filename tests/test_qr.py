"""Printed handouts carry a QR code of their own address: made by segno, readable, and the same for the same address."""
from __future__ import annotations

import segno

from compassion_site.render.qr import page_path, qr_src, qr_svg, qr_svgs, wants_qr


def test_a_code_holds_its_address_with_medium_error_correction() -> None:
    address = "https://compassion.example/es/mitos/la-autocompasion-es-debilidad/"
    svg = qr_svg(address).decode()
    assert svg.startswith("<svg") and "<title>" in svg and address in svg
    code = segno.make(address, error="m", micro=False)
    assert code.error == "M" and not code.is_micro


def test_many_codes_are_the_codes_made_one_by_one() -> None:
    addresses = [f"http://127.0.0.1:8000/practices/item-{i:05d}/" for i in range(20)] + ["<&>\"'"]
    assert qr_svgs(addresses) == [qr_svg(a) for a in addresses]
    assert b"&lt;&amp;&gt;" in qr_svgs(["<&>"])[0], "the address in the title is escaped"


def test_which_pages_get_a_code_and_where_it_is_published() -> None:
    assert page_path("index.md") == "" and page_path("learn/x.md") == "learn/x/" and page_path("es/index.md") == "es/"
    assert wants_qr("practices/body-scan.md") and wants_qr("index.md")
    assert not wants_qr("campaign/poster.md") and not wants_qr("practices/index.md") and not wants_qr("references.md")
    assert qr_src("practices/body-scan.md") == "qr/practices/body-scan.svg"
