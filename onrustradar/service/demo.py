"""`onrustradar demo`: the whole service on one machine, against a local replay of sources.

replay server (127.0.0.1) -> real spiders -> SQLite -> nlp -> detectors -> board.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

import typer

from onrustradar.config import Config, ConfigError
from onrustradar.core import nl
from onrustradar.core.children import start_child, stop_child
from onrustradar.core.models import CATEGORY_LABELS
from onrustradar.service.replay import ReplayServer, load_timeline
from onrustradar.service.tick import reload_config, tick
from store import SignalQuery, open_store

PLACEHOLDER = "http://replay.invalid"


def point_at(config: Config, url: str) -> Config:
    """The demo config with every source aimed at the replay server."""
    sources = []
    for source in config.settings.sources:
        update = {}
        for key in ("url", "base_url"):
            value = getattr(source, key, None)
            if isinstance(value, str) and value.startswith(PLACEHOLDER):
                update[key] = url + value[len(PLACEHOLDER) :]
        sources.append(source.model_copy(update=update))
    settings = config.settings.model_copy(update={"sources": sources})
    return config.model_copy(update={"settings": settings})


def print_top(config: Config, limit: int = 10) -> int:
    """Print the top signals of the demo store; returns how many."""
    store = open_store(config.settings)
    try:
        signals = store.query_signals(SignalQuery(limit=limit))
        posts = store.count_posts()
    finally:
        store.close()
    now = datetime.now(UTC)
    typer.echo(f"{posts} berichten opgeslagen; top {len(signals)} signalen:")
    typer.echo(f"{'categorie':<22}{'gemeente':<14}{'wanneer':<32}{'score':>7}  betrouwbaarheid")
    for s in signals:
        when = f"{nl.when(s.event_start, s.time_known)} ({nl.relative(s.event_start, now)})" if s.event_start else "-"
        category = "+".join(CATEGORY_LABELS[c] for c in s.categories)
        typer.echo(f"{category:<22}{(s.gemeente or '-'):<14}{when:<32}{s.score:>7.1f}  {s.reliability}")
    return len(signals)


def _say_invalid(exc: ConfigError) -> None:
    typer.echo(f"configuratie ongeldig, vorige blijft gelden: {exc}", err=True)


def run_demo(config: Config, headless: bool, once: bool, live_every: float, verbose: bool, board_command) -> int:
    """The demo: replay server, the board (unless headless) and `tick()` in a loop (once with `once`)."""
    start = datetime.now(UTC)
    feeds, posts = load_timeline(start, None if once else live_every)
    server = ReplayServer(feeds, posts).start()
    config = point_at(config, server.url)
    board = None
    log_level = "INFO" if verbose else "WARNING"
    try:
        typer.echo(f"bronnen worden afgespeeld op {server.url}")
        if not headless:
            board = start_child(board_command(config.path, config.settings.board.address, config.settings.board.port))
            typer.echo(f"board: http://{config.settings.board.address}:{config.settings.board.port}")
        while True:
            # the same tick as `run`, over every source each round and without e-mail
            config = point_at(reload_config(config, on_error=_say_invalid), server.url)
            result = tick(config, [s.name for s in config.settings.sources], send=False, log_level=log_level)
            errors = [r for r in result.crawls if r.error]
            for r in errors:
                typer.echo(f"bron {r.source}: {r.error}", err=True)
            if result.error:
                typer.echo(f"verwerking mislukt: {result.error}", err=True)
            typer.echo(
                f"{sum(r.new for r in result.crawls)} nieuwe berichten, "
                f"{result.report.signals if result.report else 0} signalen "
                f"({server.remaining_live()} live berichten nog onderweg)"
            )
            if once:
                print_top(config)
                return 1 if errors or result.error else 0
            time.sleep(config.settings.schedule.process_interval)
    except KeyboardInterrupt:
        return 0
    finally:
        stop_child(board)
        server.stop()
