"""Configuration: `onrustradar.yml` plus `keywords/<category>.yml`, validated with pydantic.

Every problem becomes a ConfigError naming the file, the key path and what is wrong; the CLI
prints it on one line and exits 2. Secrets never live here: they come from the environment.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Literal

import yaml
from pydantic import (
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from onrustradar.config.base import Duration, Strict, parse_duration
from onrustradar.config.messages import first_error
from onrustradar.config.sources import Source
from onrustradar.config.watches import Watch, cross_check, load_watches_file
from onrustradar.core.calendars import load_calendar
from onrustradar.core.errors import ConfigError
from onrustradar.core.models import CATEGORIES, DEFAULT_SEVERITY
from onrustradar.core.validation import GemeenteName
from onrustradar.core.yamlfiles import parse_yaml, read_yaml
from onrustradar.governance import approvals

CONFIG_ENV = "ONRUSTRADAR_CONFIG"
DEFAULT_CONFIG = Path("config/onrustradar.yml")


class StoreConfig(Strict):
    """`sqlite` (embedded, the default: `path`) or `elasticsearch` (`hosts`, `index_prefix`,
    `analyzer`, TLS options; username/password or API key from the environment)."""

    backend: Literal["sqlite", "elasticsearch"] = "sqlite"
    path: str = "var/onrustradar.sqlite"
    hosts: list[str] = ["http://127.0.0.1:9200"]
    index_prefix: str = Field(default="onrustradar", pattern=r"^[a-z0-9][a-z0-9_-]*$")
    analyzer: str = "dutch"  # "standard" where the analysis-common module is absent
    verify_certs: bool = True
    ca_certs: str | None = None
    shards: int = Field(default=1, ge=1, le=64)
    replicas: int = Field(default=0, ge=0, le=5)


class ScheduleConfig(Strict):
    process_interval: Duration = 60
    timezone: Literal["Europe/Amsterdam"] = "Europe/Amsterdam"

    @field_validator("process_interval", mode="before")
    @classmethod
    def _interval(cls, value):
        return parse_duration(value)


class SmtpConfig(Strict):
    host: str = "localhost"
    port: int = Field(default=587, ge=1, le=65535)
    starttls: bool = True
    sender: str = "onrustradar@localhost"
    timeout: float = Field(default=30, gt=0, le=600)
    retries: int = Field(default=4, ge=0, le=10)  # on temporary (4xx) failures, with backoff
    backoff: float = Field(default=5, ge=0, le=3600)  # seconds before the first retry, doubling
    ca_file: str | None = None  # a CA bundle for the server's certificate (e.g. the gemeente's own CA)


class DigestConfig(Strict):
    time: str = Field(default="07:00", pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    recipients: dict[GemeenteName, list[str]] = {}
    board_url: str = "http://localhost:8501"


class AlertsConfig(Strict):
    """Immediate e-mail when a signal crosses the urgency threshold: once per signal, again
    only when it escalates (score × `escalation`) and the cooldown has passed."""

    threshold: float = Field(default=150, gt=0, le=1_000_000)
    recipients: dict[GemeenteName, list[str]] = {}
    cooldown_hours: float = Field(default=6, ge=0, le=720)
    escalation: float = Field(default=1.5, gt=1, le=100)


_TIME = r"^([01]\d|2[0-3]):[0-5]\d$"
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


class WeeklyReportConfig(Strict):
    weekday: Literal[WEEKDAYS] = "monday"  # type: ignore[valid-type]
    time: str = Field(default="08:00", pattern=_TIME)


class MonthlyReportConfig(Strict):
    day: int = Field(default=1, ge=1, le=28)  # a day every month has
    time: str = Field(default="08:00", pattern=_TIME)


class ReportsConfig(Strict):
    """The periodic PDF briefing that `run` mails: weekly and/or monthly, each exactly once.
    Recipients per gemeente; without them the digest's recipients."""

    weekly: WeeklyReportConfig | None = None
    monthly: MonthlyReportConfig | None = None
    recipients: dict[GemeenteName, list[str]] = {}


class MeldingenConfig(Strict):
    """Eigen meldingen: the meldpunt's mailbox per gemeente, to which a terugkoppeling for the
    reporter is sent with the melding's kenmerk (Onrustradar keeps no reporter's address)."""

    meldpunt: dict[GemeenteName, str] = {}


class BoardConfig(Strict):
    address: str = "127.0.0.1"
    port: int = Field(default=8501, ge=1, le=65535)
    refresh_seconds: int = Field(default=30, ge=5, le=3600)
    # An optional tile background for the map (off by default: the board then needs no
    # network), a Web Mercator URL template such as PDOK's BRT-Achtergrondkaart
    # https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/{z}/{x}/{y}.png
    map_tiles: str | None = Field(default=None, max_length=500)
    map_attribution: str = Field(default="", max_length=200)

    @field_validator("map_tiles")
    @classmethod
    def _tiles(cls, value: str | None) -> str | None:
        if value is None:
            return value
        if not re.fullmatch(r"https?://[^\s\"'<>]+", value) or not all(p in value for p in ("{z}", "{x}", "{y}")):
            raise ValueError("map_tiles moet een http(s)-URL-sjabloon met {z}, {x} en {y} zijn")
        return value


class AnalysisConfig(Strict):
    """The analyzer's stages, run in this order (nlp.pipeline.STAGES; checked when the analyzer
    is built: an unknown name, or a stage before one it needs, is a configuration error)."""

    stages: list[str] = Field(default=["categories", "when", "where"], min_length=1, max_length=20)

    @field_validator("stages")
    @classmethod
    def _names(cls, names: list[str]) -> list[str]:
        for name in names:
            if not re.fullmatch(r"[a-z][a-z0-9_]{0,39}", name):
                raise ValueError("een stapnaam bestaat uit kleine letters, cijfers en _")
        if len(set(names)) != len(names):
            raise ValueError("elke stap hoogstens één keer")
        return names


class CrawlConfig(Strict):
    """How politely and how patiently sources are fetched."""

    timeout: float = Field(default=20, gt=0, le=600)  # seconds per request
    retries: int = Field(default=3, ge=0, le=10)  # with exponential backoff
    backoff: float = Field(default=2.0, ge=0, le=3600)  # first retry delay in seconds, doubling
    max_page_mb: int = Field(default=10, ge=1, le=100)  # larger responses are skipped
    concurrent_per_domain: int = Field(default=2, ge=1, le=16)
    autothrottle: bool = True


class DetectorsConfig(Strict):
    """How posts become signals: category severity, context calendars and which channels
    count as official or established news (the reliability registry)."""

    severity: dict[Literal[CATEGORIES], float] = dict(DEFAULT_SEVERITY)  # type: ignore[valid-type]
    calendars: list[str] = []  # YAML files, relative to the config file and inside its directory
    # Channel names (shell patterns, case-insensitive) of posts from files or unknown sources.
    official_channels: list[str] = [
        "politie*",
        "gemeente*",
        "veiligheidsregio*",
        "brandweer*",
        "openbaar_ministerie*",
        "om_*",
        "burgemeester_*",
    ]
    news_channels: list[str] = [
        "nos*",
        "rtv*",
        "omroep*",
        "nh*nieuws*",
        "at5*",
        "rijnmond*",
        "l1*",
        "anp*",
        "regio*nieuws*",
        "nu.nl",
        "nunl*",
        "telegraaf*",
        "volkskrant*",
        "nrc*",
        "ad_*",
        "ad.nl",
        "dvhn*",
        "tubantia*",
        "destentor*",
        "gelderlander*",
        "bndestem*",
        "ed_*",
        "bd_*",
        "limburger*",
        "pzc*",
        "lc_*",
        "leeuwarder*",
    ]

    @field_validator("calendars")
    @classmethod
    def _inside(cls, names: list[str]) -> list[str]:
        for name in names:
            if Path(name).is_absolute() or ".." in Path(name).parts:
                raise ValueError("een kalender is een bestand in de configuratiemap (een relatief pad zonder '..')")
        return names

    @field_validator("severity")
    @classmethod
    def _range(cls, severity: dict) -> dict:
        for category, value in severity.items():
            if not 0 < value <= 5:
                raise ValueError(f"de ernst van {category} moet tussen 0 en 5 liggen")
        return severity


class OidcProviderConfig(Strict):
    """The gemeente's OpenID Connect identity provider (Streamlit's st.login). The client
    secret and the cookie secret come from ONRUSTRADAR_OIDC_CLIENT_SECRET and
    ONRUSTRADAR_COOKIE_SECRET."""

    server_metadata_url: str = Field(pattern=r"^https?://")
    client_id: str = Field(min_length=1)
    redirect_uri: str = Field(pattern=r"^https?://.*/oauth2callback$")
    scopes: str = "openid email profile"
    prompt: str = "select_account"  # sent with the authorisation request ("login" forces a fresh sign-in)


class UserEntry(Strict):
    email: str = Field(min_length=3)
    roles: list[Literal["lezer", "analist", "beheerder", "fg"]] = Field(min_length=1)
    gemeenten: list[GemeenteName] = Field(min_length=1)


class AuthConfig(Strict):
    """Sign-in and roles. Without a provider the board runs only on a loopback address, as a
    clearly marked demo. Roles and gemeenten come from `users` or from the IdP's claims."""

    provider: OidcProviderConfig | None = None
    roles_claim: str = "roles"
    gemeenten_claim: str = "gemeenten"
    users: list[UserEntry] = []


class DeploymentConfig(Strict):
    name: str = "Onrustradar"
    # Crawlers identify themselves honestly; name the gemeente and a contact address.
    user_agent: str = "Onrustradar/0.1 (+https://github.com/onrustradar; gemeente monitoring)"


class Settings(Strict):
    """onrustradar.yml as validated: gemeenten, sources, store, schedule, mail, board, detectors and the rest."""

    deployment: DeploymentConfig = DeploymentConfig()
    gemeenten: list[GemeenteName] = Field(min_length=1)
    retention_days: int = Field(default=30, ge=1, le=3650)
    store: StoreConfig = StoreConfig()
    crawl: CrawlConfig = CrawlConfig()
    analysis: AnalysisConfig = AnalysisConfig()
    detectors: DetectorsConfig = DetectorsConfig()
    schedule: ScheduleConfig = ScheduleConfig()
    sources: list[Source] = []
    smtp: SmtpConfig = SmtpConfig()
    digest: DigestConfig = DigestConfig()
    alerts: AlertsConfig = AlertsConfig()
    reports: ReportsConfig = ReportsConfig()
    meldingen: MeldingenConfig = MeldingenConfig()
    board: BoardConfig = BoardConfig()
    keywords_dir: str = "keywords"
    auth: AuthConfig = AuthConfig()
    audit_log: str = "var/audit.jsonl"  # append-only, hash-chained (onrustradar audit verify)
    watches: list[Watch] = []
    watches_file: str | None = "watches.yml"  # relative to this file; merged with `watches`

    @field_validator("keywords_dir", "watches_file")
    @classmethod
    def _inside_config_dir(cls, name: str | None) -> str | None:
        # Files read as configuration live beside it: a path elsewhere would let an error
        # message quote a line of any file on the server.
        if name is not None and (Path(name).is_absolute() or ".." in Path(name).parts):
            raise ValueError("moet een pad binnen de configuratiemap zijn (relatief, zonder '..')")
        return name

    @model_validator(mode="after")
    def _unique_source_names(self):
        seen = set()
        for source in self.sources:
            if source.name in seen:
                raise ValueError(f"de bronnaam {source.name!r} komt twee keer voor")
            seen.add(source.name)
        return self


class KeywordList(Strict):
    """An analyst-editable keyword list for one category.

    terms match whole words (a trailing * matches any ending), phrases match word sequences,
    exclusions veto the category for a post that contains them. measures are exclusions that
    name a measure taken after an incident ("sluit woning", "hardere aanpak"): they veto the
    category as well, yet a post naming one may still join the incident it points back at, as
    its aftermath (detectors.attach).
    """

    category: Literal[CATEGORIES]  # type: ignore[valid-type]
    description: str = ""
    terms: dict[str, float] = {}
    phrases: dict[str, float] = {}
    exclusions: list[str] = []
    measures: list[str] = []
    threshold: float = Field(default=1.0, gt=0, le=1000)
    # Added when a post with a hit of this list names a clock time: a call says when
    # ("ZONDAG 14:00 🛵 Borchwerf"), where the same words without a time are chatter.
    call_weight: float = Field(default=0.0, ge=0, le=5)
    pending: list[str] = Field(default=[], exclude=True)  # awaiting FG approval: not applied

    @field_validator("terms", "phrases")
    @classmethod
    def _weights(cls, weights: dict[str, float]) -> dict[str, float]:
        for term, weight in weights.items():
            if not str(term).strip():
                raise ValueError("leeg trefwoord")
            if not re.search(r"\w", str(term)) and str(term).strip().isascii():
                # a term without a word is a symbol found anywhere in the text ("🛵"); plain
                # punctuation (".", "!") would be found in nearly every post
                raise ValueError(f"trefwoord {term!r} bestaat alleen uit leestekens")
            if not -5 <= weight <= 5:
                raise ValueError(f"het gewicht van {term!r} moet tussen -5 en 5 liggen")
        return {str(t).strip().casefold(): float(w) for t, w in weights.items()}

    @field_validator("exclusions", "measures")
    @classmethod
    def _exclusions(cls, items: list[str]) -> list[str]:
        return [str(i).strip().casefold() for i in items if str(i).strip()]


class Config(Strict):
    """Settings plus the keyword lists, and where they were read from."""

    path: Path
    settings: Settings
    keywords: dict[str, KeywordList]

    @property
    def keywords_dir(self) -> Path:
        return (self.path.parent / self.settings.keywords_dir).resolve()

    @property
    def watches_path(self) -> Path | None:
        name = self.settings.watches_file
        return (self.path.parent / name).resolve() if name else None

    def source(self, name: str):
        for source in self.settings.sources:
            if source.name == name:
                return source
        raise KeyError(name)


_CALENDAR_KEYS = {
    "kind",
    "categories",
    "weight",
    "window_hours",
    "entries",
    "date",
    "time",
    "gemeente",
    "label",
    "home",
    "away",
    "stadium",
}


def load_calendars(config_dir: Path, names: list[str]) -> list:
    """The context calendars as the detectors use them. Each file is read and checked here
    first (directory, encoding, YAML, shape), so every problem is a ConfigError."""
    events = []
    for name in names:
        path = config_dir / name
        read_yaml(path)
        try:
            loaded = load_calendar(path)
            for i, event in enumerate(loaded):
                if not 1990 <= event.start.year < 2100:  # the detectors add windows to these dates
                    raise ConfigError(path, f"entries.{i}.date", "moet tussen 1990 en 2100 liggen")
            events += loaded
        except ConfigError as exc:
            # Keys are echoed only when they are calendar keys: an unknown one may be any text.
            known = all(part.isdigit() or part in _CALENDAR_KEYS for part in exc.key.split("."))
            message = re.sub(r"'[^']*'|\"[^\"]*\"", "'…'", exc.message)  # no values quoted from the file
            raise ConfigError(path, exc.key if known else "<onbekende sleutel>", message) from None
        except (OSError, ValueError, TypeError, RecursionError, yaml.YAMLError) as exc:
            raise ConfigError(path, "", f"onbruikbare kalender ({type(exc).__name__})") from None
    return events


def load_keywords(directory: Path, gated: bool = True) -> dict[str, KeywordList]:
    """The keyword lists. With `gated`, terms that look like a person's name or handle are
    left out until the FG approved them (see onrustradar.governance.approvals)."""
    decisions = approvals.load(directory) if gated else []
    lists = {}
    for category in CATEGORIES:
        path = directory / f"{category}.yml"
        data = read_yaml(path)
        data.setdefault("category", category)
        try:
            kl = KeywordList.model_validate(data)
        except ValidationError as exc:
            raise first_error(path, exc) from None
        if kl.category != category:
            raise ConfigError(path, "category", f"moet {category!r} zijn, zoals de bestandsnaam")
        blocked = approvals.gated_terms(data, category, decisions) if gated else set()
        if blocked:
            kl = kl.model_copy(
                update={
                    "terms": {t: w for t, w in kl.terms.items() if t not in blocked},
                    "phrases": {t: w for t, w in kl.phrases.items() if t not in blocked},
                    "pending": sorted(blocked),
                }
            )
        lists[category] = kl
    return lists


def parse_keyword_yaml(text: str, category: str, label: str = "<editor>") -> KeywordList:
    """Validate keyword-list YAML edited on the board, with the same messages as files."""
    data = parse_yaml(text, label) or {}
    if not isinstance(data, dict):
        raise ConfigError(label, "", "verwacht sleutels met waarden op het hoogste niveau")
    data.setdefault("category", category)
    try:
        return KeywordList.model_validate(data)
    except ValidationError as exc:
        raise first_error(Path(label), exc) from None


def resolve_config_path(path: str | Path | None) -> Path:
    """The config file: the given path, else $ONRUSTRADAR_CONFIG, else config/onrustradar.yml."""
    return Path(path or os.environ.get(CONFIG_ENV) or DEFAULT_CONFIG)


def _with_watches(path: Path, settings: Settings) -> Settings:
    watches = list(settings.watches)
    file = path.parent / settings.watches_file if settings.watches_file else None
    if file is not None and file.exists():
        watches += load_watches_file(file).watches
    settings = settings.model_copy(update={"watches": watches})
    problem = cross_check(settings)
    if problem:
        key, message = problem
        n_inline = len(watches) - (len(load_watches_file(file).watches) if file is not None and file.exists() else 0)
        match = re.match(r"watches\[(\d+)\](.*)", key)
        if match and file is not None and int(match[1]) >= n_inline:
            raise ConfigError(file, f"watches[{int(match[1]) - n_inline}]{match[2]}", message)
        raise ConfigError(path, key, message)
    return settings


def load_config(path: str | Path | None = None) -> Config:
    """The validated configuration with its keyword lists, watches and calendars; every problem is a ConfigError naming
    file and key."""
    path = resolve_config_path(path)
    data = read_yaml(path)
    try:
        settings = Settings.model_validate(data)
    except ValidationError as exc:
        raise first_error(path, exc) from None
    settings = _with_watches(path, settings)
    keywords = load_keywords((path.parent / settings.keywords_dir).resolve())
    load_calendars(path.parent, settings.detectors.calendars)  # calendars are config too: check them now
    return Config(path=path.resolve(), settings=settings, keywords=keywords)
