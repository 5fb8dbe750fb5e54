"""One registry of source types: the config's union of source models, the tags its errors leave
out and the crawl runner's components all come from SOURCE_TYPES."""

import typing

import pytest
from conftest import write_config

from crawlers.runner import load_object, spider_classes
from onrustradar.config import SOURCE_TYPES, ConfigError, Source, load_config


def test_the_config_union_holds_exactly_the_registered_models():
    union = typing.get_args(Source)[0]
    assert set(typing.get_args(union)) == {t.model for t in SOURCE_TYPES.values()}
    for name, t in SOURCE_TYPES.items():
        assert typing.get_args(t.model.model_fields["type"].annotation) == (name,)


def test_every_registered_crawler_resolves():
    spiders = spider_classes()
    assert set(spiders) == {name for name, t in SOURCE_TYPES.items() if t.scrapy}
    for t in SOURCE_TYPES.values():
        assert callable(load_object(t.crawler))


def test_an_unknown_source_type_names_the_registered_ones(tmp_path):
    path = write_config(tmp_path, sources=[{"name": "x", "type": "myspace", "url": "http://127.0.0.1:9/"}])
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert "myspace" in str(err.value) and all(name in str(err.value) for name in SOURCE_TYPES)
