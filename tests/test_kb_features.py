"""The knowledge base's names as a feature of the NER (``diplo_kb_features``)."""
from __future__ import annotations

import json

import pytest
from spacy.tokens import Doc
from spacy.training import Example

import persian_diplo
from persian_diplo.entities.features import HIDE_KEY
from persian_diplo.pipeline import TEXT_PIPES

NBSP = "\u00a0"
ZWNJ = "\u200c"


@pytest.fixture(scope="module")
def marker():
    return persian_diplo.blank(TEXT_PIPES + ("diplo_kb_features",))


def marks(doc: Doc):
    """(name, label) of each run of B-/I- tags."""
    out, start = [], None
    for token in list(doc) + [None]:
        tag = token.tag_ if token is not None else ""
        if start is not None and not tag.startswith("I-"):
            out.append((doc[start:token.i if token is not None else len(doc)].text, doc[start].tag_[2:]))
            start = None
        if tag.startswith("B-"):
            start = token.i
    return out


TEXT = "رئیس‌جمهور روسیه در اجلاس سران شانگهای از روند آستانه و برجام سخن گفت."


@pytest.mark.parametrize("variant", [
    lambda t: t,
    lambda t: t.replace(ZWNJ, ""),                      # ZWNJ stripped («رئیسجمهور»)
    lambda t: t.replace(ZWNJ, " "),                     # ZWNJ typed as a space
    lambda t: t.replace("ی", "ي").replace("ک", "ك"),    # Arabic letters
    lambda t: t.replace(" از روند ", f"{NBSP}از{NBSP}روند{NBSP}"),  # NBSP, inside a name too
])
def test_knowledge_base_names_are_marked_on_their_tokens(marker, variant):
    text = variant(TEXT)
    doc = marker(text)
    assert doc.text == text
    labels = [label for _, label in marks(doc)]
    assert labels == ["ROLE", "EVENT", "EVENT", "AGREEMENT"]
    role = marks(doc)[0][0]
    assert role.replace(NBSP, " ").replace(" ", "").replace(ZWNJ, "") in ("رئیسجمهورروسیه", "رئيسجمهورروسيه")
    # a word no name covers carries no mark
    assert all(t.tag_ == "" for t in doc if t.norm_ in ("در", "از", "سخن", "گفت"))


def test_the_seed_article_marks_what_its_gold_names(marker, seed_text, seed_gold):
    doc = marker(seed_text)
    marked = {(doc[t.i].idx) for t in doc if t.tag_.startswith("B-")}
    gold_starts = {e["start"] for e in seed_gold["entities"]}
    # most gold entities open on a marked token, and most marks open a gold entity
    assert len(marked & gold_starts) >= 0.8 * len(gold_starts)
    assert len(marked & gold_starts) >= 0.8 * len(marked)


def _marked(marker, text, mark=None):
    doc = marker.make_doc(text)
    if mark is not None:
        doc.user_data[HIDE_KEY] = mark
    for _, pipe in marker.pipeline:
        doc = pipe(doc)
    return [label for _, label in marks(doc)], doc


def test_a_training_mark_hides_referents_whole_and_reproducibly(marker):
    text = "ایران و روسیه گفتند. ایران و روسیه و چین و ترکیه و فرانسه و آلمان و ژاپن و هند گفتند."
    everything, _ = _marked(marker, text)
    assert len(everything) >= 10
    assert _marked(marker, text, (7, 0.0, 0.0))[0] == everything
    assert _marked(marker, text, (7, 1.0, 0.0))[0] == []
    assert _marked(marker, text, (7, 0.0, 1.0))[0] == []
    # half the referents: the same ones for the same seed, every mention of each
    for seed in range(5):
        _, doc = _marked(marker, text, (seed, 0.5, 0.0))
        names = [name for name, _ in marks(doc)]
        assert names == [name for name, _ in marks(_marked(marker, text, (seed, 0.5, 0.0))[1])]
        assert names.count("ایران") in (0, 2) and names.count("روسیه") in (0, 2)
    hidden = [len(everything) - len(_marked(marker, text, (seed, 0.5, 0.0))[0]) for seed in range(20)]
    assert 0 < sum(hidden) < 20 * len(everything)


def test_the_augmenter_marks_training_examples_only_when_asked(seed_gold):
    from persian_diplo.train import _example, make_augmenter

    nlp = persian_diplo.blank(())
    ents = [(e["start"], e["end"], e["label"]) for e in seed_gold["entities"]]
    example = _example(nlp, seed_gold["text"], ents)
    plain = list(make_augmenter(orthography_level=1.0, swap_level=1.0)(nlp, example))
    assert all(HIDE_KEY not in eg.predicted.user_data for eg in plain)
    marked = list(make_augmenter(orthography_level=1.0, swap_level=1.0, kb_hide_level=0.5, kb_hide_all=0.2)(
        nlp, _example(nlp, seed_gold["text"], ents)))
    assert len(marked) == 3
    assert all(eg.predicted.user_data[HIDE_KEY][1:] == (0.5, 0.2) for eg in marked)
    assert len({eg.predicted.user_data[HIDE_KEY][0] for eg in marked}) == 3
    assert all(isinstance(eg, Example) for eg in marked)


def test_the_marks_survive_saving(marker, run_until, tmp_path):
    marker.to_disk(tmp_path / "p")
    loaded = persian_diplo.load(tmp_path / "p")
    assert marks(loaded(TEXT)) == marks(marker(TEXT))
    pipe = marker.get_pipe("diplo_kb_features")
    again = type(pipe)(marker, "diplo_kb_features").from_bytes(pipe.to_bytes())
    doc = run_until(marker, TEXT, "2024-01-01", "diplo_kb_features")
    assert marks(again(doc)) == marks(marker(TEXT))


def test_names_a_user_adds_at_load_are_marked(run_until, tmp_path):
    path = tmp_path / "mine.jsonl"
    path.write_text(json.dumps({"id": "jane_roe", "label": "PERSON", "name_fa": "جین رو", "name_en": "Jane Roe",
                                "aliases_fa": []}, ensure_ascii=False) + "\n", encoding="utf-8")
    nlp = persian_diplo.load(kb_files=[path])
    doc = run_until(nlp, "جین رو گفت", "2024-01-01", "tok2vec")  # the marks, not yet the NER
    assert marks(doc) == [("جین رو", "PERSON")]


def test_the_shipped_ner_reads_the_marks(nlp):
    names = nlp.pipe_names
    assert names.index("diplo_normalizer") < names.index("diplo_kb_features") < names.index("tok2vec")
    assert "TAG" in nlp.config["components"]["tok2vec"]["model"]["embed"]["attrs"]
    # so the gazetteer after it does not override its labels
    assert not nlp.get_pipe("diplo_gazetteer").prefer_labels


def test_the_shipped_marks_use_the_gazetteers_names(nlp, marker, run_until):
    pipe = nlp.get_pipe("diplo_kb_features")
    assert pipe.gazetteer is nlp.get_pipe("diplo_gazetteer")  # one copy of the names in memory
    doc = run_until(nlp, TEXT, "2024-01-01", "tok2vec")
    assert marks(doc) == marks(marker(TEXT))


def test_marks_without_their_gazetteer_are_a_clear_error():
    nlp = persian_diplo.load(exclude=["diplo_gazetteer", "diplo_linker", "diplo_quotes"])
    with pytest.raises(ValueError, match="diplo_gazetteer.*excluded"):
        nlp(TEXT)
    # disabled, the gazetteer still lends its names
    nlp = persian_diplo.load(disable=["diplo_gazetteer"])
    assert [label for _, label in marks(nlp(TEXT))] == ["ROLE", "EVENT", "EVENT", "AGREEMENT"]


def test_rule_components_follow_the_ner_they_complete():
    from persian_diplo.train import GAZETTEER_AFTER_KB_NER, GAZETTEER_AFTER_NER, add_rule_components

    plain = add_rule_components(persian_diplo.blank(TEXT_PIPES + ("ner",)))
    reading = add_rule_components(persian_diplo.blank(TEXT_PIPES + ("diplo_kb_features", "ner")))
    assert plain.get_pipe("diplo_gazetteer").prefer_labels == frozenset(GAZETTEER_AFTER_NER["prefer_labels"])
    assert reading.get_pipe("diplo_gazetteer").prefer_labels == frozenset(GAZETTEER_AFTER_KB_NER["prefer_labels"])
    # the marks now come from the gazetteer's names, and say so in the config
    assert reading.get_pipe("diplo_kb_features").gazetteer is reading.get_pipe("diplo_gazetteer")
    assert reading.config["components"]["diplo_kb_features"]["gazetteer"] == "diplo_gazetteer"
    assert reading.pipe_names.index("diplo_kb_features") < reading.pipe_names.index("ner")
