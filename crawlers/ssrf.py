"""Which article links an RSS source may follow (`follow_articles`).

A feed is written by someone else: its item links could point anywhere, including the
gemeente's own network (server-side request forgery). An article is fetched only when its
host is the feed's own host (scheme, host and port as configured — so a test feed on
127.0.0.1 still works), or a host on the source's `follow_hosts` allow-list that resolves only
to public addresses (never loopback, private, link-local, multicast or reserved ones). The
check runs again for every redirect (ArticleGuardMiddleware), so a link on the feed's host
cannot bounce the crawler elsewhere.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from scrapy.exceptions import IgnoreRequest

ARTICLE_META = "onrustradar_article_of"  # request.meta: the feed URL an article link came from


def _origin(url: str) -> tuple[str, str, int | None] | None:
    try:
        parts = urlsplit(url)
        port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return parts.scheme, parts.hostname.casefold().rstrip("."), port


def _public(host: str, port: int | None) -> bool:
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return False
    # An IPv4 or IPv6 socket address starts with the host as a string (typeshed allows an int
    # for other families); str() keeps every address checked, never skipped.
    addresses = {str(info[4][0]) for info in infos}
    if not addresses:
        return False
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
            ip = ip.ipv4_mapped
        if not ip.is_global or ip.is_multicast or ip.is_reserved:
            return False
    return True


def refusal(url: str, feed_url: str, follow_hosts: list[str] | tuple[str, ...] = ()) -> str | None:
    """None when the article may be fetched, otherwise why not."""
    target, feed = _origin(url), _origin(feed_url)
    if target is None:
        return "not an http(s) link"
    if feed is not None and target == feed:
        return None  # the feed's own host, as the operator configured it
    scheme, host, port = target
    allowed = {h.casefold().rstrip(".") for h in follow_hosts}
    if host not in allowed:
        return f"host {host} is not the feed's host or in follow_hosts"
    if not _public(host, port):
        return f"host {host} resolves to a non-public address"
    return None


def redirect_refusal(url: str, first_url: str) -> str | None:
    """A redirect may stay on the configured origin, or leave it only for public addresses:
    a source's server cannot bounce the crawler into the gemeente's own network."""
    target, first = _origin(url), _origin(first_url)
    if target is None:
        return "redirect to a non-http(s) link"
    if target == first:
        return None
    if not _public(target[1], target[2]):
        return f"redirect to {target[1]}, which resolves to a non-public address"
    return None


class ArticleGuardMiddleware:
    """Downloader middleware: checks every article request and every redirect of any request."""

    def process_request(self, request, spider=None):
        feed_url = request.meta.get(ARTICLE_META)
        redirects = request.meta.get("redirect_urls")
        if feed_url is None:
            reason = redirect_refusal(request.url, redirects[0]) if redirects else None
            if reason:
                raise IgnoreRequest(f"refused: {reason}")
            return None
        source = getattr(spider, "source", None)
        reason = refusal(request.url, feed_url, getattr(source, "follow_hosts", ()) or ())
        if reason:
            raise IgnoreRequest(f"article link refused: {reason}")
        return None
