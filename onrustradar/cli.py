"""The one CLI, `onrustradar`: every job of the service starts here."""

from __future__ import annotations

import getpass
import hashlib
import json
import logging
import os
import shutil
import signal
import sys
import time
from datetime import UTC, date, datetime
from datetime import date as date_cls
from pathlib import Path
from typing import NoReturn

import typer

# Imports of the analysis, detection, board, PDF and Elasticsearch code sit inside the commands
# that need them: scikit-learn, spaCy, Streamlit, ReportLab and the Elasticsearch client take
# 0.5-1.5 s each to import, and `--help`, `config check`, `health` or `crawl` need none of them
# (start-up 1.5 s instead of 4-5 s; every test runs the CLI as a subprocess).
from crawlers.runner import crawl as run_crawl
from crawlers.runner import resume_crawls, stop_crawls
from digest import service
from digest.briefing import PERIODS, period_briefing
from digest.service import Refused, deployment_gemeente
from nlp import corpus
from onrustradar import cli_nl
from onrustradar.config import CONFIG_ENV, Config, ConfigError, load_config, source_kinds, watches
from onrustradar.config.watches import source_active, today_local
from onrustradar.core import nl
from onrustradar.core.children import port_error, port_in_use, stop_signals
from onrustradar.core.gazetteer import gazetteer
from onrustradar.core.intake import EARLIEST, LATEST_EVER
from onrustradar.core.nl import local
from onrustradar.core.pseudonym import KEY_ENV, MissingKeyError
from onrustradar.governance.access import is_loopback
from onrustradar.governance.audit import KEY_ENV as AUDIT_KEY_ENV
from onrustradar.governance.audit import AuditError, AuditLog, audit_key, audit_log_for
from onrustradar.governance.exports import signal_row
from onrustradar.governance.subjects import subject_request
from onrustradar.service.board import board_command, serve_board, write_streamlit_secrets
from onrustradar.service.health import run_checks
from store import SignalQuery, open_store
from store.backup import BackupError, backup, check_backup, restore
from store.migrate import migrate
from store.sqlite import SQLiteStore

cli_nl.install()  # Click's and Typer's own texts (usage, headings, defaults, errors) in Dutch
app = typer.Typer(
    help="Onrustradar: signalen van maatschappelijke onrust uit openbare bronnen, per gemeente.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
config_app = typer.Typer(help="De configuratie controleren.", no_args_is_help=True)
export_app = typer.Typer(help="Opgeslagen gegevens exporteren.", no_args_is_help=True)
store_app = typer.Typer(help="De opslag beheren.", no_args_is_help=True)
app.add_typer(config_app, name="config")
app.add_typer(store_app, name="store")
app.add_typer(export_app, name="export")
import_app = typer.Typer(help="Berichten in de opslag importeren.", no_args_is_help=True)
app.add_typer(import_app, name="import")
audit_app = typer.Typer(help="De audittrail (alleen toevoegen, met sleutelketen).", no_args_is_help=True)
watches_app = typer.Typer(help="Opdrachten: wat gevolgd wordt, waarom en tot wanneer.", no_args_is_help=True)
app.add_typer(audit_app, name="audit")
app.add_typer(watches_app, name="watches")

log = logging.getLogger("onrustradar")
DEMO_CONFIG = Path("config/demo.yml")
DEMO_KEY = "demo-only-pseudonym-key-not-for-production"
DEMO_AUDIT_KEY = "demo-only-audit-key-not-for-production"


def cli_actor() -> str:
    """Who runs a command on the server: the operating-system account."""

    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli:onbekend"


def audit(config: Config, action: str, object: str = "", result: str = "ok", detail=None, store=None) -> None:
    """Append to the audit trail (anchored in the store), or stop with exit 1: call it before
    the action it records, so nothing happens without its row."""

    own = store is None
    store = store or open_store_or_fail(config)
    try:
        audit_log_for(config, store).append(cli_actor(), "server", action, object, result, detail)
    except AuditError as exc:
        fail(f"audittrail: {exc}", 1)
    finally:
        if own:
            store.close()


def audit_ready(config: Config) -> None:
    """Stop (exit 1) before an action whose audit row follows it, if the trail could not take
    that row: nothing happens without its row."""

    store = open_store_or_fail(config)
    try:
        audit_log_for(config, store).ready()
    except AuditError as exc:
        fail(f"audittrail: {exc}", 1)
    finally:
        store.close()


def fail(message: str, code: int = 2) -> NoReturn:
    typer.echo(f"fout: {message}", err=True)
    raise typer.Exit(code)


@app.callback()
def main_options(
    ctx: typer.Context,
    config: Path | None = typer.Option(
        None,
        "--config",
        "-c",
        envvar=CONFIG_ENV,
        help="Configuratiebestand.",
        show_default="config/onrustradar.yml",
    ),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Meer loggen."),
):
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    ctx.obj = {"config_path": config, "verbose": verbose}


def get_config(ctx: typer.Context, default: Path | None = None) -> Config:
    path = ctx.obj["config_path"] or default
    try:
        return load_config(path)
    except ConfigError as exc:
        fail(str(exc))


def open_store_or_fail(config: Config):

    try:
        return open_store(config.settings)
    except Exception as exc:  # a locked, corrupt or unreachable store: say so plainly
        fail(f"kan de opslag niet openen ({config.settings.store.backend}): {exc}", 1)


def _parse_now(value: str | None) -> datetime:
    if not value:
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        fail(f"--now: geen ISO 8601-tijd: {value!r}")
    if moment.tzinfo is None:
        fail("--now: geef een UTC-verschil, bijvoorbeeld 2026-03-14T12:00:00+01:00")

    if not EARLIEST <= moment <= LATEST_EVER:
        fail(f"--now: {value!r} ligt buiten 1990-2100")
    return moment


# -- config ---------------------------------------------------------------------------------


@config_app.command("check")
def config_check(ctx: typer.Context):
    """Controleer onrustradar.yml en de trefwoordenlijsten; bij een fout exit 2 met bestand en sleutel."""
    # Lazy: the stage registry comes with the analyzer's libraries (about a second to import).
    from nlp.pipeline import check_stages
    from onrustradar.service.pipeline import detector_settings

    config = get_config(ctx)
    try:
        detector_settings(config)  # context calendars are part of the configuration
        check_stages(config.settings.analysis.stages)
    except ConfigError as exc:
        fail(str(exc))
    except ValueError as exc:
        fail(str(ConfigError(config.path, "analysis.stages", str(exc))))
    s = config.settings
    terms = sum(len(k.terms) + len(k.phrases) for k in config.keywords.values())
    typer.echo(
        f"ok: {config.path} — {nl.plural(len(s.gemeenten), 'gemeente', 'gemeenten')}, "
        f"{nl.plural(len(s.sources), 'bron', 'bronnen')}, "
        f"{nl.plural(terms, 'trefwoord', 'trefwoorden')}, "
        f"opslag {s.store.backend}, {nl.plural(len(s.watches), 'opdracht', 'opdrachten')}"
    )

    today = today_local()
    for watch in s.watches:
        if not watch.active(today):
            typer.echo(
                f"let op: opdracht {watch.name} is verlopen op {watch.expires}; de bronnen worden niet opgehaald"
            )
        elif watch.expires_within(today):
            typer.echo(f"let op: opdracht {watch.name} verloopt op {watch.expires}")


# -- crawl / process / run ------------------------------------------------------------------


def _crawl(config: Config, names: list[str], verbose: bool) -> list:
    try:
        return run_crawl(config.settings, names, log_level="INFO" if verbose else "WARNING")
    except MissingKeyError as exc:
        fail(str(exc))


def _print_crawl(reports) -> None:
    for r in reports:
        status = f"FOUT: {r.error}" if r.error else "ok"
        typer.echo(f"{r.source}: {r.new} nieuw ({r.seen} gezien, {r.skipped} overgeslagen) — {status}")


@app.command()
def crawl(
    ctx: typer.Context,
    source: list[str] | None = typer.Option(
        None,
        "--source",
        "-s",
        help="Alleen deze bron ophalen (herhaalbaar).",
        show_default="alle bronnen die aan de beurt zijn",
    ),
):
    """Haal één bron op (--source NAAM) of alle die aan de beurt zijn, en toon hoeveel berichten nieuw waren."""
    config = get_config(ctx)
    if source:
        known = {s.name for s in config.settings.sources}
        unknown = [n for n in source if n not in known]
        if unknown:
            fail(f"onbekende bron {unknown[0]!r}; geconfigureerd: {', '.join(sorted(known)) or 'geen'}")

        disabled = [n for n in source if not config.source(n).enabled]
        if disabled:
            fail(f"bron {disabled[0]!r} staat uit (enabled: false): zet haar eerst aan in de configuratie")
        expired = [n for n in source if not source_active(config.settings, n, today_local())]
        if expired:
            fail(f"bron {expired[0]!r} wordt niet opgehaald: haar opdracht is verlopen (verleng die eerst)")
        names = list(source)
    else:
        from onrustradar.service.tick import sources_due

        store = open_store_or_fail(config)
        names = sources_due(config, store, datetime.now(UTC))
        store.close()
    reports = _crawl(config, names, ctx.obj["verbose"])
    _print_crawl(reports)
    total = sum(r.new for r in reports)
    typer.echo(f"totaal: {total} {'nieuw bericht' if total == 1 else 'nieuwe berichten'}")


@app.command()
def process(ctx: typer.Context):
    """Analyseer nieuwe berichten, werk de signalen bij en verwijder berichten voorbij de bewaartermijn."""
    from onrustradar.service.pipeline import process as run_process
    from onrustradar.service.tick import record_tick

    config = get_config(ctx)
    store = open_store_or_fail(config)
    started, clock, error = datetime.now(UTC), time.perf_counter(), None
    try:
        report = run_process(store, config)
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"
        raise
    finally:
        record_tick(store, started, time.perf_counter() - clock, error)
        store.close()
    typer.echo(
        f"{nl.plural(report.analysed, 'bericht', 'berichten')} geanalyseerd ({report.relevant} relevant), "
        f"{nl.plural(report.signals, 'signaal', 'signalen')}, {report.purged} verwijderd (bewaartermijn)"
    )


@app.command()
def health(ctx: typer.Context):
    """Is de dienst gezond? Eén regel per controle; exit 0 in orde, 1 waarschuwing, 2 kritiek."""

    config = get_config(ctx)
    checks = run_checks(config, open_store, datetime.now(UTC))
    for check in checks:
        typer.echo(check.line())
    raise typer.Exit(max((c.level for c in checks), default=0))


@app.command()
def reprocess(
    ctx: typer.Context, batch: int = typer.Option(2000, min=10, max=100_000, help="Posts analysed per step.")
):
    """After a keyword or model change: analyse the posts of the last 14 days again and rebuild
    their signals. Resumable (run it again after a stop); prints its progress."""
    from onrustradar.service.analyzer import analyzer_for
    from onrustradar.service.incremental import reprocess as run_reprocess
    from onrustradar.service.pipeline import detector_settings

    config = get_config(ctx)
    store = open_store_or_fail(config)
    started = time.perf_counter()
    try:
        analyzer = analyzer_for(config)
        audit(config, "signals.reprocess", analyzer.name, "begonnen", store=store)
        report = run_reprocess(
            store,
            analyzer,
            datetime.now(UTC),
            source_kinds(config),
            detector_settings(config),
            say=typer.echo,
            batch=batch,
        )
    except KeyboardInterrupt:
        typer.echo("onderbroken: start `onrustradar reprocess` opnieuw om verder te gaan", err=True)
        raise typer.Exit(130) from None
    finally:
        store.close()
    typer.echo(
        f"klaar: {report.analysed} berichten opnieuw geanalyseerd, {report.grouped} gegroepeerd, "
        f"{report.signals} signalen bijgewerkt in {time.perf_counter() - started:.0f} s"
    )


def config_fingerprint(config: Config) -> str:
    """SHA-256 over the config, watches and keyword files: a change shows in the audit trail."""

    digest = hashlib.sha256()
    files = [config.path, config.watches_path, *sorted(config.keywords_dir.glob("*.yml"))]
    for path in files:
        if path is not None and path.exists():
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


@app.command()
def run(ctx: typer.Context):
    """Blijf draaien: haal elke bron op haar interval op en verwerk nieuwe berichten (Ctrl-C stopt)."""
    from apscheduler.schedulers.blocking import BlockingScheduler

    from onrustradar.service.tick import reload_config
    from onrustradar.service.tick import tick as service_tick

    config = get_config(ctx)
    resume_crawls()
    scheduler = BlockingScheduler(timezone="Europe/Amsterdam")
    fingerprint = config_fingerprint(config)
    audit(config, "service.start", "run", "ok", {"config": fingerprint})
    stopping: list[bool] = []

    def tick() -> None:
        nonlocal config, fingerprint
        config = reload_config(config)  # keyword edits on the board apply without a restart
        if (current := config_fingerprint(config)) != fingerprint:
            audit(config, "config.changed", str(config.path), "ok", {"config": current})
            fingerprint = current
        result = service_tick(
            config,
            log_level="INFO" if ctx.obj["verbose"] else "WARNING",
            stopping=lambda: bool(stopping),
            on_crawl=_print_crawl,
        )
        for line in result.deliveries:
            typer.echo(line)

    scheduler.add_job(
        tick,
        "interval",
        seconds=config.settings.schedule.process_interval,
        next_run_time=datetime.now(UTC),
        max_instances=1,
        coalesce=True,
    )
    typer.echo(f"onrustradar draait ({len(config.settings.sources)} bronnen); Ctrl-C stopt")
    # Stop cleanly on Ctrl-C and on a service manager's SIGTERM, even when started with SIGINT
    # ignored (as a background job of a shell).

    def stop(*_) -> None:
        stopping.append(True)
        stop_crawls()  # a running crawl child stops with us, not at the end of its round
        scheduler.shutdown(wait=False)

    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, stop)
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        stopping.append(True)
        stop_crawls()
    audit(config, "service.stop", "run")


# -- board ------------------------------------------------------------------------------------


@app.command()
def board(
    ctx: typer.Context,
    port: int | None = typer.Option(
        None, min=1, max=65535, help="Poort.", show_default="board.port uit de configuratie"
    ),
    address: str | None = typer.Option(
        None, help="Adres om op te luisteren.", show_default="board.address uit de configuratie"
    ),
):
    """Start het bord (Streamlit) voor de OOV-medewerker."""

    config = get_config(ctx)
    try:
        audit_key()  # every action on the board is audited: without the key it cannot be
    except AuditError as exc:
        fail(str(exc))
    address = address or config.settings.board.address
    port = port or config.settings.board.port
    secrets = None
    if config.settings.auth.provider is None:
        if not is_loopback(address):
            fail(
                f"het bord luistert niet op {address} zonder aanmelding: stel auth.provider in "
                "(de OpenID Connect-identiteitsprovider van de gemeente), of gebruik 127.0.0.1 voor een demo"
            )
    else:
        try:
            secrets = write_streamlit_secrets(config)
        except KeyError as exc:
            fail(f"{exc.args[0]} is niet gezet: het bord heeft die nodig om gebruikers aan te melden")
    provider = config.settings.auth.provider
    cmd = board_command(
        config.path,
        address,
        port,
        secrets,
        urls=[config.settings.digest.board_url, provider.redirect_uri if provider else None],
    )
    check_port(address, port)
    typer.echo(f"bord: http://{address}:{port}")
    raise typer.Exit(serve_board(cmd))


def check_port(address: str, port: int) -> None:
    """Stop with one Dutch line (exit 1) when the board's port is taken or the address unusable."""

    try:
        busy = port_in_use(address, port)
    except OSError as exc:
        typer.echo(f"fout: kan niet luisteren op {address}:{port}: {exc.strerror or exc}", err=True)
        raise typer.Exit(1) from exc
    if busy:
        typer.echo(port_error(address, port), err=True)
        raise typer.Exit(1)


# -- classify / detect -------------------------------------------------------------------------


@app.command()
def classify(
    ctx: typer.Context,
    input: Path = typer.Option(..., "--input", "-i", help="JSON lines: id, source, channel, published_at, text."),
    output: Path = typer.Option(..., "--output", "-o", help="JSON lines met de analyse per invoerregel."),
):
    """Classificeer berichten uit een bestand: categorieën, gemeente, aangekondigd, starttijd."""
    from onrustradar.service.analyzer import analyzer_for
    from onrustradar.service.jsonl import FileProblem, check_paths, classify_file

    config = get_config(ctx)
    try:
        check_paths(input, output)  # before the model loads: a wrong path fails fast
        stats = classify_file(input, output, analyzer_for(config))
    except FileProblem as exc:
        fail(str(exc), 1)
    typer.echo(f"{nl.plural(stats['lines'], 'regel', 'regels')}, {stats['errors']} fout", err=True)


@app.command()
def detect(
    ctx: typer.Context,
    input: Path = typer.Option(
        ..., "--input", "-i", help="JSON lines als bij classify, plus forwarded_from, url, views, forwards."
    ),
    output: Path = typer.Option(..., "--output", "-o", help="JSON lines, één signaal per regel, hoogste score eerst."),
    now: str | None = typer.Option(None, help="Beoordeel per dit ISO 8601-tijdstip.", show_default="nu"),
):
    """Classificeer, groepeer en rangschik berichten uit een bestand tot signalen."""
    from onrustradar.service.analyzer import analyzer_for
    from onrustradar.service.jsonl import FileProblem, check_paths, detect_file
    from onrustradar.service.pipeline import detector_settings

    config = get_config(ctx)
    moment = _parse_now(now)
    try:
        settings = detector_settings(config)
    except ConfigError as exc:
        fail(str(exc))
    try:
        check_paths(input, output)
        stats = detect_file(input, output, analyzer_for(config), source_kinds(config), moment, settings)
    except FileProblem as exc:
        fail(str(exc), 1)
    typer.echo(
        f"{nl.plural(stats['lines'], 'regel', 'regels')}, {stats['errors']} fout, "
        f"{nl.plural(stats['signals'], 'signaal', 'signalen')}",
        err=True,
    )


# -- train / eval ---------------------------------------------------------------------------


@app.command()
def train(
    ctx: typer.Context,
    model: Path | None = typer.Option(
        None, help="Schrijf het model hierheen.", show_default="het meegeleverde nlp/models/classifier.skops"
    ),
    with_feedback: bool = typer.Option(
        False,
        "--with-feedback",
        help="Leer ook van de feedback van analisten in de opslag; alleen installeren als geen doel slechter wordt.",
    ),
    gemeente: str | None = typer.Option(
        None, help="Met --with-feedback: alleen de feedback van deze gemeente.", show_default="alle gemeenten"
    ),
):
    """Train de modellen voor categorie en aankondiging opnieuw op het trainingsdeel van het corpus (vaste seed)."""
    from nlp.model import MODEL_PATH
    from nlp.train import train_from

    target = model or MODEL_PATH
    if with_feedback:
        _train_with_feedback(get_config(ctx), target, gemeente)
        return

    examples = corpus.load()
    if not examples:
        fail(f"geen corpus gevonden in {corpus.CORPUS}", 1)
    training, test = corpus.split(examples)
    started = time.perf_counter()
    trained = train_from(training)
    trained.save(target)
    typer.echo(
        f"getraind op {len(training)} berichten ({len(test)} apart gehouden) in {time.perf_counter() - started:.0f} s "
        f"-> {target} (version {trained.version})"
    )


def _train_with_feedback(config: Config, target: Path, gemeente: str | None) -> None:

    from onrustradar.service.retrain import retrain_with_feedback

    within = None
    if gemeente is not None:
        match = gazetteer().gemeente(gemeente)
        if match is None:
            fail(f"onbekende gemeente: {gemeente}")
        within = [match.code]
    store = open_store_or_fail(config)
    started = time.perf_counter()
    result = retrain_with_feedback(config, store, target, within)
    if not result.feedback_posts:
        typer.echo("geen feedback op berichten die nog bewaard zijn: niets om van te leren, model ongewijzigd")
        audit(config, "model.train", str(target), "kept", {"feedback_posts": 0}, store=store)
        return
    typer.echo(
        f"{nl.plural(result.feedback_posts, 'bericht', 'berichten')} met feedback bij het corpus gevoegd "
        f"({time.perf_counter() - started:.0f} s)"
    )
    typer.echo(f"{'':<24}{'oud':>8}{'nieuw':>8}")
    for name, (old, new) in result.reports.items():
        for attribute, label in (
            ("macro_f1", "macro-F1"),
            ("gemeente_accuracy", "gemeente"),
            ("event_start_accuracy", "event_start"),
            ("announced_precision", "aangekondigd P"),
            ("announced_recall", "aangekondigd R"),
            ("hard_negatives_clean", "lastige negatieven"),
            ("gemeente_wrongly_given", "gemeente zonder grond"),
        ):
            typer.echo(f"{name + ' ' + label:<24}{getattr(old, attribute):>8.3f}{getattr(new, attribute):>8.3f}")
    detail = {"feedback_posts": result.feedback_posts, "worse": result.worse}
    if result.install:
        assert result.candidate is not None  # a candidate is installed only when one was trained
        audit(config, "model.train", str(target), "installed", detail, store=store)
        shutil.copyfile(result.candidate, target)
        typer.echo(f"nieuw model geïnstalleerd: {target} (geen doel slechter)")
    else:
        audit(config, "model.train", str(target), "kept", detail, store=store)
        typer.echo("model NIET vervangen, slechter op: " + "; ".join(result.worse))
    if result.candidate is not None:
        shutil.rmtree(result.candidate.parent, ignore_errors=True)


@app.command("eval")
def evaluate(
    ctx: typer.Context,
    errors: int = typer.Option(0, help="Toon ook maximaal zoveel verkeerd geclassificeerde testberichten."),
    model: Path | None = typer.Option(None, help="Beoordeel dit modelbestand.", show_default="het meegeleverde model"),
):
    """Precisie/recall/F1 per categorie, macro-F1 en de nauwkeurigheid van gemeente, starttijd en
    aankondiging op het testdeel."""
    from nlp.evaluate import evaluate as run_eval
    from onrustradar.service.analyzer import analyzer_for

    config = get_config(ctx)
    _, test = corpus.split(corpus.load())
    if not test:
        fail(f"geen testdeel gevonden in {corpus.CORPUS}", 1)
    if model is not None and not model.exists():
        fail(f"geen model in {model}", 1)
    analyzer = analyzer_for(config, model_path=model)
    report = run_eval(analyzer, test, keep_errors=errors)
    typer.echo(f"analyzer: {analyzer.name}")
    for line in report.lines():
        typer.echo(line)
    for line in report.errors[:errors]:
        typer.echo(line)


# -- digest ---------------------------------------------------------------------------------


@app.command()
def digest(
    ctx: typer.Context,
    gemeente: str = typer.Option(..., help="Gemeente (officiële naam, code of gangbare naam)."),
    date_: str | None = typer.Option(
        None, "--date", help="Datum van het overzicht, JJJJ-MM-DD.", show_default="vandaag"
    ),
    dry_run: Path | None = typer.Option(
        None, "--dry-run", help="Schrijf het .eml-bestand in deze map in plaats van te versturen."
    ),
    send: bool = typer.Option(
        False, "--send", help="Verstuur naar de ingestelde ontvangers (hoogstens één keer per gemeente en datum)."
    ),
):
    """Maak het dagoverzicht voor een gemeente: schrijf het weg (--dry-run MAP) of verstuur het (--send)."""

    if bool(dry_run) == send:
        fail("geef precies één van --dry-run MAP of --send")
    config = get_config(ctx)
    try:
        day = date_cls.fromisoformat(date_) if date_ else local(datetime.now(UTC)).date()
    except ValueError:
        fail(f"--date: geen datum JJJJ-MM-DD: {date_!r}")
    if not 1990 <= day.year < 2100:
        fail(f"--date: {date_!r} ligt buiten 1990-2100")
    try:
        # Only the deployment's gemeenten, and only one with recipients: never "onbekend@localhost".
        service.digest_recipients(config, gemeente)
    except service.Refused as exc:
        fail(str(exc))
    store = open_store_or_fail(config)
    try:
        if dry_run:
            path = service.dry_run(store, config, gemeente, day, dry_run)
            typer.echo(f"geschreven: {path}")
            return
        outcome = service.send_digest(store, config, gemeente, day)
    finally:
        store.close()
    typer.echo(
        f"{outcome.key}: {outcome.status} (pogingen {outcome.attempts}, message-id {outcome.message_id})"
        + (f" — {outcome.error}" if outcome.error else "")
    )
    if outcome.status == "failed":
        raise typer.Exit(1)


@app.command()
def report(
    ctx: typer.Context,
    gemeente: str = typer.Option(..., help="Gemeente van deze installatie (officiële naam, code of gangbare naam)."),
    period: str = typer.Option(
        ..., help="day, week of month: de periode die eindigt op het tijdstip van het dagoverzicht op --end."
    ),
    end: str | None = typer.Option(None, help="Laatste dag van de periode, JJJJ-MM-DD.", show_default="vandaag"),
    output: Path = typer.Option(..., "--output", "-o", help="Het PDF-bestand om te schrijven."),
):
    """Schrijf de PDF-briefing (bestuurlijke rapportage) van een gemeente over een dag, week of maand."""

    from digest.pdf import render

    if period not in PERIODS:
        fail(f"--period: kies day, week of month (niet {period!r})")
    config = get_config(ctx)
    try:
        g = deployment_gemeente(config, gemeente)
    except Refused as exc:
        fail(str(exc))
    now = datetime.now(UTC)
    try:
        end_day = date_cls.fromisoformat(end) if end else nl.local(now).date()
    except ValueError:
        fail(f"--end: geen datum JJJJ-MM-DD: {end!r}")
    if not 1990 <= end_day.year < 2100:
        fail(f"--end: {end!r} ligt buiten 1990-2100")
    if output.suffix.lower() != ".pdf":
        fail(f"--output: geef een .pdf-bestand, niet {output.name!r}")
    if not output.parent.is_dir():
        fail(f"--output: map {output.parent} bestaat niet")
    store = open_store_or_fail(config)
    try:
        briefing = period_briefing(store, config, g, period, end_day, source_kinds(config), now)
        # The briefing quotes posts in its summaries: it is recorded like an export.
        audit(
            config,
            "report.create",
            f"{g.code}:{period}:{end_day.isoformat()}",
            "ok",
            {"signalen": len(briefing.items), "output": output.name},
            store=store,
        )
    finally:
        store.close()
    output.write_bytes(render(briefing))
    typer.echo(
        f"geschreven: {output} ({briefing.title.lower()} {g.name}, {briefing.window}, "
        f"{nl.plural(len(briefing.items) + briefing.more, 'signaal', 'signalen')})"
    )


# -- store ------------------------------------------------------------------------------------


@store_app.command("migrate")
def store_migrate(
    ctx: typer.Context,
    source: str = typer.Option(..., "--from", help="De opslag om te kopiëren: sqlite:PAD."),
    target: str = typer.Option(
        ..., "--to", help="Waarheen: 'elasticsearch' (de store:-instellingen van de configuratie)."
    ),
):
    """Kopieer een bestaande SQLite-opslag naar Elasticsearch (herhaalbaar zonder dubbelingen)."""

    config = get_config(ctx)
    if not source.startswith("sqlite:") or not Path(source[7:]).is_file():
        fail(f"--from: verwacht sqlite:PAD van een bestaand bestand, niet {source!r}")
    if target != "elasticsearch" or config.settings.store.backend != "elasticsearch":
        fail("--to elasticsearch vraagt store.backend: elasticsearch (met hosts) in de configuratie")
    src = SQLiteStore(source[7:])
    dst = open_store_or_fail(config)
    try:
        report = migrate(src, dst)
    finally:
        src.close()
        dst.close()
    typer.echo(
        f"gekopieerd: {report.posts} berichten ({report.analyses} analyses), {report.signals} signalen, "
        f"{report.feedback} feedback, {report.outbox} e-mails, {report.sources} bronnen"
    )


@store_app.command("backup")
def store_backup(
    ctx: typer.Context,
    output: Path = typer.Option(
        ..., "--output", "-o", help="Het back-upbestand om te schrijven (mag nog niet bestaan)."
    ),
):
    """Een consistente kopie van de SQLite-opslag, ook terwijl `run` schrijft (online back-up van SQLite)."""

    config = get_config(ctx)
    if config.settings.store.backend != "sqlite":
        fail("store backup is voor SQLite; maak van Elasticsearch een snapshot (zie docs/elasticsearch.md)")
    store = open_store_or_fail(config)
    try:
        audit(config, "store.backup", str(output), "begonnen", store=store)  # part of the copy too
        started = time.perf_counter()
        report = backup(store, output)
    except BackupError as exc:
        fail(str(exc), 1)
    finally:
        store.close()
    typer.echo(
        f"reservekopie geschreven: {output} ({report.posts} berichten, {report.signals} signalen, "
        f"{report.size / 1024**2:.1f} MB, {time.perf_counter() - started:.1f} s, integriteit ok)"
    )


@store_app.command("restore")
def store_restore(
    ctx: typer.Context,
    input: Path = typer.Option(..., "--input", "-i", help="Een bestand geschreven door `store backup`."),
):
    """Zet een back-up terug als SQLite-opslag (stop eerst `run` en `board`). De huidige opslag
    blijft ernaast bewaard, zodat een verkeerde keuze niets kost."""

    config = get_config(ctx)
    if config.settings.store.backend != "sqlite":
        fail("store restore is voor SQLite; herstel Elasticsearch uit een snapshot (zie docs/elasticsearch.md)")
    try:
        checked = check_backup(input)
    except BackupError as exc:
        fail(str(exc), 1)
    if checked.anchor is not None and not _trail_has(config, *checked.anchor):
        fail(
            f"{input}: de reservekopie hoort niet bij deze audittrail (regel {checked.anchor[0]} verschilt "
            "of ontbreekt); niets hersteld",
            1,
        )
    store = open_store_or_fail(config)
    try:
        audit(config, "store.restore", str(input), "begonnen", store=store)
        keep = Path(f"{config.settings.store.path}.voor-herstel-{datetime.now(UTC):%Y%m%dT%H%M%SZ}")
        backup(store, keep)
        restore(store, input)
        # The restored store's audit anchor is older than the trail: this row moves it to the
        # trail's head, so `audit verify` holds again.
        audit(config, "store.restore", str(input), "ok", {"kept": str(keep), "posts": checked.posts}, store=store)
    except BackupError as exc:
        fail(str(exc), 1)
    finally:
        store.close()
    typer.echo(
        f"hersteld uit {input} ({checked.posts} berichten, {checked.signals} signalen); de vorige store staat in {keep}"
    )


def _trail_has(config: Config, rows: int, head: str) -> bool:
    """Whether row `rows` of this deployment's audit trail has hash `head`: a backup's anchor
    must point into the trail it is restored under."""

    if rows == 0:
        return True
    for row in AuditLog(config.settings.audit_log).rows():
        if row.get("seq") == rows:
            return row.get("hash") == head
    return False


# -- export -------------------------------------------------------------------------------------


@export_app.command("posts")
def export_posts(
    ctx: typer.Context,
    since: str | None = typer.Option(
        None, help="Alleen berichten gepubliceerd op of na dit ISO-tijdstip.", show_default="alle"
    ),
):
    """Schrijf de opgeslagen berichten als JSON lines naar stdout."""
    config = get_config(ctx)
    moment = _parse_now(since) if since else None
    store = open_store_or_fail(config)
    try:
        posts = list(store.iter_posts(since=moment))
        # Logged before anything is written: an export never happens without its row.
        audit(config, "posts.export", f"{len(posts)} berichten", "ok", {"since": since}, store=store)
        for post in posts:
            sys.stdout.write(json.dumps(post.export(), ensure_ascii=False) + "\n")
    finally:
        store.close()


@import_app.command("posts")
def import_posts_command(
    ctx: typer.Context,
    input: Path = typer.Option(
        ..., "--input", "-i", help="JSON-regels in het formaat van `export posts` (auteur optioneel)."
    ),
):
    """Sla de berichten van een JSON-regelbestand op (geen dubbelingen op bron en source_id); foute
    regels worden met hun regelnummer gemeld, de goede bewaard."""
    from onrustradar.service.importer import import_posts
    from onrustradar.service.jsonl import FileProblem, open_input

    config = get_config(ctx)
    try:
        open_input(input).close()
    except FileProblem as exc:
        fail(str(exc), 1)
    store = open_store_or_fail(config)
    try:
        # Logged before anything is stored, like every bulk movement of posts.
        audit(config, "posts.import", str(input), "begonnen", store=store)
        report = import_posts(
            input, store, config.settings.retention_days, on_error=lambda message: typer.echo(message, err=True)
        )
        audit(
            config,
            "posts.import",
            str(input),
            "ok",
            {"new": report.new, "present": report.present, "expired": report.expired, "errors": len(report.errors)},
            store=store,
        )
    except MissingKeyError as exc:
        fail(str(exc))
    except FileProblem as exc:
        fail(str(exc), 1)
    finally:
        store.close()
    typer.echo(
        f"{report.lines} regels: {report.new} nieuw, {report.present} al aanwezig, "
        f"{report.expired} ouder dan de bewaartermijn, {len(report.errors)} fout"
    )
    if report.errors:
        raise typer.Exit(1)


@export_app.command("signals")
def export_signals(
    ctx: typer.Context,
    recipient: str = typer.Option(..., help="Wie de export ontvangt (vastgelegd in de audittrail)."),
    legal_basis: str = typer.Option(..., "--legal-basis", help="De grondslag voor het verstrekken (vastgelegd)."),
    gemeente: list[str] | None = typer.Option(None, help="Alleen deze gemeenten (herhaalbaar).", show_default="alle"),
    output: Path | None = typer.Option(None, "--output", "-o", help="Bestand (JSON lines).", show_default="stdout"),
):
    """Exporteer samenvattingen van signalen (nooit berichten); ontvanger en grondslag worden vastgelegd."""

    if not recipient.strip() or not legal_basis.strip():
        fail("--recipient en --legal-basis mogen niet leeg zijn")
    config = get_config(ctx)
    codes = set()
    for name in gemeente or []:
        found = gazetteer().gemeente(name)
        if found is None or found.name not in config.settings.gemeenten:
            fail(f"gemeente {name!r} hoort niet bij de gemeenten van deze installatie")
        codes.add(found.code)
    store = open_store_or_fail(config)
    try:
        signals = store.query_signals(SignalQuery(gemeente_codes=frozenset(codes), limit=100000))
    finally:
        store.close()
    text = "".join(json.dumps(signal_row(s), ensure_ascii=False) + "\n" for s in signals)
    audit(
        config,
        "signals.export",
        f"{len(signals)} signalen",
        "ok",
        {"recipient": recipient, "legal_basis": legal_basis, "gemeenten": sorted(codes)},
    )
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    typer.echo(f"{nl.plural(len(signals), 'signaal', 'signalen')} geëxporteerd voor {recipient}", err=True)


# -- privacy: audit trail, subject requests, watches --------------------------------------------


@audit_app.command("verify")
def audit_verify(ctx: typer.Context):
    """Controleer de sleutelketen van de audittrail.

    Exit 1 bij de eerste gewijzigde, ontbrekende of ingevoegde regel."""

    config = get_config(ctx)
    store = open_store_or_fail(config)
    try:
        result = audit_log_for(config, store).verify()
    finally:
        store.close()
    if not result.ok:
        typer.echo(f"audittrail BESCHADIGD: {result.reason}", err=True)
        raise typer.Exit(1)
    typer.echo(f"audittrail in orde: {result.rows} regels, sleutelketen en anker kloppen")


@audit_app.command("export")
def audit_export(
    ctx: typer.Context,
    output: Path | None = typer.Option(None, "--output", "-o", help="Bestand.", show_default="stdout"),
):
    """Schrijf de audittrail als JSON lines (voor de FG); de export zelf wordt vastgelegd."""

    config = get_config(ctx)
    log_ = AuditLog(config.settings.audit_log)
    rows = list(log_.rows())
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    audit(config, "audit.export", f"{len(rows)} regels")
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


@app.command("subject-request")
def subject_request_command(
    ctx: typer.Context,
    handle: str = typer.Option(..., help="De accountnaam (handle) van de betrokkene op het platform."),
    delete: bool = typer.Option(False, "--delete", help="Verwijder de gevonden berichten (anders alleen rapporteren)."),
):
    """Zoek (en verwijder met --delete) de opgeslagen berichten van een handle; toon een JSON-rapport."""

    config = get_config(ctx)
    store = open_store_or_fail(config)
    try:
        report = subject_request(store, handle, delete=False)
        if delete and report.found:
            # The row that records the deletion is written first: if the audit trail cannot
            # take it, nothing is deleted.
            audit(
                config,
                "subject.request",
                report.pseudonym,
                "verwijderen",
                {**report.as_dict(), "delete": True},
                store=store,
            )
            report = subject_request(store, handle, delete=True)
        audit(config, "subject.request", report.pseudonym, "ok", report.as_dict(), store=store)
    except MissingKeyError as exc:
        fail(str(exc))
    except ValueError as exc:
        fail(str(exc))
    finally:
        store.close()
    typer.echo(json.dumps(report.as_dict(), ensure_ascii=False))


@watches_app.command("list")
def watches_list(ctx: typer.Context):
    """De opdrachten met doel, aanleiding, einddatum en staat, als JSON lines."""

    config = get_config(ctx)
    today = today_local()
    for w in config.settings.watches:
        state = "verlopen" if not w.active(today) else ("verloopt binnenkort" if w.expires_within(today) else "actief")
        typer.echo(json.dumps({**w.model_dump(mode="json"), "state": state}, ensure_ascii=False))


@watches_app.command("renew")
def watches_renew(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="De opdracht om te verlengen."),
    until: str = typer.Option(..., help="Nieuwe einddatum (JJJJ-MM-DD)."),
    reason: str = typer.Option(..., help="Waarom de opdracht nog nodig is (vastgelegd)."),
    by: str = typer.Option(..., help="Wie tot verlengen besloot (vastgelegd)."),
):
    """Verleng een opdracht in het opdrachtenbestand, met wie en waarom."""

    config = get_config(ctx)
    if config.watches_path is None or not config.watches_path.exists():
        fail("geen opdrachtenbestand om in te verlengen (watches_file)")
    audit_ready(config)
    try:
        watch = watches.renew(config.watches_path, name, date.fromisoformat(until), by, reason, watches.today_local())
        load_config(config.path)
    except KeyError:
        fail(f"geen opdracht {name!r} in {config.watches_path}")
    except ValueError as exc:
        fail(str(exc))
    audit(config, "watch.renew", name, "ok", {"until": until, "by": by, "reason": reason})
    typer.echo(f"{watch.name}: verlengd tot {watch.expires}")


# -- demo ---------------------------------------------------------------------------------------


@app.command()
def demo(
    ctx: typer.Context,
    headless: bool = typer.Option(False, help="Start het bord niet."),
    once: bool = typer.Option(False, help="Eén volledige ronde, toon de belangrijkste signalen en stop."),
    live_every: float = typer.Option(15.0, help="Seconden tussen 'live' binnenkomende berichten."),
    port: int | None = typer.Option(
        None, min=1, max=65535, help="Poort van het bord.", show_default="board.port uit de configuratie"
    ),
):
    """Speel voorbeeldbronnen af op 127.0.0.1, draai ophalen -> nlp -> detectoren en toon het bord."""
    from onrustradar.service.demo import run_demo

    os.environ.setdefault(KEY_ENV, DEMO_KEY)

    if not os.environ.get(AUDIT_KEY_ENV):
        log.warning(
            "%s is not set: the demo signs its audit trail with a fixed demo key (never in production)", AUDIT_KEY_ENV
        )
        os.environ[AUDIT_KEY_ENV] = DEMO_AUDIT_KEY
    config = get_config(ctx, default=DEMO_CONFIG if not ctx.obj["config_path"] else None)
    if port is not None:
        board_settings = config.settings.board.model_copy(update={"port": port})
        config = config.model_copy(update={"settings": config.settings.model_copy(update={"board": board_settings})})
    if not headless:
        check_port(config.settings.board.address, config.settings.board.port)

    try:
        with stop_signals():  # Ctrl-C, SIGTERM, SIGHUP: the board and the replay stop with us
            code = run_demo(
                config,
                headless=headless,
                once=once,
                live_every=live_every,
                verbose=ctx.obj["verbose"],
                board_command=board_command,
            )
    except MissingKeyError as exc:
        fail(str(exc))
    raise typer.Exit(code)


def main() -> None:
    """The `onrustradar` entry point. A configuration problem found while a command runs (not
    only when the file is read: the analyzer's stages, a calendar) is one line and exit 2."""
    try:
        app()
    except ConfigError as exc:
        typer.echo(f"fout: {exc}", err=True)
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()
