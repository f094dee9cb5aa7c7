"""Retraining: a tiny run from scratch, fine-tuning with a new label, failures that keep
the old model, and the augmenters."""
import json
from pathlib import Path

import pytest
import spacy
from spacy.training import Example

import persian_diplo
from persian_diplo.corpus.io import read_jsonl
from persian_diplo.train import ORTHOGRAPHIES, EntitySwapper, orthography_variant, train

ROOT = Path(__file__).resolve().parents[1]
TINY = {"training.max_steps": 20, "training.eval_frequency": 10}


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    path = tmp_path_factory.mktemp("data") / "small.jsonl"
    records = list(read_jsonl(ROOT / "corpus" / "train.jsonl"))[:20]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def trained(small, tmp_path_factory):
    out = tmp_path_factory.mktemp("models") / "tiny"
    train([small], out, base="blank", overrides=TINY, log=lambda m: None)
    return out


def test_tiny_training_run_saves_a_loadable_pipeline(trained):
    nlp = persian_diplo.load(trained)
    assert nlp.pipe_names == ["diplo_normalizer", "diplo_sentencizer", "diplo_kb_features", "tok2vec", "ner",
                              "diplo_gazetteer", "diplo_linker", "diplo_quotes"]
    assert {"PERSON", "GPE", "ROLE"} <= set(nlp.get_pipe("ner").labels)
    assert nlp.batch_size == 16  # a CNN pipeline pipes small batches (fast, and far less memory)
    doc = nlp("رئیس‌جمهور روسیه گفت: آماده‌ایم.")
    assert doc.ents and doc._.quotes


def test_fine_tuning_adds_a_new_label(trained, tmp_path):
    text = "تیپ ۶۵ نوهد در تهران مستقر شد و سپاه قدس اعلام آمادگی کرد."
    unit, city = text.index("تیپ ۶۵ نوهد"), text.index("تهران")
    records = [{"id": f"m{i}", "text": text, "entities": [
        {"start": unit, "end": unit + len("تیپ ۶۵ نوهد"), "label": "MILITARY_UNIT", "kb_id": None},
        {"start": city, "end": city + len("تهران"), "label": "GPE", "kb_id": "tehran"}], "quotes": []} for i in range(6)]
    data = tmp_path / "units.jsonl"
    data.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    out = tmp_path / "tuned"
    train([data], out, base=str(trained), overrides=TINY, log=lambda m: None)
    assert "MILITARY_UNIT" in persian_diplo.load(out).get_pipe("ner").labels


def test_failed_run_keeps_the_previous_model(trained, tmp_path):
    out = tmp_path / "keep"
    out.mkdir()
    (out / "marker.txt").write_text("good model", encoding="utf-8")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "text": "ایران", "entities": [{"start": 0, "end": 99, "label": "GPE"}]}\n',
                   encoding="utf-8")
    with pytest.raises(Exception):
        train([bad, bad], out, base="blank", overrides=TINY, log=lambda m: None)
    assert (out / "marker.txt").read_text(encoding="utf-8") == "good model"
    assert not list(tmp_path.glob(".train-*"))  # no temporary folder left


def test_cli_reports_bad_input_in_one_line(tmp_path):
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "persian_diplo", "train", "--data", str(tmp_path / "nope.jsonl"),
                             "-o", str(tmp_path / "out")], capture_output=True, text=True)
    assert result.returncode == 1
    assert "nope.jsonl: no such file" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("kind", sorted(ORTHOGRAPHIES))
def test_orthography_augmenter_keeps_entities_aligned(seed_gold, kind):
    nlp = persian_diplo.blank(pipes=())
    reference = nlp.make_doc(seed_gold["text"])
    reference.ents = [reference.char_span(e["start"], e["end"], label=e["label"]) for e in seed_gold["entities"]]
    variant = orthography_variant(nlp, Example(nlp.make_doc(reference.text), reference), kind)
    assert len(variant.reference.ents) == len(reference.ents)
    normal = persian_diplo.normalize
    for old, new in zip(reference.ents, variant.reference.ents):
        assert normal(old.text).replace("\u200c", "").replace(" ", "") == \
            normal(new.text).replace("\u200c", "").replace(" ", "")


def test_entity_swap_uses_kb_names_of_the_same_label(seed_gold):
    import random

    nlp = persian_diplo.blank(pipes=())
    reference = nlp.make_doc(seed_gold["text"])
    reference.ents = [reference.char_span(e["start"], e["end"], label=e["label"]) for e in seed_gold["entities"]]
    swapped = EntitySwapper(["PERSON", "GPE"])(nlp, Example(nlp.make_doc(reference.text), reference), random.Random(1))
    assert [e.label_ for e in swapped.reference.ents] == [e.label_ for e in reference.ents]
    assert swapped.reference.text != reference.text


def test_entity_swap_draws_from_a_names_file_when_given_one(tmp_path):
    """A pinned names file, not the knowledge base, feeds the swaps: the shipped NER's
    training stays the same when the KB grows."""
    import json
    import random

    names = tmp_path / "names.json"
    names.write_text(json.dumps({"PERSON": ["زهره تست‌زاده", "ن. نقطه‌دار"], "GPE": ["کشور آزمون"]},
                                ensure_ascii=False), encoding="utf-8")
    swapper = EntitySwapper(["PERSON", "GPE"], names)
    assert swapper.names == {"PERSON": ["زهره تست‌زاده"], "GPE": ["کشور آزمون"]}
    nlp = persian_diplo.blank(pipes=())
    text = "عراقچی در تهران گفت."
    reference = nlp.make_doc(text)
    reference.ents = [reference.char_span(0, 6, label="PERSON"), reference.char_span(10, 15, label="GPE")]
    seen = {e.text for seed in range(20)
            for e in swapper(nlp, Example(nlp.make_doc(text), reference), random.Random(seed)).reference.ents}
    assert seen == {"عراقچی", "تهران", "زهره تست‌زاده", "کشور آزمون"}


def test_a_bad_names_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "names.json"
    with pytest.raises(FileNotFoundError, match="names.json: no such swap-names file"):
        EntitySwapper(["PERSON"], bad)
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(ValueError, match="names.json: not a JSON file"):
        EntitySwapper(["PERSON"], bad)
    bad.write_text('{"PERSON": "one name"}', encoding="utf-8")
    with pytest.raises(ValueError, match="mapping labels to lists of names"):
        EntitySwapper(["PERSON"], bad)
    bad.write_text('{"PERSON": ["علی"]}', encoding="utf-8")
    with pytest.raises(ValueError, match="no names for ORG"):
        EntitySwapper(["PERSON", "ORG"], bad)


def test_the_projects_names_snapshot_is_what_the_swap_names_script_writes(tmp_path):
    """training/swap_names.json is valid, and the script that refreshes it writes the
    knowledge base's current names in the same format."""
    import subprocess
    import sys

    training = Path(__file__).resolve().parents[1] / "training"
    pinned = EntitySwapper(["PERSON", "GPE", "ORG"], training / "swap_names.json").names
    assert {label: len(names) > 500 for label, names in pinned.items()} == {"PERSON": True, "GPE": True, "ORG": True}
    out = tmp_path / "fresh.json"
    result = subprocess.run([sys.executable, "scripts/swap_names.py", str(out)], cwd=training,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert EntitySwapper(["PERSON", "GPE", "ORG"], out).names == EntitySwapper(["PERSON", "GPE", "ORG"]).names


def test_documents_with_an_entity_across_sentences_are_left_out():
    from persian_diplo.train import reachable

    text = "مدیر اف. بی. آی گفت."
    start = text.index("اف")
    crossing = {"id": "x", "text": text, "entities": [{"start": start, "end": start + len("اف. بی. آی"), "label": "ORG"}]}
    fine = {"id": "y", "text": "ایران و روسیه", "entities": [{"start": 0, "end": 5, "label": "GPE"}]}
    messages = []
    assert reachable([crossing, fine], messages.append) == [fine]
    assert "x" in messages[0]


def test_entity_swap_never_inserts_a_name_that_the_sentence_splitter_cuts():
    from persian_diplo.train import EntitySwapper

    swapper = EntitySwapper(["PERSON", "ORG", "GPE"])
    assert swapper.names["PERSON"]
    for names in swapper.names.values():
        assert not [n for n in names if any(ch in n for ch in ".!?؟:;؛\n")]


@pytest.mark.parametrize("variant", ["zwnj_spaced", "arabic_letters", "swap"])
def test_augmented_copies_keep_missing_annotation_missing(variant):
    """A partially annotated example (only the names marked, everything else unknown, as
    in a set with another label scheme) stays partial in its variants: the unknown tokens
    do not become non-entities."""
    import random

    nlp = persian_diplo.blank(pipes=())
    text = "عراقچی در تهران با رئیس‌جمهور روسیه دیدار کرد."
    reference = nlp.make_doc(text)
    reference.set_ents([reference.char_span(0, len("عراقچی"), label="PERSON")], default="missing")
    example = Example(nlp.make_doc(text), reference)
    if variant == "swap":
        copy = EntitySwapper(["PERSON"])(nlp, example, random.Random(1))
    else:
        copy = orthography_variant(nlp, example, variant)
    assert [e.label_ for e in copy.reference.ents] == ["PERSON"]
    assert {t.ent_iob_ for t in copy.reference if not t.ent_type_} == {""}
    assert len(copy.reference) > 3


def _tiny_ner(path, width=32, seed=0):
    from spacy.util import fix_random_seed

    fix_random_seed(seed)
    nlp = spacy.blank("fa")
    nlp.add_pipe("tok2vec", config={"model": {"@architectures": "spacy.HashEmbedCNN.v2", "width": width, "depth": 1,
                                              "embed_size": 500, "window_size": 1, "maxout_pieces": 2,
                                              "subword_features": True, "pretrained_vectors": None}})
    nlp.add_pipe("ner")
    example = Example.from_dict(nlp.make_doc("حسن روحانی گفت"), {"entities": [(0, 10, "PERSON")]})
    nlp.initialize(lambda: [example])
    nlp.to_disk(path)
    return nlp


def _weights(nlp, name):
    import numpy

    return [numpy.asarray(node.get_param(p)) for node in nlp.get_pipe(name).model.walk()
            for p in node.param_names if node.has_param(p)]


def test_average_weights_is_the_mean_of_the_pipelines(tmp_path):
    """The shipped NER averages three branches of one trunk (training/project.yml, soup)."""
    import numpy

    from persian_diplo.train import average_weights

    first = _tiny_ner(tmp_path / "a")
    shifted = spacy.load(tmp_path / "a")
    for name in ("tok2vec", "ner"):
        for node in shifted.get_pipe(name).model.walk():
            for p in node.param_names:
                if node.has_param(p):
                    node.set_param(p, node.get_param(p) + 2.0)
    shifted.to_disk(tmp_path / "b")
    out = average_weights([tmp_path / "a", tmp_path / "b"], tmp_path / "avg")
    averaged = spacy.load(out)
    for name in ("tok2vec", "ner"):
        for got, base in zip(_weights(averaged, name), _weights(first, name)):
            assert numpy.allclose(got, base + 1.0)


def test_average_weights_refuses_what_it_cannot_average(tmp_path):
    from persian_diplo.train import average_weights

    _tiny_ner(tmp_path / "a", width=32)
    _tiny_ner(tmp_path / "b", width=64)
    with pytest.raises(ValueError, match="differs in shape"):
        average_weights([tmp_path / "a", tmp_path / "b"], tmp_path / "avg")
    with pytest.raises(ValueError, match="at least 2 pipelines"):
        average_weights([tmp_path / "a"], tmp_path / "avg")
    with pytest.raises(ValueError, match="no component 'parser'"):
        average_weights([tmp_path / "a", tmp_path / "a"], tmp_path / "avg", components=("parser",))
    assert not (tmp_path / "avg").exists()
