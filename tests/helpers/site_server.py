"""Serve the built book on 127.0.0.1 for the browser tests, and open a locked-down Chromium."""

from __future__ import annotations

import functools
import gzip
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO
from pathlib import Path

# Flags that keep Chromium from calling home on a closed network (and let it run as root in CI).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


# What a real static host compresses: text, scripts, styles, JSON and SVG.
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "image/svg+xml", "application/xml")
# Every request the server answered, as (path, status): the browser's own requests (a favicon, say)
# included, which page scripts and Playwright's request events do not see.
SERVED: list[tuple[str, int]] = []


class _QuietHandler(SimpleHTTPRequestHandler):
    """Serves files as a real host does: gzip for text when the browser accepts it; records requests."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass

    def log_request(self, code: object = "-", size: object = "-") -> None:
        """Record the path and status of every answered request."""
        SERVED.append((self.path, int(code) if isinstance(code, int) else 0))

    def send_head(self) -> BytesIO | None:
        """Answer with a gzipped body for compressible files when the request accepts gzip."""
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?")[0].endswith("/"):
            path = path / "index.html"
        ctype = self.guess_type(str(path))
        if not (
            path.is_file() and "gzip" in self.headers.get("Accept-Encoding", "") and ctype.startswith(COMPRESSIBLE)
        ):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return BytesIO(body)


@contextmanager
def serve_directory(directory: Path) -> Iterator[str]:
    """Serve a folder (gzipped as a real host does) on a free loopback port and yield its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def chromium_path() -> str:
    """Return the system Chromium's path, or explain how to get it."""
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    raise RuntimeError(
        "No Chromium found: run `make test` (it installs Debian's chromium) or apt-get install chromium."
    )
