"""linkchecker over the built site: no broken internal link or anchor."""
from __future__ import annotations

import functools
import http.server
import subprocess
import sys
import threading
from pathlib import Path


class _LinkCheckerFriendly(http.server.SimpleHTTPRequestHandler):
    """linkchecker rate-limits plain servers; a `LinkChecker` header lifts the limit for this one."""

    def end_headers(self) -> None:
        self.send_header("LinkChecker", "allow")
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


def test_no_broken_internal_links_or_anchors(built_site: Path, tmp_path: Path) -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_LinkCheckerFriendly, directory=str(built_site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    config = tmp_path / "linkcheckerrc"
    config.write_text("[checking]\nthreads=4\nmaxrequestspersecond=1000\n[filtering]\ncheckextern=0\n[AnchorCheck]\n")
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        result = subprocess.run(
            [sys.executable, "-m", "linkcheck", "--config", str(config), "--no-status", url,
             f"{url}404.html", f"{url}sitemap.xml"],
            capture_output=True, text=True, timeout=600,
        )
    finally:
        server.shutdown()
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "0 warnings found" in result.stdout and "0 errors found" in result.stdout, result.stdout[-4000:]
