"""Field rules of the content schema, and the published JSON Schemas matching the models."""
from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from compassion_site.content.models import Reference
from compassion_site.schemas import SCHEMAS, schema_text

from conftest import ROOT

BASE = dict(id="x", type="book", authors=["A, B."], title="T", container="P", verification="confirmed")


@pytest.mark.parametrize("isbn", ["0-87630-759-4", "978-0-06-173351-2", "978-0-415-44807-9"])
def test_valid_isbns(isbn: str) -> None:
    assert Reference(**BASE, isbn=isbn).isbn == isbn


@pytest.mark.parametrize("isbn", ["0-87630-759-5", "978-0-06-173351-3", "12345"])
def test_bad_isbn_checksums(isbn: str) -> None:
    with pytest.raises(ValidationError, match="not a valid ISBN"):
        Reference(**BASE, isbn=isbn)


@pytest.mark.parametrize(("field", "value", "message"), [
    ("doi", "https://doi.org/10.1/x", "is not a DOI"),
    ("url", "javascript:alert(1)", "starting with http"),
    ("url", "ftp://example.org/", "starting with http"),
])
def test_bad_locators(field: str, value: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Reference(**BASE, **{field: value})


def test_reference_needs_a_locator() -> None:
    with pytest.raises(ValidationError, match="needs a doi, an isbn or a url"):
        Reference(**BASE)


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_published_json_schemas_are_current(name: str) -> None:
    """`make schemas` regenerates these; editors read them through the yaml-language-server header."""
    committed = (ROOT / "schemas" / f"{name}.schema.json").read_text()
    assert committed == schema_text(name), f"schemas/{name}.schema.json is stale: run make schemas"
    assert json.loads(committed)["$schema"].startswith("https://json-schema.org/")


def test_every_yaml_file_names_its_schema() -> None:
    for folder, schema in [("practices", "practice"), ("myths", "myth"), ("references", "reference")]:
        for path in (ROOT / folder).glob("*.yaml"):
            first = path.read_text().splitlines()[0]
            assert first == f"# yaml-language-server: $schema=../schemas/{schema}.schema.json", path


@pytest.mark.parametrize("text", [
    "[1]: https://example.org/", "Read [this][1].\n\n[1]: https://example.org/", "[note]:https://example.org/",
    "Kind words. { onclick=alert(1) }", "Kind words.{.hidden}", "Kind words. {#banner}", "Kind words. {: .x }",
    "See [this](https://example.org/).", "A <b hidden>word", "<https://example.org/>",
])
def test_prose_refuses_links_html_and_attribute_lists(text: str) -> None:
    """Markdown would turn each of these into a link, a tag or an attribute on the page."""
    from compassion_site.content.models import plain_prose

    with pytest.raises(ValueError, match="must be plain text"):
        plain_prose(text)


@pytest.mark.parametrize("text", ["Call {call_link} now.", "A list [1] of things.", "Sets {a, b} and [x] brackets: fine."])
def test_prose_keeps_ordinary_brackets(text: str) -> None:
    from compassion_site.content.models import plain_prose

    assert plain_prose(text) == text
