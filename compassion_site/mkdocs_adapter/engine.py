"""Running MkDocs: one engine process per edition, stopped with the build, and its
output made readable (a traceback becomes the one line that says what went wrong).

`compassion-site build` (build.py) decides what to build and checks the result; this is the
only code that knows the command line of the engine.
"""
from __future__ import annotations

import functools
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

from compassion_site.errors import os_error_message
from compassion_site.output.publish import die_with_parent
from compassion_site.pipeline import WORDS_CHECKED
from compassion_site.settings import SiteConfig


def start_engine(config: SiteConfig, out: Path, site_url: str, log: Path) -> subprocess.Popen[bytes]:
    """Start MkDocs for one edition (`site_url` is the edition's own address) in its own
    process group, its output kept in `log`; it dies with this process, even when this one is killed outright."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", WORDS_CHECKED: "1", "LOCALE_SITE_URL": site_url}
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--config-file", str(config.path), "--site-dir", str(out)]
    with log.open("wb") as sink:
        return subprocess.Popen(command, cwd=config.root, env=env, stdout=sink, stderr=subprocess.STDOUT,
                                start_new_session=True, preexec_fn=functools.partial(die_with_parent, os.getpid()))  # noqa: PLW1509 - started before the build runs any thread


def stop_engines(engines: list[subprocess.Popen[bytes]]) -> None:
    """End every engine and whatever it started (each runs in a process group of its own)."""
    for engine in engines:
        if engine.poll() is None:
            try:
                os.killpg(engine.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
    for engine in engines:
        try:
            engine.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(engine.pid, signal.SIGKILL)
            engine.wait()


_ENGINE_OS_ERROR = re.compile(r"^(?:\w+\.)*(\w*Error): \[Errno (\d+)\] ([^:\n]*)(?:: '([^'\n]*)')?", re.MULTILINE)


def readable_log(log: str) -> str:
    """An engine's output for a reader: a Python traceback is cut to the error it ends with,
    and an error of the file system is said in words with its path."""
    if "Traceback (most recent call last)" not in log:
        return log
    before = log.split("Traceback (most recent call last)")[0]
    found = _ENGINE_OS_ERROR.search(log)
    if found:
        code = int(found.group(2))
        return before + f"engine: {os_error_message(OSError(code, found.group(3), found.group(4)))}\n"
    last = [line for line in log.strip().splitlines() if line and not line.startswith(" ")][-1:]
    return before + f"engine: stopped with an error: {last[0] if last else 'unknown'}\n"

