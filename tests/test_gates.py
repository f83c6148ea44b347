"""The build guards the words: safe messaging, respectful language, reading level."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from compassion_site.errors import ContentErrors
from compassion_site.gates.safe_language import LanguageRule, scan_text
from compassion_site.pipeline import load_site

from conftest import ROOT, run_cli

HARD_PROSE = (
    "Notwithstanding considerable methodological heterogeneity, contemporary epidemiological "
    "investigations substantiate multidimensional associations between dispositional "
    "self-compassion and psychopathological manifestations, particularly internalising "
    "symptomatology, contingent upon sociodemographic characteristics and measurement invariance. "
) * 3


def site_errors(project: Path) -> list[str]:
    with pytest.raises(ContentErrors) as caught:
        load_site(project)
    return [str(e) for e in caught.value.errors]


def append_paragraph(page: Path, paragraph: str) -> int:
    text = page.read_text()
    page.write_text(text.rstrip("\n") + "\n\n" + paragraph + "\n")
    return text.rstrip("\n").count("\n") + 3


@pytest.mark.parametrize("page", ["content/index.md", "content/get-help.md"])
def test_committed_suicide_fails_with_page_line_and_suggestion(project: Path, page: str) -> None:
    line = append_paragraph(project / page, "He committed suicide last year.")
    (message,) = site_errors(project)
    assert message.startswith(f"{page}:{line}: 'committed suicide' is not safe or respectful wording")
    assert "use: died by suicide" in message
    assert "Reporting on Suicide" in message


def test_unsafe_phrase_in_yaml_field_names_its_line(project: Path) -> None:
    practice = next(p for p in sorted((project / "practices").glob("*.yaml")) if "." not in p.stem)
    text = practice.read_text()
    practice.write_text(text.replace("\ncautions: ", "\ncautions: Never say someone is crazy. ", 1))
    line = practice.read_text().splitlines().index(next(row for row in practice.read_text().splitlines() if "is crazy" in row)) + 1
    messages = site_errors(project)
    assert any(m.startswith(f"practices/{practice.name}:{line}: 'crazy'") for m in messages), messages


def test_phrase_split_across_lines_is_caught() -> None:
    rule = LanguageRule(phrase="committed suicide", use="died by suicide", level="error", source="test")
    (finding,) = scan_text("one\nhe committed\n   suicide", [(rule, rule.regex())], "x.md")
    assert finding.line == 2 and finding.text == "committed suicide"


def test_yaml_comments_are_not_published_words(project: Path) -> None:
    page = project / "locales" / "en.yaml"
    page.write_text(page.read_text() + "# never write 'committed suicide'\n")
    load_site(project)


def test_grade_14_paragraph_fails_and_names_the_hardest_sentences(project: Path) -> None:
    append_paragraph(project / "content" / "get-help.md", HARD_PROSE)
    (message,) = site_errors(project)
    assert message.startswith("content/get-help.md: reading grade ")
    assert "above the maximum 8.0" in message
    assert "Notwithstanding considerable" in message


def test_build_command_reports_gate_failures_without_traceback(project: Path) -> None:
    append_paragraph(project / "content" / "index.md", "They committed suicide.")
    result = run_cli("build", cwd=project)
    assert result.returncode == 1
    assert "'committed suicide' is not safe or respectful wording" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_real_content_passes_every_gate() -> None:
    site = load_site(ROOT)
    assert site.rule_count >= 15
    assert max(g.grade for g in site.grades) <= 8.0


def test_copycheck_finds_no_copied_wording() -> None:
    """Facts from the source articles, never their sentences (shared/tools/copycheck.py)."""
    import os
    import subprocess
    import sys

    tool = ROOT.parent / "shared" / "tools" / "copycheck.py"
    if not tool.is_file():
        if os.environ.get("CI") == "true":
            pytest.fail("../shared/tools/copycheck.py is missing in CI")
        pytest.skip("../shared is not beside this checkout")
    result = subprocess.run([sys.executable, str(tool)], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
    assert " 0 copied runs" in result.stdout


def test_each_language_is_scored_with_its_own_formula() -> None:
    """The same easy French text scores as Kandel-Moles ease, not as an English grade."""
    import textstat

    from compassion_site.gates.readability import grade_of, metric_for

    easy = {"en": "We sit. We breathe. We are kind to us.", "fr": "Nous sommes ici. Nous respirons. Nous sommes doux.",
            "es": "Estamos aquí. Respiramos. Somos amables.", "de": "Wir sind hier. Wir atmen. Wir sind gut.",
            "it": "Siamo qui. Respiriamo. Siamo gentili."}
    hard = {"en": "Institutionalised interdisciplinary epistemological considerations notwithstanding, comprehensive "
                  "reconceptualisation necessitates extraordinarily sophisticated methodological interventions.",
            "fr": "Nonobstant les considérations épistémologiques interdisciplinaires institutionnalisées, la reconceptualisation "
                  "nécessite des interventions méthodologiques extraordinairement sophistiquées.",
            "es": "No obstante las consideraciones epistemológicas interdisciplinarias institucionalizadas, la reconceptualización "
                  "necesita intervenciones metodológicas extraordinariamente sofisticadas.",
            "de": "Ungeachtet institutionalisierter interdisziplinärer erkenntnistheoretischer Überlegungen erfordert die "
                  "Neukonzeptualisierung außerordentlich anspruchsvolle methodologische Interventionen.",
            "it": "Nonostante le considerazioni epistemologiche interdisciplinari istituzionalizzate, la riconcettualizzazione "
                  "richiede interventi metodologici straordinariamente sofisticati."}
    for language, text in easy.items():
        metric = metric_for(language)
        assert metric is not None, language
        simple, dense = (grade_of("page.md", t, language=language).grade for t in (text, hard[language]))
        assert (simple < dense) if metric.higher_is_harder else (simple > dense), (language, metric.name, simple, dense)
    assert metric_for("fr-BE") is metric_for("fr")
    textstat.set_lang("fr")
    assert grade_of("p.md", easy["fr"], language="fr").grade == textstat.flesch_reading_ease(easy["fr"])


def test_a_language_without_a_formula_is_not_graded_but_warned_about(tmp_path: Path) -> None:
    from compassion_site.gates.readability import grade_content, metric_for

    assert metric_for("nl") is None
    assert grade_content(object(), language="nl") == []  # type: ignore[arg-type]


@pytest.mark.parametrize("language", sorted(p.name.split(".")[1] for p in (ROOT / "safety").glob("safe-messaging.*.yaml")))
def test_joined_rule_pattern_finds_whatever_any_single_rule_finds(language: str) -> None:
    """check_files skips a file when the joined pattern finds nothing, so it must miss nothing."""
    from compassion_site.errors import ErrorCollector
    from compassion_site.gates.safe_language import any_rule, load_rules, matchable

    compiled = [(rule, rule.regex()) for rule in load_rules(ROOT, language, ErrorCollector(ROOT))]
    joined = any_rule(compiled)
    assert joined is not None
    samples = [rule.phrase or "" for rule, _ in compiled if rule.phrase]
    samples += ["They committed suicide.", "a failed attempt", "Es un loco.", "una víctima de", "UN SUICIDIO EXITOSO"]
    samples += [variant for sample in list(samples) for variant in (sample.upper(), sample.title(), f"é {sample}")]
    for sample in samples:
        hits = [rule for rule, regex in compiled if regex.search(matchable(sample))]
        assert bool(hits) == bool(joined.search(matchable(sample))), sample
    assert any(joined.search(matchable(sample)) for sample in samples)
    calm = "A calm, kind and ordinary sentence about breathing."
    assert joined.search(calm) is None


@pytest.mark.parametrize(
    ("pattern", "text"),
    [(r"\bmad\b", "MAD"), (r"\bMAD\b", "mad"), (r"\bn\x55ts\b", "NUTS"), (r"\bwild\S*", "WILDLY"),
     (r"\bsane\b", "ſANE"), (r"\bkind\b", "\u212aIND"), (r"\bcommit\s+suicide\b", "commit\u00a0suicide"), (r"\bcommit\s+suicide\b", "commit\u1680suicide")],
)
def test_rules_find_their_words_whatever_the_case_or_spacing(pattern: str, text: str) -> None:
    """Rules ignore case, read compatibility letters (Kelvin sign, long s) as the letters they
    stand for, and any Unicode space as a space."""
    rule = LanguageRule(pattern=pattern, use="other words", level="error", source="test")
    (finding,) = scan_text(f"calm words\n{text}", [(rule, rule.regex())], "x.md")
    assert finding.line == 2
    assert scan_text("a calm sentence", [(rule, rule.regex())], "x.md") == []


def test_phrase_word_edges_follow_unicode_letters() -> None:
    """A phrase is a whole word: not inside a longer word, even one with accented letters."""
    rule = LanguageRule(phrase="loco", use="otra palabra", level="error", source="test")
    found = scan_text("un loco\nlocoé\néloco\nloco_\nLOCO.", [(rule, rule.regex())], "x.md")
    assert [f.line for f in found] == [1, 5]


def test_catastrophic_pattern_runs_in_linear_time() -> None:
    """A pattern that backtracks exponentially in Python's re (minutes for this text) takes
    milliseconds in RE2; no rule can hang the build."""
    import time

    rule = LanguageRule(pattern=r"(a+)+$", use="x", level="error", source="test")
    text = "a" * 40 + "!"
    started = time.process_time()
    assert scan_text(text * 50, [(rule, rule.regex())], "x.md") == []
    assert time.process_time() - started < 1.0


@pytest.mark.parametrize(
    ("pattern", "words"),
    [(r"\b(\w+)\s+\1\b", "not a valid regular expression for RE2"), (r"crazy(?=!)", "not a valid regular expression for RE2"),
     (r"\bsuicidó\b", "outside ASCII"), (r"\b[aá]bc", "outside ASCII")],
)
def test_rule_re2_cannot_run_as_meant_is_refused(pattern: str, words: str) -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match=re.escape(words)):
        LanguageRule(pattern=pattern, use="x", level="error", source="test")
