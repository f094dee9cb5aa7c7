from pathlib import Path

import pytest
from spacy.util import load_config

import persian_diplo

CONFIGS = sorted((Path(persian_diplo.__file__).parent / "configs").glob("*.cfg"))


def test_there_are_training_configs():
    assert CONFIGS


@pytest.mark.parametrize("path", CONFIGS, ids=lambda p: p.name)
def test_every_config_runs_the_text_layer_while_training(path):
    config = load_config(path, interpolate=False)
    pipeline = config["nlp"]["pipeline"]
    assert pipeline[:2] == ["diplo_normalizer", "diplo_sentencizer"]
    assert {"diplo_normalizer", "diplo_sentencizer"} <= set(config["training"]["annotating_components"])
    assert config["nlp"]["tokenizer"]["@tokenizers"] == "persian_diplo.tokenizer.v2"


@pytest.mark.parametrize("path", CONFIGS, ids=lambda p: p.name)
def test_config_builds_a_pipeline(path):
    import spacy

    import persian_diplo  # noqa: F401

    config = load_config(path)
    nlp = spacy.util.load_model_from_config(config, auto_fill=True, validate=True)
    doc = nlp.make_doc("رئیس جمهور گفت")
    for name, proc in nlp.pipeline[:2]:
        doc = proc(doc)
    assert doc[0].norm_ == "رئیس‌جمهور"
