"""Configuration: `onrustradar.yml` plus `keywords/<category>.yml`, validated with pydantic.

Every problem becomes a ConfigError naming the file, the key path and what is wrong; the CLI
prints it on one line and exits 2. Secrets never live here: they come from the environment.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from onrustradar.gazetteer import gazetteer
from onrustradar.models import CATEGORIES
from onrustradar.watches import Watch

CONFIG_ENV = "ONRUSTRADAR_CONFIG"
DEFAULT_CONFIG = Path("config/onrustradar.yml")


_SAFE_KEY = re.compile(r"^[A-Za-z0-9_.\[\], -]{1,80}$")
_LONG_QUOTE = re.compile(r"'[^']{40,}'|\"[^\"]{40,}\"")


class ConfigError(Exception):
    """`file: key: message` on one line. A key or message never carries more than a short
    word of the file's content: the file may be anything an operator pointed at."""

    def __init__(self, file: Path | str, key: str, message: str):
        key = key if not key or _SAFE_KEY.match(key) else "<sleutel>"
        message = _LONG_QUOTE.sub("'…'", " ".join(str(message).split()))[:300]
        self.file, self.key, self.message = str(file), key, message
        super().__init__(f"{self.file}: {key + ': ' if key else ''}{message}")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


_DURATION = re.compile(r"^\s*(\d+)\s*([smhd]?)\s*$")


def parse_duration(value: int | str) -> int:
    """Seconds from `90`, `"90s"`, `"15m"`, `"2h"` or `"1d"`."""
    if isinstance(value, bool):
        raise ValueError("verwacht een duur zoals 300, '5m' of '1h'")
    if isinstance(value, int):
        seconds = value
    else:
        match = _DURATION.match(str(value))
        if not match:
            raise ValueError(f"verwacht een duur zoals 300, '5m' of '1h', niet {value!r}")
        seconds = int(match[1]) * {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}[match[2]]
    if seconds <= 0:
        raise ValueError("een duur moet groter dan nul zijn")
    if seconds > MAX_INTERVAL:
        raise ValueError("een duur mag hoogstens 30 dagen zijn")
    return seconds


MAX_INTERVAL = 30 * 86400  # longer is not monitoring; far longer overflows the scheduler


Duration = Annotated[int, Field(gt=0, le=MAX_INTERVAL)]


def _official_gemeente(name: str) -> str:
    found = gazetteer().gemeente(name)
    if found is None:
        hint = gazetteer().suggest(name)
        raise ValueError(f"onbekende gemeente {name!r}" + (f" (bedoelt u {hint!r}?)" if hint else ""))
    return found.name


# A gemeente as written in config (official name, CBS code or common name), stored official.
GemeenteName = Annotated[str, AfterValidator(_official_gemeente)]


class SourceBase(Strict):
    name: str = Field(pattern=r"^[A-Za-z0-9_.-]+$")
    interval: Duration = 900
    # Who publishes here, for the reliability label: an official body, an established news
    # outlet, or social media (anyone).
    kind: Literal["official", "news", "social"] = "social"
    enabled: bool = True
    backfill_days: int = Field(default=7, ge=0, le=365)  # how far back the first crawl reaches
    # The gemeente this source reports on (a local channel or feed): settles ambiguous place
    # names in its posts ("Rijswijk", "Hengelo").
    gemeente: GemeenteName | None = None

    @field_validator("interval", mode="before")
    @classmethod
    def _interval(cls, value):
        return parse_duration(value)


class RssSource(SourceBase):
    type: Literal["rss"]
    url: str
    follow_articles: bool = False
    # Hosts besides the feed's own whose article links may be followed (public addresses only).
    follow_hosts: list[str] = []
    kind: Literal["official", "news", "social"] = "news"


def _public_channel_name(value: str) -> str:
    """A public channel's @name; invite links and private groups are refused."""
    name = value.strip().removeprefix("https://").removeprefix("t.me/").removeprefix("s/").lstrip("@")
    if name.startswith("+") or "joinchat" in name:
        raise ValueError("uitnodigingslinks worden geweigerd: alleen openbare kanalen, bij hun @naam, worden gelezen")
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{3,63}", name):
        raise ValueError(f"{value!r} is geen naam van een openbaar kanaal (letters, cijfers, _; 4 tot 64 tekens)")
    return name


class TelegramWebSource(SourceBase):
    type: Literal["telegram_web"]
    channel: str
    base_url: str = "https://t.me"

    @field_validator("channel")
    @classmethod
    def _public_channel(cls, value: str) -> str:
        return _public_channel_name(value)


class TelegramApiSource(SourceBase):
    type: Literal["telegram_api"]
    channel: str
    session_path: str = "var/telegram.session"
    # The gemeente's own organisational account the session belongs to (never a personal or
    # invented one); recorded so the FG can check it.
    official_account: str = Field(min_length=3)

    @field_validator("channel")
    @classmethod
    def _public_channel(cls, value: str) -> str:
        return _public_channel_name(value)


class MastodonSource(SourceBase):
    type: Literal["mastodon"]
    base_url: str
    tag: str | None = None
    account: str | None = None

    @model_validator(mode="after")
    def _one_timeline(self):
        if bool(self.tag) == bool(self.account):
            raise ValueError("geef precies één van 'tag' of 'account'")
        return self


class RedditSource(SourceBase):
    type: Literal["reddit"]
    subreddit: str = Field(pattern=r"^[A-Za-z0-9_]{2,32}$")
    base_url: str = "https://www.reddit.com"


class BlueskySource(SourceBase):
    type: Literal["bluesky"]
    base_url: str = "https://public.api.bsky.app"
    actor: str | None = None
    query: str | None = None

    @model_validator(mode="after")
    def _one_feed(self):
        if bool(self.actor) == bool(self.query):
            raise ValueError("geef precies één van 'actor' of 'query'")
        return self


class DumpertSource(SourceBase):
    type: Literal["dumpert"]
    base_url: str = "https://api-live.dumpert.nl"


Source = Annotated[
    RssSource | TelegramWebSource | TelegramApiSource | MastodonSource | RedditSource | BlueskySource | DumpertSource,
    Field(discriminator="type"),
]


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

    severity: dict[Literal[CATEGORIES], float] = {  # type: ignore[valid-type]
        "incident": 1.0,
        "demonstratie": 0.8,
        "supporters": 0.8,
        "scootermeeting": 0.6,
    }
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
    deployment: DeploymentConfig = DeploymentConfig()
    gemeenten: list[GemeenteName] = Field(min_length=1)
    retention_days: int = Field(default=30, ge=1, le=3650)
    store: StoreConfig = StoreConfig()
    crawl: CrawlConfig = CrawlConfig()
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
    exclusions veto the category for a post that contains them.
    """

    category: Literal[CATEGORIES]  # type: ignore[valid-type]
    description: str = ""
    terms: dict[str, float] = {}
    phrases: dict[str, float] = {}
    exclusions: list[str] = []
    threshold: float = Field(default=1.0, gt=0, le=1000)
    pending: list[str] = Field(default=[], exclude=True)  # awaiting FG approval: not applied

    @field_validator("terms", "phrases")
    @classmethod
    def _weights(cls, weights: dict[str, float]) -> dict[str, float]:
        for term, weight in weights.items():
            if not str(term).strip():
                raise ValueError("leeg trefwoord")
            if not -5 <= weight <= 5:
                raise ValueError(f"het gewicht van {term!r} moet tussen -5 en 5 liggen")
        return {str(t).strip().casefold(): float(w) for t, w in weights.items()}

    @field_validator("exclusions")
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


def _key_path(loc: tuple) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _clean_loc(loc: tuple) -> tuple:
    # Discriminated unions add the tag ("rss", ...) and validators add "function-after[...]"
    # to the location; a person wants the keys they wrote.
    return tuple(p for p in loc if not (isinstance(p, str) and ("[" in p or p in _SOURCE_TAGS)))


_SOURCE_TAGS = {"rss", "telegram_web", "telegram_api", "mastodon", "reddit", "bluesky", "dumpert"}


# pydantic's own messages, in Dutch, by error type (ctx values filled in)
_PYDANTIC_NL = {
    "int_parsing": "geef een geheel getal",
    "int_type": "geef een geheel getal",
    "int_from_float": "geef een geheel getal",
    "float_parsing": "geef een getal",
    "float_type": "geef een getal",
    "bool_parsing": "geef true of false",
    "bool_type": "geef true of false",
    "string_type": "geef tekst",
    "list_type": "geef een lijst",
    "dict_type": "geef sleutels met waarden",
    "model_type": "geef sleutels met waarden",
    "model_attributes_type": "geef sleutels met waarden",
    "greater_than": "moet groter zijn dan {gt}",
    "greater_than_equal": "moet minstens {ge} zijn",
    "less_than": "moet kleiner zijn dan {lt}",
    "less_than_equal": "mag hoogstens {le} zijn",
    "string_too_short": "te kort (minstens {min_length} tekens)",
    "string_too_long": "te lang (hoogstens {max_length} tekens)",
    "too_short": "te weinig (minstens {min_length})",
    "too_long": "te veel (hoogstens {max_length})",
    "literal_error": "kies uit {expected}",
    "enum": "kies uit {expected}",
    "date_parsing": "geef een datum JJJJ-MM-DD",
    "date_type": "geef een datum JJJJ-MM-DD",
    "date_from_datetime_parsing": "geef een datum JJJJ-MM-DD",
    "string_pattern_mismatch": "heeft niet de juiste vorm",
}


def _first_error(file: Path, exc: ValidationError) -> ConfigError:
    err = exc.errors()[0]
    message = err["msg"].removeprefix("Value error, ")
    if err["type"] == "extra_forbidden":
        message = "onbekende sleutel"
    elif err["type"] == "union_tag_invalid":
        message = f"onbekend brontype '{err['ctx']['tag']}' (een van {err['ctx']['expected_tags']})"
    elif err["type"] == "union_tag_not_found":
        message = "sleutel 'type' ontbreekt"
    elif err["type"] == "missing":
        message = "verplichte sleutel ontbreekt"
    elif err["type"] in _PYDANTIC_NL:
        ctx = {
            k: (str(v).replace(" or ", " of ") if isinstance(v, str) else v) for k, v in (err.get("ctx") or {}).items()
        }
        try:
            message = _PYDANTIC_NL[err["type"]].format(**ctx)
        except (KeyError, IndexError):
            pass
    return ConfigError(file, _key_path(_clean_loc(tuple(err["loc"]))), message)


MAX_FILE_BYTES = 5 * 1024 * 1024  # no configuration file is this large


MAX_ALIASES = 20  # YAML aliases per file: enough for reuse, too few for a "billion laughs" expansion


class _UniqueKeyLoader(yaml.SafeLoader):
    """SafeLoader that refuses a key given twice in one mapping (YAML would keep the last
    silently, so an edit lower in a file could undo a setting unseen), and more than a few
    aliases (each can multiply the document: a small file could expand past memory)."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.events.AliasEvent):
            self._aliases = getattr(self, "_aliases", 0) + 1
            if self._aliases > MAX_ALIASES:
                raise yaml.composer.ComposerError(
                    None, None, f"meer dan {MAX_ALIASES} aliassen", self.peek_event().start_mark
                )
        return super().compose_node(parent, index)

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                duplicate = key in seen
                seen.add(key)
            except TypeError:  # an unhashable key: the base class reports it
                continue
            if duplicate:
                raise yaml.constructor.ConstructorError(None, None, "sleutel staat er twee keer", key_node.start_mark)
        return super().construct_mapping(node, deep)


def parse_yaml(text: str, path: Path | str):
    """YAML text -> data, with every failure a ConfigError (line and column, never content)."""
    try:
        return yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 — a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"regel {mark.line + 1}, kolom {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "onleesbaar"
        raise ConfigError(path, where, f"ongeldige YAML: {problem}") from None
    except RecursionError:
        raise ConfigError(path, "", "ongeldige YAML: te diep genest") from None


def read_text(path: Path) -> str:
    """A configuration file's text; ConfigError for a missing file, a directory, a huge file
    or one that is not UTF-8 (without quoting any of it)."""
    try:
        if path.is_dir():
            raise ConfigError(path, "", "is een map, geen bestand")
        if not path.exists():
            raise ConfigError(path, "", "bestand niet gevonden")
        if not path.is_file():
            raise ConfigError(path, "", "is geen gewoon bestand")
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ConfigError(path, "", "bestand te groot voor een configuratiebestand")
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(path, "", f"kan het bestand niet lezen ({exc.strerror or type(exc).__name__})") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(path, "", f"geen UTF-8-tekst (byte {exc.start})") from None


def _read_yaml(path: Path) -> dict:
    data = parse_yaml(read_text(path), path)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(path, "", "verwacht sleutels met waarden op het hoogste niveau")
    return data


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
    from detectors.context import load_calendar

    events = []
    for name in names:
        path = config_dir / name
        _read_yaml(path)
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
    left out until the FG approved them (see onrustradar.approvals)."""
    from onrustradar import approvals

    decisions = approvals.load(directory) if gated else []
    lists = {}
    for category in CATEGORIES:
        path = directory / f"{category}.yml"
        data = _read_yaml(path)
        data.setdefault("category", category)
        try:
            kl = KeywordList.model_validate(data)
        except ValidationError as exc:
            raise _first_error(path, exc) from None
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
        raise _first_error(Path(label), exc) from None


def resolve_config_path(path: str | Path | None) -> Path:
    return Path(path or os.environ.get(CONFIG_ENV) or DEFAULT_CONFIG)


def _with_watches(path: Path, settings: Settings) -> Settings:
    from onrustradar.watches import cross_check, load_watches_file

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
        if match and int(match[1]) >= n_inline:
            raise ConfigError(file, f"watches[{int(match[1]) - n_inline}]{match[2]}", message)
        raise ConfigError(path, key, message)
    return settings


def load_config(path: str | Path | None = None) -> Config:
    path = resolve_config_path(path)
    data = _read_yaml(path)
    try:
        settings = Settings.model_validate(data)
    except ValidationError as exc:
        raise _first_error(path, exc) from None
    settings = _with_watches(path, settings)
    keywords = load_keywords((path.parent / settings.keywords_dir).resolve())
    load_calendars(path.parent, settings.detectors.calendars)  # calendars are config too: check them now
    return Config(path=path.resolve(), settings=settings, keywords=keywords)
