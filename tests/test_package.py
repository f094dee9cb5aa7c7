from importlib import metadata

import persian_diplo
from persian_diplo import about


def test_version_has_one_source():
    assert persian_diplo.__version__ == about.__version__ == metadata.version("persian_diplo")


def test_entry_points_register_every_factory_and_function():
    groups = metadata.entry_points()
    factories = {ep.name for ep in groups.select(group="spacy_factories")}
    assert {"diplo_normalizer", "diplo_sentencizer", "diplo_gazetteer", "diplo_linker", "diplo_quotes"} <= factories
    names = {group: {ep.name for ep in groups.select(group=group)} for group in
             ("spacy_tokenizers", "spacy_scorers", "spacy_augmenters", "spacy_callbacks", "spacy_displacy_colors")}
    assert "persian_diplo.tokenizer.v1" in names["spacy_tokenizers"]
    assert "persian_diplo.quotes_scorer.v1" in names["spacy_scorers"]
    assert {"persian_diplo.augmenter.v1", "persian_diplo.orthography_augmenter.v1",
            "persian_diplo.entity_swap_augmenter.v1"} <= names["spacy_augmenters"]
    assert "persian_diplo.add_labels.v1" in names["spacy_callbacks"]
    assert "persian_diplo" in names["spacy_displacy_colors"]


def test_displacy_knows_the_label_colours(nlp):
    from spacy import displacy

    doc = nlp("برجام")
    assert "#ff9561" in displacy.render(doc, style="ent")  # AGREEMENT's colour


def test_load_default_pipeline(nlp, seed_text):
    doc = nlp(seed_text)
    assert doc.text == seed_text
    assert nlp.pipe_names[:2] == ["diplo_normalizer", "diplo_sentencizer"]
    assert nlp.lang == "fa"


def test_package_data_is_installed():
    root = persian_diplo.default_pipeline_path()
    assert (root / "config.cfg").exists()
    assert (root / "diplo_normalizer" / "lexicon.msgpack").exists()


def test_load_rejects_a_directory_that_is_not_a_pipeline(tmp_path):
    import pytest

    with pytest.raises(OSError, match="no config.cfg"):
        persian_diplo.load(tmp_path)
