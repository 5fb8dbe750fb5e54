"""The analyzer a configuration asks for: the shipped model, the keyword lists, the sources'
home gemeenten and the configured stages. Kept apart from the processing path so that
`classify` loads no detector code."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from onrustradar.config import Config, ConfigError
from onrustradar.core.gazetteer import gazetteer

if TYPE_CHECKING:
    from nlp.model import TrainedModel
    from nlp.pipeline import Analyzer


@lru_cache(maxsize=4)
def _model(path: str) -> TrainedModel | None:
    # Lazy: the model's libraries (scikit-learn, SciPy) take over a second to import; commands
    # and ticks that analyse nothing do not pay it.
    from nlp.model import load_model

    return load_model(Path(path))


def analyzer_for(config: Config, model_path: Path | None = None) -> Analyzer:
    """The analyzer with the shipped model (if trained) and the config's keyword lists."""
    # Lazy: the model's libraries (scikit-learn, SciPy) take over a second to import; commands
    # and ticks that analyse nothing do not pay it.
    from nlp.model import MODEL_PATH
    from nlp.pipeline import Analyzer

    homes = {}
    for source in config.settings.sources:
        if source.gemeente:
            code = gazetteer().code(source.gemeente)
            for channel in (source.name, getattr(source, "channel", None)):
                if channel:
                    homes[channel.lower()] = code
    try:
        return Analyzer(
            config.keywords,
            model=_model(str(model_path or MODEL_PATH)),
            home_gemeenten=homes,
            stages=config.settings.analysis.stages,
        )
    except ValueError as exc:  # a stage the registry does not know, or out of order
        raise ConfigError(config.path, "analysis.stages", str(exc)) from None
