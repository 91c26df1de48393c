import pytest

from wipomatch.matching.engine.config import DEFAULT_WEIGHTS, ConfigError, EngineConfig


def test_defaults():
    config = EngineConfig()
    assert dict(config.weights) == dict(DEFAULT_WEIGHTS)
    assert config.fusion == "zscore"
    assert config.eligibility == "filter"


def test_from_dict_merges_partial_weights_over_defaults():
    config = EngineConfig.from_dict({"weights": {"lexical": 0.5}, "eligibility": "demote"})
    assert config.weights["lexical"] == 0.5
    assert config.weights["semantic"] == DEFAULT_WEIGHTS["semantic"]
    assert config.eligibility == "demote"


def test_from_dict_of_nothing_is_the_default():
    assert EngineConfig.from_dict(None) == EngineConfig.from_dict({}) == EngineConfig()


@pytest.mark.parametrize(
    "data, message",
    [
        ({"wieghts": {}}, "unknown MATCHING setting"),
        ({"weights": {"semantics": 1.0}}, "unknown matching weight"),
        ({"fusion": "sum"}, "fusion must be one of"),
        ({"eligibility": "maybe"}, "eligibility must be one of"),
        ({"rrf_k": 0}, "must be positive"),
        ({"centering_shrinkage": -1}, "must not be negative"),
    ],
)
def test_invalid_settings_fail_loudly(data, message):
    with pytest.raises(ConfigError, match=message):
        EngineConfig.from_dict(data)


def test_round_trip_through_a_dict():
    config = EngineConfig(fusion="rrf").with_weights(themes=0.9)
    assert EngineConfig.from_dict(config.to_dict()) == config
