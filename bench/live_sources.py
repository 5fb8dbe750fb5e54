"""Loopback sources that publish posts at known moments, with faults on demand, and a real
`onrustradar run` against them: used by bench/latency.py and bench/soak.py.

The server is the demo's replay server (t.me/s preview pages and RSS feeds in their real
structure, crawled by the real spiders); a post is visible from its `visible_from` moment on.
Faults are windows of wall-clock time per feed: `error` (HTTP 503), `slow` (a reply slower
than the crawl timeout) and `hang` (no reply at all until the window ends).
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from onrustradar.service.replay import ReplayPost, ReplayServer  # noqa: E402

GEMEENTEN = ["Zwolle", "Deventer", "Enschede", "Apeldoorn", "Kampen", "Hengelo", "Almelo", "Zutphen"]
TEXTS = [
    "Demonstratie tegen het azc {dag} om {uur} bij het stadhuis in {g}, iedereen komen en DELEN",
    "Scootermeeting {dag} om {uur} op het bedrijventerrein in {g}, pull up",
    "Harde kern verzamelt {dag} om {uur} bij station {g}, daarna naar het stadion",
    "Onrust in de wijk in {g}: ME grijpt in na rellen, politie houdt relschoppers aan",
]
OTHER = [
    "Mooi weer vandaag in {g}, lekker naar het park",
    "De gemeenteraad van {g} praat donderdag over de begroting",
]
DAYS = ["zaterdag", "zondag", "vrijdag", "morgen"]


@dataclass
class Fault:
    feed: str
    kind: str  # error | slow | hang
    start: datetime
    end: datetime


class LiveServer(ReplayServer):
    def __init__(
        self, feeds: dict, posts: list[ReplayPost], faults: list[Fault] | None = None, slow_seconds: float = 30.0
    ):
        super().__init__(feeds, posts)
        self.faults = faults or []
        self.slow_seconds = slow_seconds
        self.requests = 0

    def handle(self, request) -> None:
        self.requests += 1
        now = datetime.now(UTC)
        feed = request.path.split("?")[0].rstrip("/").split("/")[-1].removesuffix(".xml")
        for fault in self.faults:
            if fault.feed == feed and fault.start <= now < fault.end:
                if fault.kind == "error":
                    body = b"tijdelijk niet beschikbaar"
                    request.send_response(503)
                    request.send_header("Content-Length", str(len(body)))
                    request.end_headers()
                    request.wfile.write(body)
                    return
                if fault.kind == "hang":
                    while datetime.now(UTC) < fault.end:
                        time.sleep(0.5)
                    return  # hang up without a reply
                if fault.kind == "slow":
                    time.sleep(self.slow_seconds)
        super().handle(request)


@dataclass
class Plan:
    """Posts to publish: per feed, with their moment of publication."""

    feeds: dict = field(default_factory=dict)
    posts: list[ReplayPost] = field(default_factory=list)

    @classmethod
    def make(cls, n_feeds: int, n_posts: int, start: datetime, spacing: float, rng, relevant: float = 1.0) -> Plan:
        plan = cls()
        names = []
        for i in range(n_feeds):
            kind = "telegram" if i % 2 == 0 else "rss"
            name = f"bron{i}_{kind}"
            plan.feeds[name] = {"name": name, "kind": kind, "title": name}
            names.append(name)
        counters = {n: 100 for n in names}
        moment = start
        for i in range(n_posts):
            moment += timedelta(seconds=rng.expovariate(1 / spacing))
            feed = names[i % n_feeds]
            counters[feed] += 1
            template = rng.choice(TEXTS) if rng.random() < relevant else rng.choice(OTHER)
            text = template.format(
                g=rng.choice(GEMEENTEN), dag=rng.choice(DAYS), uur=f"{rng.randint(12, 22)}:{rng.choice(['00', '30'])}"
            )
            plan.posts.append(
                ReplayPost(
                    feed=feed,
                    kind=plan.feeds[feed]["kind"],
                    number=counters[feed],
                    text=text,
                    published_at=moment,
                    visible_from=moment,
                )
            )
        return plan

    def post_id(self, post: ReplayPost) -> str:
        """The id the store gives it: configured source name and the source's own id."""
        if post.kind == "telegram":
            return f"{post.feed}:{post.feed}/{post.number}"
        return f"{post.feed}:{post.feed}-{post.number}"


def write_config(
    directory: Path,
    plan: Plan,
    url: str,
    interval: float,
    process_interval: float,
    timeout: float = 20,
    retries: int = 2,
) -> Path:
    for sub in ("keywords", "calendars"):
        target = directory / sub
        if not target.exists():
            import shutil

            shutil.copytree(ROOT / "config" / sub, target, ignore=shutil.ignore_patterns("history.jsonl"))
    sources = []
    for name, feed in plan.feeds.items():
        if feed["kind"] == "telegram":
            sources.append(
                {
                    "name": name,
                    "type": "telegram_web",
                    "channel": name,
                    "base_url": url,
                    "interval": f"{int(interval)}s",
                }
            )
        else:
            sources.append(
                {
                    "name": name,
                    "type": "rss",
                    "url": f"{url}/feeds/{name}.xml",
                    "interval": f"{int(interval)}s",
                    "kind": "news",
                }
            )
    data = {
        "gemeenten": GEMEENTEN,
        "retention_days": 30,
        "store": {"backend": "sqlite", "path": str(directory / "store.sqlite")},
        "audit_log": str(directory / "audit.jsonl"),
        "schedule": {"process_interval": f"{int(process_interval)}s"},
        "crawl": {"timeout": timeout, "retries": retries, "backoff": 0.5},
        "sources": sources,
        "watches": [
            {
                "name": "bench",
                "purpose": "bench",
                "legal_basis": "bench",
                "aanleiding": "bench",
                "owner": "bench",
                "gemeenten": GEMEENTEN,
                "expires": "2099-12-31",
                "sources": [s["name"] for s in sources],
                "keywords": ["demonstratie", "scootermeeting", "supporters", "incident"],
            }
        ],
    }
    path = directory / "onrustradar.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


ENV = {
    "ONRUSTRADAR_PSEUDONYM_KEY": "bench-pseudonym-key-0123456789",
    "ONRUSTRADAR_AUDIT_KEY": "bench-audit-key-0123456789abcdef",
}


def start_run(config: Path, log: Path) -> subprocess.Popen:
    exe = Path(sys.executable).with_name("onrustradar")
    env = {**os.environ, **ENV}
    return subprocess.Popen(
        [str(exe), "--config", str(config), "run"], cwd=ROOT, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT
    )


def stop_run(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class StoreWatch:
    """Reads the store the running service writes (read-only, WAL)."""

    def __init__(self, path: Path):
        self.path = path
        self.db = None

    def _conn(self):
        if self.db is None and self.path.exists():
            self.db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=10)
        return self.db

    def signal_posts(self) -> dict[str, list[str]]:
        import json

        db = self._conn()
        if db is None:
            return {}
        try:
            return {sid: json.loads(ids) for sid, ids in db.execute("SELECT signal_id, post_ids FROM signals")}
        except sqlite3.OperationalError:
            return {}

    def post_ids(self) -> list[str]:
        db = self._conn()
        if db is None:
            return []
        try:
            return [r[0] for r in db.execute("SELECT id FROM posts")]
        except sqlite3.OperationalError:
            return []

    def ticks(self) -> tuple[int, int, float] | None:
        db = self._conn()
        if db is None:
            return None
        try:
            row = db.execute("SELECT count, failed, longest FROM ticks WHERE name = 'tick'").fetchone()
        except sqlite3.OperationalError:
            return None
        return tuple(row) if row else None

    def close(self):
        if self.db is not None:
            self.db.close()
