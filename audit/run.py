"""Lighthouse (mobile) on one page of each type, against the built site served on 127.0.0.1.

Run by `make audit` after `make build`. Scores vary a little from run to run
(performance is timed), so this is a benchmark, not a test; it exits non-zero when a
page misses accessibility, best practices or SEO 100, or performance 98.
"""
from __future__ import annotations

import functools
import http.server
import json
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
def pages(site: Path) -> dict[str, str]:
    """One page of each type, picked from the built site."""
    practice = sorted(p.name for p in (site / "practices").iterdir() if (p / "index.html").is_file())[0]
    myth = sorted(p.name for p in (site / "myths").iterdir() if (p / "index.html").is_file())[0]
    return {
        "home": "",
        "practice": f"practices/{practice}/",
        "myth": f"myths/{myth}/",
        "topic (the heaviest)": "learn/what-the-research-says/",
        "lesson": "lessons/checking-in-on-someone/",
        "bibliography": "references/",
        "404": "404.html",
        "Spanish practice": f"es/practices/{practice}/",
    }
FLAGS = "--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --no-first-run"
GOALS = {"performance": 0.98, "accessibility": 1.0, "best-practices": 1.0, "seo": 1.0}


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def main() -> int:
    site = ROOT / "site"
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    lighthouse = Path(__file__).parent / "node_modules" / ".bin" / "lighthouse"
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    failed = False
    print(f"{'page':22} {'perf':>5} {'a11y':>5} {'best':>5} {'seo':>5}")
    with tempfile.TemporaryDirectory() as tmp:
        for name, path in pages(site).items():
            out = Path(tmp) / "report.json"
            subprocess.run(
                [str(lighthouse), base + path, "--quiet", f"--chrome-flags={FLAGS}", "--output=json", f"--output-path={out}",
                 "--only-categories=performance,accessibility,best-practices,seo"],
                env=env, check=True,
            )
            scores = {k: v["score"] for k, v in json.loads(out.read_text())["categories"].items()}
            missed = [k for k, goal in GOALS.items() if (scores.get(k) or 0) < goal]
            failed |= bool(missed)
            print(f"{name:22} " + " ".join(f"{round((scores.get(k) or 0) * 100):>5}" for k in GOALS) + (f"  below goal: {', '.join(missed)}" if missed else ""))
    server.shutdown()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
