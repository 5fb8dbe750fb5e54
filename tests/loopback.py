"""A real HTTP server on 127.0.0.1 for crawler tests, with routes that can misbehave on
purpose: errors, slowness, truncated and huge bodies."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse


@dataclass
class Reply:
    body: bytes | str = b""
    status: int = 200
    ctype: str = "text/html; charset=utf-8"
    delay: float = 0.0
    truncate: bool = False  # announce more bytes than are sent, then close
    size: int | None = None  # send this many filler bytes instead of body (huge pages)
    headers: dict = field(default_factory=dict)


Route = Callable[[dict], Reply]


class Loopback:
    def __init__(self):
        self.routes: dict[str, Route] = {
            "/robots.txt": lambda q: Reply("User-agent: *\nAllow: /\n", ctype="text/plain")
        }
        self.hits: Counter = Counter()
        self.agents: set[str] = set()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                server._handle(self)

        class Server(ThreadingHTTPServer):
            def handle_error(self, request, client_address):
                pass  # crawlers hang up on slow and huge replies on purpose

        self.httpd = Server(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def route(self, path: str, handler: Route | Reply) -> None:
        self.routes[path] = handler if callable(handler) else (lambda q, r=handler: r)

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def _handle(self, req: BaseHTTPRequestHandler) -> None:
        url = urlparse(req.path)
        self.hits[url.path] += 1
        self.agents.add(req.headers.get("User-Agent", ""))
        handler = self.routes.get(url.path)
        reply = handler({k: v[-1] for k, v in parse_qs(url.query).items()}) if handler else Reply("not found", 404)
        if reply.delay:
            time.sleep(reply.delay)
        body = reply.body.encode("utf-8") if isinstance(reply.body, str) else reply.body
        length = reply.size if reply.size is not None else len(body)
        try:
            req.send_response(reply.status)
            req.send_header("Content-Type", reply.ctype)
            req.send_header("Content-Length", str(length + (1000 if reply.truncate else 0)))
            for key, value in reply.headers.items():
                req.send_header(key, value)
            req.end_headers()
            if reply.size is not None:
                chunk = b"x" * 65536
                sent = 0
                while sent < reply.size:
                    req.wfile.write(chunk[: reply.size - sent])
                    sent += len(chunk)
            else:
                req.wfile.write(body)
            if reply.truncate:
                req.close_connection = True
        except (BrokenPipeError, ConnectionResetError):
            pass  # the crawler gave up on a huge body: that is the point


RSS = "application/rss+xml; charset=utf-8"


def feed(items: list[tuple[str, str]], encoding: str = "utf-8") -> bytes:
    now = format_datetime(datetime.now(UTC))
    body = "".join(
        f"<item><title>{t}</title><description>{d}</description><guid>{t}-{i}</guid><pubDate>{now}</pubDate></item>"
        for i, (t, d) in enumerate(items)
    )
    xml = (
        f'<?xml version="1.0" encoding="{encoding}"?><rss version="2.0"><channel><title>x</title>{body}</channel></rss>'
    )
    return xml.encode(encoding)
