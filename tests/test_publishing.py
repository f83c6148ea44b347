"""Publishing: the swap has no moment without a site, builds of one folder exclude each other,
a stopped or killed build leaves site/ as it was and no engine running, the next build clears
what it left, and faults of the file system are said in words."""
from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from markupsafe import escape
from test_config import MAIN, edit, project_with_edition, tree_digest

from compassion_site.cli import main as cli_main
from compassion_site.mkdocs_adapter.config_file import read_site_config
from compassion_site.mkdocs_adapter.engine import readable_log as engine_report
from compassion_site.output import publish

INJECTED = '<img src=x onerror=alert("{where}")>'


def _files(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True)
    (folder / "index.html").write_text(text)
    (folder / "sub").mkdir()
    (folder / "sub" / "page.html").write_text(text + " page")
    return folder


@pytest.mark.parametrize("exchange", [True, False], ids=["one-step-exchange", "two-renames"])
def test_swap_in_replaces_the_site(exchange: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if not exchange:
        monkeypatch.setattr(publish, "_exchange", lambda a, b: False)
    site = _files(tmp_path / "site", "old")
    new = _files(tmp_path / ".site-building-x", "new")
    publish.swap_in(new, site)
    assert (site / "index.html").read_text() == "new" and (site / "sub" / "page.html").read_text() == "new page"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"], "the old site and the scratch folder are gone"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="renameat2 is Linux's; CI runs on Linux")
def test_exchange_swaps_in_one_step(tmp_path: Path) -> None:
    """On Linux the two folders trade places in one call: at no moment is there no site/."""
    a, b = _files(tmp_path / "a", "A"), _files(tmp_path / "b", "B")
    assert publish._exchange(a, b)
    assert (a / "index.html").read_text() == "B" and (b / "index.html").read_text() == "A"


def test_a_kill_between_two_renames_is_undone(tmp_path: Path) -> None:
    """The fallback's window: the old site renamed away, the new not yet in. The next build puts it back."""
    old = _files(tmp_path / ".site-old-4242", "old")
    _files(tmp_path / ".site-building-abc", "half")
    before = tree_digest(old)
    removed = publish.clean_stale(tmp_path / "site")
    assert tree_digest(tmp_path / "site") == before
    assert [p.name for p in removed] == [".site-building-abc"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_second_build_of_one_folder_fails_clearly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = project_with_edition(tmp_path)
    before = tree_digest(root / "site")
    with publish.build_lock(root / "site"):
        code = cli_main(["build", "--config-file", str(root / MAIN)])
    output = capsys.readouterr().err
    assert code == 1 and f"another build (pid {os.getpid()}) is publishing to {root / 'site'}" in output, output
    assert "Traceback" not in output
    assert tree_digest(root / "site") == before
    with publish.build_lock(root / "site"):
        pass  # the lock was let go


@pytest.mark.parametrize("code,reason", [
    (errno.ENOSPC, "the disk is full"), (errno.EACCES, "permission denied"), (errno.EROFS, "the file system is read-only"),
], ids=["disk-full", "permission", "read-only"])
def test_file_system_faults_are_said_in_words(code: int, reason: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    root = project_with_edition(tmp_path)
    before = tree_digest(root / "site")
    where = str(root / ".site-building-x")

    def fail(*args: object, **kwargs: object) -> str:
        raise OSError(code, os.strerror(code), where)

    monkeypatch.setattr(tempfile, "mkdtemp", fail)
    assert cli_main(["build", "--config-file", str(root / MAIN)]) == 1
    output = capsys.readouterr().err
    assert f"cannot write or read {where}: {reason}" in output and "Traceback" not in output, output
    assert tree_digest(root / "site") == before


def test_an_engine_traceback_becomes_a_message() -> None:
    log = ("INFO - Building\nTraceback (most recent call last):\n  File \"x.py\", line 1, in <module>\n    write()\n"
           "OSError: [Errno 28] No space left on device: '/srv/site/.site-building-1/main/index.html'\n")
    report = engine_report(log)
    assert "Traceback" not in report and "INFO - Building" in report
    assert "cannot write or read /srv/site/.site-building-1/main/index.html: the disk is full" in report
    other = engine_report("Traceback (most recent call last):\n  File \"x\", line 2\nValueError: bad value\n")
    assert "Traceback" not in other and "ValueError: bad value" in other


def _engines_of(root: Path) -> list[int]:
    """Processes running MkDocs on this project's config files."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"mkdocs" in command and any(part.startswith(str(root).encode()) for part in command):
            found.append(int(entry.name))
    return found


def _start_build(root: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.Popen([sys.executable, "-m", "compassion_site", "build", "--config-file", str(root / MAIN)], cwd=root, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for_engines(root: Path, build: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while not _engines_of(root):
        assert build.poll() is None, build.communicate()
        assert time.monotonic() < deadline, "no engine started"
        time.sleep(0.05)


def _gone(root: Path, seconds: float = 15) -> list[int]:
    deadline = time.monotonic() + seconds
    while _engines_of(root) and time.monotonic() < deadline:
        time.sleep(0.1)
    return _engines_of(root)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_interrupted_build_stops_every_engine(tmp_path: Path) -> None:
    """Ctrl-C (SIGINT) or SIGTERM mid-build: a message, exit 130, no engine left, no scratch left, site/ as it was."""
    root = project_with_edition(tmp_path)
    before = tree_digest(root / "site")
    for sig in (signal.SIGINT, signal.SIGTERM):
        build = _start_build(root)
        _wait_for_engines(root, build)
        build.send_signal(sig)
        out, err = build.communicate(timeout=60)
        assert build.returncode == 130, err
        assert "stopped on request" in err and "Traceback" not in err + out, err
        assert _gone(root, 2) == [], "an engine outlived the build"
        assert not list(root.glob(".site-building-*"))
        assert tree_digest(root / "site") == before


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_killed_build_leaves_no_engine_and_the_next_build_cleans_up(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """SIGKILL gives the build no chance to clean up: the engines die with it all the same, site/
    is as it was, and the next build removes the scratch folder it left."""
    root = project_with_edition(tmp_path)
    before = tree_digest(root / "site")
    build = _start_build(root)
    _wait_for_engines(root, build)
    build.kill()
    build.communicate(timeout=60)
    # Within a second: far less than an engine needs to finish its share, so only the kernel ending
    # the engines with their build (not their finishing on their own) passes this.
    assert _gone(root, 1.0) == [], "an engine outlived the killed build"
    left = list(root.glob(".site-building-*"))
    assert left, "a killed build cannot clean up; the next one must"
    assert tree_digest(root / "site") == before
    (root / "practices/corpus-practice.yaml").write_text("title: [\n")  # the next build fails, but cleans up first
    assert cli_main(["build", "--config-file", str(root / MAIN)]) == 1
    output = capsys.readouterr().err
    assert f"removed {left[0].name}, left by an earlier build" in output, output
    assert not list(root.glob(".site-building-*"))
    assert tree_digest(root / "site") == before


def test_redirect_to_a_page_that_is_not_published(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A whole build: the redirect's target is checked against the pages the engines made; then
    `urls --new` starts a manifest where there is none, and a build with it publishes."""
    root = project_with_edition(tmp_path)
    (root / "redirects.yaml").write_text("# test\npractices/old-name/: practices/no-such-practice/\n")
    before = tree_digest(root / "site")
    code = cli_main(["build", "--config-file", str(root / MAIN)])
    output = capsys.readouterr().err
    assert code == 1 and "Traceback" not in output, output
    assert "redirects.yaml:2 (field 'practices/old-name/'): redirects to 'practices/no-such-practice/', which is not a published page" in output, output
    assert tree_digest(root / "site") == before
    (root / "redirects.yaml").write_text("# test\npractices/old-name/: practices/corpus-practice/\n")
    (root / "urls.txt").unlink()
    # Configuration text is plain text: markup in it is shown, never run.
    edit(root, MAIN, r"(?m)^site_name: .*$", f"site_name: '{INJECTED.format(where='name')}'")
    edit(root, MAIN, r"(?m)^site_dir: ", f"copyright: '{INJECTED.format(where='copyright')}'\nsite_dir: ")
    edit(root, MAIN, r"(?m)^    - name: .*$", f"    - name: '{INJECTED.format(where='language')}'")
    language = read_site_config(root / MAIN).language
    edit(root, f"locales/{language}.yaml", r"(?m)^  not_found_text: .*$", f"  not_found_text: '{INJECTED.format(where='locale')}'")
    assert cli_main(["urls", "--new", "--config-file", str(root / MAIN)]) == 0, capsys.readouterr().err
    listed = (root / "urls.txt").read_text().splitlines()
    assert "practices/corpus-practice/" in listed and "practices/old-name/" in listed
    assert (root / "site" / "practices" / "old-name" / "index.html").is_file()
    assert tree_digest(root / "site") != before
    pages = {p: p.read_text(encoding="utf-8") for p in (root / "site").rglob("*.html")}
    for where in ("name", "copyright", "language", "locale"):
        raw = INJECTED.format(where=where)
        assert not [p for p, html in pages.items() if raw in html], f"the {where} reached a page unescaped"
        assert [p for p, html in pages.items() if str(escape(raw)) in html], f"the {where} is not shown on any page"
