"""The periodic trend report (#19): `run` mails the weekly PDF briefing at the configured time
through the outbox, exactly once — also when the service is stopped and started again."""

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, date, datetime, timedelta

import pytest
from conftest import ROOT, write_config
from smtp_server import PASSWORD, USER, SmtpServer

from digest.periodic import report_key, scheduled
from onrustradar.config import load_config
from onrustradar.core.models import Post
from onrustradar.core.nl import AMS
from store.sqlite import SQLiteStore

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@pytest.mark.parametrize(
    "now, expected",
    [
        (datetime(2026, 11, 20, 7, 59, tzinfo=AMS), [("weekly", date(2026, 11, 13)), ("monthly", date(2026, 11, 1))]),
        (datetime(2026, 11, 20, 8, 0, tzinfo=AMS), [("weekly", date(2026, 11, 20)), ("monthly", date(2026, 11, 1))]),
        (datetime(2026, 12, 1, 7, 0, tzinfo=AMS), [("weekly", date(2026, 11, 27)), ("monthly", date(2026, 11, 1))]),
        (datetime(2027, 1, 1, 8, 30, tzinfo=AMS), [("weekly", date(2027, 1, 1)), ("monthly", date(2027, 1, 1))]),
    ],
)
def test_the_latest_scheduled_moment(tmp_path, now, expected):
    config = load_config(
        write_config(
            tmp_path, reports={"weekly": {"weekday": "friday", "time": "08:00"}, "monthly": {"day": 1, "time": "08:00"}}
        )
    )
    assert scheduled(config, now) == expected


class Service:
    """`onrustradar run` in its own process, with its log read as it comes."""

    def __init__(self, config, env):
        exe = os.path.join(os.path.dirname(sys.executable), "onrustradar")
        self.proc = subprocess.Popen(
            [exe, "--verbose", "--config", str(config), "run"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            self.lines.append(line)

    def ticks(self) -> int:
        return sum("tick done" in line for line in self.lines)

    def wait(self, condition, what, timeout=120):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if condition():
                return
            assert self.proc.poll() is None, "".join(self.lines)
            time.sleep(0.2)
        raise AssertionError(f"{what} did not happen:\n" + "".join(self.lines[-40:]))

    def stop(self):
        self.proc.send_signal(signal.SIGINT)
        self.proc.wait(timeout=30)


@pytest.mark.slow
def test_weekly_report_is_sent_once_across_a_restart(tmp_path):
    smtp = SmtpServer(tmp_path)
    now = datetime.now(UTC)
    today = now.astimezone(AMS)
    config = write_config(
        tmp_path,
        schedule={"process_interval": "1s"},
        smtp={
            "host": "127.0.0.1",
            "port": smtp.port,
            "starttls": True,
            "sender": "onrustradar@zwolle.example",
            "ca_file": str(smtp.cert),
            "timeout": 5,
            "retries": 0,
            "backoff": 0,
        },
        # Due since midnight today: the service sends it on its first tick.
        reports={
            "weekly": {"weekday": WEEKDAYS[today.weekday()], "time": "00:00"},
            "recipients": {"Zwolle": ["driehoek@zwolle.example"]},
        },
    )
    store = SQLiteStore(tmp_path / "store.sqlite")
    day_ago = now - timedelta(days=1)
    store.upsert_posts(
        [
            Post(
                "rss",
                "n/1",
                "destentor",
                day_ago,
                "Rellen na wedstrijd bij stadion in Zwolle, drie mensen aangehouden\n\n"
                "Na de wedstrijd gingen supporters bij het stadion in Zwolle met elkaar op de vuist.",
                fetched_at=day_ago,
            ),
        ]
    )
    store.close()
    env = {**os.environ, "ONRUSTRADAR_SMTP_USER": USER, "ONRUSTRADAR_SMTP_PASSWORD": PASSWORD}
    try:
        first = Service(config, env)
        try:
            first.wait(lambda: smtp.handler.messages, "the weekly report")
            sent_at = first.ticks()
            first.wait(lambda: first.ticks() >= sent_at + 2, "two more ticks")
        finally:
            first.stop()
        second = Service(config, env)
        try:
            second.wait(lambda: second.ticks() >= 3, "three ticks after the restart")
        finally:
            second.stop()
    finally:
        smtp.stop()
    assert len(smtp.handler.messages) == 1, "the weekly report was sent more than once"
    [(rcpts, message)] = smtp.handler.messages
    assert rcpts == ["driehoek@zwolle.example"]
    assert message["Subject"].startswith("Onrustradar weekrapportage Zwolle t/m ")
    assert "rapportage" in "".join(first.lines) and "rapportage" not in "".join(second.lines)
    [attachment] = [p for p in message.iter_attachments() if p.get_content_type() == "application/pdf"]
    pdf = attachment.get_content()
    assert pdf.startswith(b"%PDF-")
    store = SQLiteStore(tmp_path / "store.sqlite")
    key = report_key("weekly", "GM0193", today.date())
    item = store.outbox_get(key)
    store.close()
    assert item is not None and item.status == "sent"
    if shutil.which("pdftotext"):
        (tmp_path / "week.pdf").write_bytes(pdf)
        text = subprocess.run(["pdftotext", str(tmp_path / "week.pdf"), "-"], capture_output=True, text=True).stdout
        assert "Weekrapportage maatschappelijke onrust" in text
        body = message.get_body(("plain",)).get_content()
        assert "Rellen na wedstrijd bij stadion in Zwolle" in body and "Rellen na wedstrijd" in text
