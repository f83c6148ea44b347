"""The guided practice mode in real Chromium: by keyboard, in every edition, offline-safe, and
absent without JavaScript (then the numbered list is the practice).

Words are read from locales/<lang>.yaml and steps from the page itself, never written here.
"""
from __future__ import annotations

import pytest
import yaml
from axe_playwright_python.sync_playwright import Axe
from test_reading_browser import AXE_TAGS, a_practice, edition_languages, editions

from conftest import ROOT

SPEECH_STUB = """
window.__spoken = [];
const voice = {name: 'On-device', lang: (document.documentElement && document.documentElement.lang) || 'en', localService: true, default: true};
Object.defineProperty(window, 'speechSynthesis', {configurable: true, value: {
  getVoices: () => [{...voice, lang: document.documentElement.lang}],
  speak: (u) => { window.__spoken.push({text: u.text, lang: u.lang, local: u.voice && u.voice.localService}); },
  cancel: () => {}, addEventListener: () => {},
}});
window.SpeechSynthesisUtterance = function (text) { this.text = text; };
"""


def strings(edition: str) -> dict[str, str]:
    language = edition_languages()[edition]
    return yaml.safe_load((ROOT / "locales" / f"{language}.yaml").read_text())["strings"]


def focused(page) -> str:
    return page.evaluate("document.activeElement ? document.activeElement.className : ''")


@pytest.mark.parametrize("edition", editions())
def test_guided_mode_steps_through_a_practice_by_keyboard(site_url: str, context_factory, edition: str) -> None:
    t = strings(edition)
    page = context_factory(viewport={"width": 375, "height": 700}).new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(site_url + edition + a_practice())
    steps = page.locator("#main-content ol").first.locator("> li").all_inner_texts()
    assert steps
    start = page.locator("button.guided-start")
    assert start.inner_text() == t["guided_start"]
    for _ in range(80):
        page.keyboard.press("Tab")
        if focused(page) == "guided-start":
            break
    assert focused(page) == "guided-start", "Tab reaches the Start button"
    page.keyboard.press("Enter")
    dialog = page.locator("dialog.guided")
    assert dialog.is_visible()
    assert dialog.get_attribute("aria-label") == t["guided_label"]
    axe = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]})
    assert [v["id"] for v in axe.response["violations"]] == []
    for n, step in enumerate(steps, start=1):
        assert page.locator(".guided__counter").inner_text() == t["guided_step"].format(n=n, total=len(steps))
        assert page.locator(".guided__step").inner_text() == " ".join(step.split())
        assert page.evaluate("document.querySelector('dialog.guided').contains(document.activeElement)")
        font = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.guided__step')).fontSize)")
        assert font >= 24, "large text"
        expected = t["guided_finish"] if n == len(steps) else t["guided_next"]
        page.locator(".guided__next").focus()
        assert page.locator(".guided__next").inner_text() == expected
        page.keyboard.press("Enter")
    assert page.locator(".guided__step").inner_text() == t["guided_done"]
    page.keyboard.press("Escape")
    assert not dialog.is_visible()
    assert focused(page) == "guided-start", "leaving gives focus back to Start"
    assert errors == []


def test_escape_leaves_from_any_step_and_tab_stays_inside(site_url: str, context_factory) -> None:
    page = context_factory(viewport={"width": 1280, "height": 800}).new_page()
    page.goto(site_url + a_practice())
    page.locator("button.guided-start").focus()
    page.keyboard.press("Enter")
    inside = 0
    for _ in range(12):
        page.keyboard.press("Tab")
        where = page.evaluate("""() => { const a = document.activeElement;
            return document.querySelector('dialog.guided').contains(a) ? 'in' : a === document.body ? 'browser' : a.className; }""")
        assert where in ("in", "browser"), f"focus went behind the guided mode, to {where}"  # (the browser's own controls may take a turn)
        inside += where == "in"
    assert inside >= 6
    page.keyboard.press("Escape")
    assert not page.locator("dialog.guided").is_visible()
    assert focused(page) == "guided-start"


def test_without_javascript_there_is_no_start_and_the_list_is_the_practice(site_url: str, context_factory) -> None:
    page = context_factory(java_script_enabled=False).new_page()
    page.goto(site_url + a_practice())
    assert page.locator("button.guided-start").count() == 0
    assert page.locator("#main-content ol").first.locator("> li").count() >= 2


def test_start_appears_on_practice_pages_only(site_url: str, context_factory) -> None:
    page = context_factory().new_page()
    page.goto(site_url)
    page.wait_for_load_state("networkidle")
    assert page.locator("button.guided-start").count() == 0
    page.goto(site_url + a_practice())
    assert page.locator("button.guided-start").count() == 1


def test_read_aloud_uses_an_on_device_voice_in_the_page_language(site_url: str, context_factory) -> None:
    edition = editions()[-1]
    t = strings(edition)
    context = context_factory()
    context.add_init_script(SPEECH_STUB)
    page = context.new_page()
    page.goto(site_url + edition + a_practice())
    page.locator("button.guided-start").click()
    read = page.locator(".guided__read")
    assert read.is_visible() and read.inner_text() == t["guided_read"]
    read.focus()
    page.keyboard.press("Enter")
    spoken = page.evaluate("window.__spoken")
    first = page.locator(".guided__step").inner_text()
    assert spoken == [{"text": first, "lang": page.evaluate("document.documentElement.lang"), "local": True}]
    assert read.inner_text() == t["guided_stop"]


def test_read_aloud_is_not_offered_without_an_on_device_voice(site_url: str, context_factory) -> None:
    context = context_factory()
    context.add_init_script(SPEECH_STUB.replace("localService: true", "localService: false"))
    page = context.new_page()
    page.goto(site_url + a_practice())
    page.locator("button.guided-start").click()
    assert not page.locator(".guided__read").is_visible(), "a network voice would send the reader's words away"


def test_gentle_timer_counts_down_and_never_moves_on(site_url: str, context_factory) -> None:
    t = strings(editions()[0])
    page = context_factory().new_page()
    page.clock.install()
    page.goto(site_url + a_practice())
    page.locator("button.guided-start").click()
    before = page.locator(".guided__step").inner_text()
    page.locator(".guided__timer").click()
    assert page.locator(".guided__timer").get_attribute("aria-pressed") == "true"
    page.clock.run_for(60_000)
    assert page.locator(".guided__status").inner_text() == t["guided_timer_done"]
    assert page.locator(".guided__step").inner_text() == before, "the timer does not change the step"


@pytest.mark.parametrize("motion", ["reduce", "no-preference"])
def test_guided_mode_moves_only_when_motion_is_welcome(site_url: str, context_factory, motion: str) -> None:
    page = context_factory(reduced_motion=motion).new_page()
    page.goto(site_url + a_practice())
    page.locator("button.guided-start").click()
    animations = page.evaluate("document.getAnimations().filter(a => document.querySelector('dialog.guided').contains(a.effect.target)).length")
    assert (animations == 0) == (motion == "reduce")
