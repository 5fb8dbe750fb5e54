"""Configuration: `onrustradar.yml`, keyword lists, watches and calendars, validated with
pydantic. The names below are the package's public API; the modules behind them:

- `settings`: the settings models and `load_config`;
- `sources`: the source-type registry `SOURCE_TYPES` and one model per type;
- `kinds`: the reliability registry (official, news, social) of configured sources;
- `watches`, `keyword_files`: the analysts' watch file and keyword-list edits;
- `messages`, `base`: Dutch validation messages and the shared building blocks.
"""

from onrustradar.config.base import Strict, parse_duration
from onrustradar.config.kinds import source_kinds
from onrustradar.config.settings import (
    CONFIG_ENV,
    WEEKDAYS,
    Config,
    KeywordList,
    Settings,
    SmtpConfig,
    load_calendars,
    load_config,
    load_keywords,
    parse_keyword_yaml,
    resolve_config_path,
)
from onrustradar.config.sources import SOURCE_TYPES, Source, SourceType, TelegramApiSource
from onrustradar.core.errors import ConfigError
from onrustradar.core.validation import GemeenteName
from onrustradar.core.yamlfiles import parse_yaml

__all__ = [
    "CONFIG_ENV",
    "SOURCE_TYPES",
    "WEEKDAYS",
    "Config",
    "ConfigError",
    "GemeenteName",
    "KeywordList",
    "Settings",
    "SmtpConfig",
    "Source",
    "SourceType",
    "Strict",
    "TelegramApiSource",
    "load_calendars",
    "load_config",
    "load_keywords",
    "parse_duration",
    "parse_keyword_yaml",
    "parse_yaml",
    "resolve_config_path",
    "source_kinds",
]
