"""The CLI's own words in Dutch: Click's and Typer's built-in texts (usage, headings, "[default:
…]", the help option, their error messages) are translated here, so `--help` and every error
read Dutch like the rest of Onrustradar. Click and Typer's help look their texts up through
gettext, and `install()` gives those modules a Dutch catalogue; the copy of Click that Typer
carries writes its texts directly, so its usage line, help option and error messages are
translated where they are made (a text without a translation stays as it was)."""

from __future__ import annotations

import functools
import importlib
import re
from collections.abc import Callable
from typing import Any

DUTCH = {
    # help
    "Usage:": "Gebruik:",
    "Options": "Opties",
    "Commands": "Opdrachten",
    "Arguments": "Argumenten",
    "Positional arguments": "Argumenten",
    "Show this message and exit.": "Toon deze hulp en stop.",
    "Show the version and exit.": "Toon de versie en stop.",
    "[default: {}]": "[standaard: {}]",
    "default: {default}": "standaard: {default}",
    "[env var: {}]": "[omgevingsvariabele: {}]",
    "env var: {var}": "omgevingsvariabele: {var}",
    "[required]": "[verplicht]",
    "required": "verplicht",
    "(deprecated) ": "(verouderd) ",
    "deprecated": "verouderd",
    "(dynamic)": "(dynamisch)",
    "Error": "Fout",
    "Aborted.": "Afgebroken.",
    "Aborted!": "Afgebroken!",
    "Try [blue]'{command_path} {help_option}'[/] for help.": "Zie [blue]'{command_path} {help_option}'[/] voor hulp.",
    "Try '{command} {option}' for help.": "Zie '{command} {option}' voor hulp.",
    # errors
    "Error: {message}": "Fout: {message}",
    "Missing command.": "Geef een opdracht.",
    "No such command {name!r}.": "Onbekende opdracht {name!r}.",
    "No such option {name!r}.": "Onbekende optie {name!r}.",
    "No such option: {name}": "Onbekende optie: {name}",
    "Missing option": "Ontbrekende optie",
    "Missing argument": "Ontbrekend argument",
    "Missing parameter": "Ontbrekende parameter",
    "Missing parameter: {param_name}": "Ontbrekende parameter: {param_name}",
    "Missing {param_type}": "Ontbrekend: {param_type}",
    "Invalid value for {param_hint}: {message}": "Ongeldige waarde voor {param_hint}: {message}",
    "Invalid value: {message}": "Ongeldige waarde: {message}",
    "Option {name!r} does not take a value.": "Optie {name!r} neemt geen waarde.",
    "Argument {name!r} takes {nargs} values.": "Argument {name!r} neemt {nargs} waarden.",
    "{value!r} is not a valid {number_type}.": "{value!r} is geen geldig {number_type}.",
    "{value} is not in the range {range}.": "{value} ligt niet in het bereik {range}.",
    "{value!r} is not a valid UUID.": "{value!r} is geen geldige UUID.",
    "{name} {filename!r} does not exist.": "{name} {filename!r} bestaat niet.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} is een map.",
    "{name} {filename!r} is a file.": "{name} {filename!r} is een bestand.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} is niet leesbaar.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} is niet schrijfbaar.",
    "{name} {filename!r} is not executable.": "{name} {filename!r} is niet uitvoerbaar.",
    "Could not open file {filename!r}: {message}": "Kan bestand {filename!r} niet openen: {message}",
    "Choose from:\n\t{choices}": "Kies uit:\n\t{choices}",
    "file": "bestand",
    "directory": "map",
    "path": "pad",
    "unknown error": "onbekende fout",
    "integer": "geheel getal",
    "float": "getal",
}
PLURALS = {
    ("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"): (
        "Onverwacht extra argument ({args})",
        "Onverwachte extra argumenten ({args})",
    ),
    ("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."): (
        "Optie {name!r} vraagt een waarde.",
        "Optie {name!r} vraagt {nargs} waarden.",
    ),
    ("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"): (
        "Bedoelt u {possibility}?",
        "(Bedoelt u een van: {possibilities}?)",
    ),
    ("Takes {nargs} values but 1 was given.", "Takes {nargs} values but {len} were given."): (
        "Neemt {nargs} waarden, maar er is 1 gegeven.",
        "Neemt {nargs} waarden, maar er zijn {len} gegeven.",
    ),
}
MODULES = (
    "click.core",
    "click.exceptions",
    "click.types",
    "click.parser",
    "click.formatting",
    "click.decorators",
    "click.termui",
    "click.utils",
    "typer.core",
    "typer.rich_utils",
)
# Typer's rich help reads these module constants, computed once at import.
RICH_CONSTANTS = {
    "DEPRECATED_STRING": "(deprecated) ",
    "DEFAULT_STRING": "[default: {}]",
    "ENVVAR_STRING": "[env var: {}]",
    "REQUIRED_LONG_STRING": "[required]",
    "ARGUMENTS_PANEL_TITLE": "Arguments",
    "OPTIONS_PANEL_TITLE": "Options",
    "COMMANDS_PANEL_TITLE": "Commands",
    "ERRORS_PANEL_TITLE": "Error",
    "ABORTED_TEXT": "Aborted.",
    "RICH_HELP": "Try [blue]'{command_path} {help_option}'[/] for help.",
}


def gettext(message: str) -> str:
    return DUTCH.get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    one, many = PLURALS.get((singular, plural), (singular, plural))
    return one if n == 1 else many


def install() -> None:
    for name in MODULES:
        try:
            module: Any = importlib.import_module(name)
        except ImportError:
            continue
        if hasattr(module, "_"):
            module._ = gettext
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext
    rich: Any = importlib.import_module("typer.rich_utils")
    for constant, english in RICH_CONSTANTS.items():
        if hasattr(rich, constant):
            setattr(rich, constant, gettext(english))
    _install_vendored()


# Error messages of Typer's own copy of Click, by pattern.
MESSAGES: list[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]]] = [
    (re.compile(r"^No such option: (.*)$", re.S), r"Onbekende optie: \1"),
    (re.compile(r"^No such command '(.*)'\.$", re.S), r"Onbekende opdracht '\1'."),
    (re.compile(r"^Missing option (.*?)\.( .*)?$", re.S), r"Ontbrekende optie \1.\2"),
    (re.compile(r"^Missing argument (.*?)\.( .*)?$", re.S), r"Ontbrekend argument \1.\2"),
    (re.compile(r"^Missing parameter: (.*)$", re.S), r"Ontbrekende parameter: \1"),
    (re.compile(r"^Missing command\.$"), "Geef een opdracht."),
    (re.compile(r"^Invalid value for (.*?): (.*)$", re.S), r"Ongeldige waarde voor \1: \2"),
    (re.compile(r"^Invalid value: (.*)$", re.S), r"Ongeldige waarde: \1"),
    (re.compile(r"^Got unexpected extra arguments? \((.*)\)$", re.S), r"Onverwacht extra argument (\1)"),
    (re.compile(r"^Option '(.*)' requires an argument\.$"), r"Optie '\1' vraagt een waarde."),
    (re.compile(r"^Option '(.*)' does not take a value\.$"), r"Optie '\1' neemt geen waarde."),
    (re.compile(r"(.*) \(Possible options: (.*)\)$", re.S), r"\1 (mogelijke opties: \2)"),
    (re.compile(r"^'(.*)' is not a valid integer( range)?\.$"), r"'\1' is geen geheel getal."),
    (re.compile(r"^'(.*)' is not a valid float( range)?\.$"), r"'\1' is geen getal."),
    (re.compile(r"^'(.*)' is not a valid boolean\.$"), r"'\1' is geen ja/nee-waarde."),
    (re.compile(r"^(.*) is not in the range (.*)\.$"), r"\1 ligt niet in het bereik \2."),
    (re.compile(r"^(.*) is not one of (.*)\.$", re.S), r"\1 is niet een van \2."),
    (re.compile(r"Input should be a valid integer[^\n]*"), "geef een geheel getal"),
    (re.compile(r"Input should be a valid number[^\n]*"), "geef een getal"),
    (re.compile(r"Input should be a valid boolean[^\n]*"), "geef ja of nee (true/false)"),
    (
        re.compile(r"Input should be (greater|less) than or equal to ([^\n]*)"),
        lambda m: f"geef een waarde {'van minstens' if m[1] == 'greater' else 'van hoogstens'} {m[2]}",
    ),
]
USAGE_WORDS = {"[OPTIONS]": "[OPTIES]", "COMMAND": "OPDRACHT", "[ARGS]": "[ARGUMENTEN]"}


def message(text: str) -> str:
    for pattern, dutch in MESSAGES:
        text = pattern.sub(dutch, text)
    return text


def _mark(function: Callable[..., Any]) -> None:
    """Note that a patched function is ours, so a second install() does not wrap it again."""
    function.__dict__["_nl"] = True


def _install_vendored() -> None:
    try:
        # Typer's vendored copy of Click ships no type information: patched as plain objects.
        exceptions: Any = importlib.import_module("typer._click.exceptions")
        formatting: Any = importlib.import_module("typer._click.formatting")
        decorators: Any = importlib.import_module("typer._click.decorators")
    except ImportError:
        return
    cls: Any
    for cls in vars(exceptions).values():
        original = vars(cls).get("format_message") if isinstance(cls, type) else None
        if original is not None and not getattr(original, "_nl", False):

            @functools.wraps(original)
            def format_message(self, _original=original):
                return message(_original(self))

            _mark(format_message)
            setattr(cls, "format_message", format_message)  # noqa: B010 (a class without type information)
    writer = formatting.HelpFormatter.write_usage
    if not getattr(writer, "_nl", False):

        @functools.wraps(writer)
        def write_usage(self, prog, args="", prefix=None, _writer=writer):
            for english, dutch in USAGE_WORDS.items():
                args = args.replace(english, dutch)
            return _writer(self, prog, args, "Gebruik: " if prefix is None else prefix)

        _mark(write_usage)
        formatting.HelpFormatter.write_usage = write_usage
    helper = decorators.help_option
    if not getattr(helper, "_nl", False):

        @functools.wraps(helper)
        def help_option(*args, _helper=helper, **kwargs):
            decorate = _helper(*args, **kwargs)

            def apply(f):
                result = decorate(f)
                for param in getattr(result, "params", []) or getattr(f, "__click_params__", []):
                    if getattr(param, "help", None) == "Show this message and exit.":
                        param.help = DUTCH[param.help]
                return result

            return apply

        _mark(help_option)
        decorators.help_option = help_option
