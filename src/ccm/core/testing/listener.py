"""A local HTTP listener that counts the requests it receives (issue #32): tests name its URL in
documents and logos in every way a renderer could follow, and assert it heard nothing."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class Listener:
    def __init__(self, server: ThreadingHTTPServer) -> None:
        self.server = server
        self.paths: list[str] = []

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"


@contextmanager
def listening() -> Iterator[Listener]:
    """A listener on 127.0.0.1 on a free port, in a thread, for the time of the block."""
    heard: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
            heard.append(self.path)
            body = b"@font-face{} body{color:red}"
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    listener = Listener(server)
    listener.paths = heard
    try:
        yield listener
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
