import json

import pytest
from spacy.tokens import DocBin

import persian_diplo
from persian_diplo.pipeline import RULE_PIPES


@pytest.fixture(scope="module")
def rules():
    return persian_diplo.blank(RULE_PIPES)


def run(nlp, text, date=None):
    doc = nlp.make_doc(text)
    doc._.date = date
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return doc


def ents(doc):
    return [(e.text, e.label_, e.kb_id_) for e in doc.ents]


def test_seed_article_entities_and_links(rules, seed_text, seed_gold):
    doc = run(rules, seed_text, "2020-03-04")
    gold = {(e["start"], e["end"], e["label"]): e["kb_id"] for e in seed_gold["entities"]}
    predicted = {(e.start_char, e.end_char, e.label_): e.kb_id_ for e in doc.ents}
    correct = len(set(gold) & set(predicted))
    precision, recall = correct / len(predicted), correct / len(gold)
    assert 2 * precision * recall / (precision + recall) >= 0.95
    for key, kb_id in gold.items():
        if key in predicted and kb_id:
            assert predicted[key] == kb_id, key


@pytest.mark.parametrize("text,date,expected", [
    ("رئیس‌جمهور روسیه گفت", "2020-03-04", ("رئیس‌جمهور روسیه", "ROLE", "vladimir_putin")),
    ("رئیسجمهور روسیه گفت", "2010-03-04", ("رئیسجمهور روسیه", "ROLE", "dmitry_medvedev")),
    ("رئيس جمهور آمريكا گفت", "2020-03-04", ("رئيس جمهور آمريكا", "ROLE", "donald_trump")),
    ("رئیس‌جمهور آمریکا گفت", "2022-03-04", ("رئیس‌جمهور آمریکا", "ROLE", "joe_biden")),
    ("وزیر امور خارجه گفت", "2016-05-01", ("وزیر امور خارجه", "ROLE", "mohammad_javad_zarif")),
    ("سفیر ایران در روسیه گفت", "2022-01-01", ("سفیر ایران در روسیه", "ROLE", "kazem_jalali")),
    ("دبیر کل سازمان ملل گفت", "2019-01-01", ("دبیر کل سازمان ملل", "ROLE", "antonio_guterres")),
    ("مدیرکل آژانس بینالمللی انرژی اتمی گفت", "2021-01-01", ("مدیرکل آژانس بینالمللی انرژی اتمی", "ROLE", "rafael_grossi")),
    ("یک نماینده مجلس گفت", "2021-01-01", ("نماینده مجلس", "ROLE", "")),
])
def test_roles_resolve_to_the_holder_at_the_date(rules, text, date, expected):
    assert ents(run(rules, text, date)) == [expected]


def test_names_in_every_spelling(rules):
    for spelling in ["آژانس بین‌المللی انرژی اتمی", "آژانس بینالمللی انرژی اتمی", "آژانس بین المللی انرژی اتمی",
                     "آژانس بين‌المللي انرژي اتمي"]:
        assert ents(run(rules, f"{spelling} اعلام کرد", "2020-01-01")) == [(spelling, "ORG", "iaea")]
    assert ents(run(rules, "آمریکاییها و برجام", "2020-01-01")) == [
        ("آمریکاییها", "NORP", "united_states"), ("برجام", "AGREEMENT", "jcpoa")]


def test_common_words_are_not_tagged(rules):
    # «دوشنبه» (Monday, and Dushanbe), «مالی» (financial, and Mali), «آستانه» (eve, and Astana)
    doc = run(rules, "روز دوشنبه در آستانه سفر، کمک مالی اعلام شد", "2020-01-01")
    assert ents(doc) == []
    assert ents(run(rules, "روند آستانه", "2020-01-01")) == [("روند آستانه", "EVENT", "astana_process")]


def test_surname_and_bare_title_resolve_in_the_document(rules):
    doc = run(rules, "ولادیمیر پوتین گفت. پوتین افزود. روحانی گفت. رئیسجمهور افزود.", "2020-03-04")
    assert [e.kb_id_ for e in doc.ents] == ["vladimir_putin", "vladimir_putin", "hassan_rouhani", "hassan_rouhani"]


def test_entity_attribute_gives_the_record(rules):
    doc = run(rules, "برجام", "2020-01-01")
    assert doc.ents[0]._.entity["id"] == "jcpoa"
    assert doc.ents[0]._.entity["label"] == "AGREEMENT"


def test_default_date_and_bad_date():
    nlp = persian_diplo.blank(RULE_PIPES, config={"diplo_linker": {"default_date": "2010-06-01"}})
    assert ents(nlp("رئیس‌جمهور روسیه")) == [("رئیس‌جمهور روسیه", "ROLE", "dmitry_medvedev")]
    doc = nlp.make_doc("رئیس‌جمهور روسیه")
    doc._.date = "June 2010"
    with pytest.raises(ValueError, match="not an ISO 8601 date"):
        nlp(doc)


def test_user_kb_file_at_load(tmp_path):
    path = tmp_path / "mine.jsonl"
    path.write_text(json.dumps({"id": "jane_roe", "label": "PERSON", "name_fa": "جین رو", "name_en": "Jane Roe",
                                "aliases_fa": []}, ensure_ascii=False) + "\n", encoding="utf-8")
    nlp = persian_diplo.load(kb_files=[path])
    assert ents(nlp("جین رو گفت")) == [("جین رو", "PERSON", "jane_roe")]


def test_saved_rules_pipeline_round_trip(rules, tmp_path):
    rules.to_disk(tmp_path / "p")
    import spacy

    loaded = spacy.load(tmp_path / "p")
    doc = loaded.make_doc("رئیس‌جمهور روسیه و برجام")
    doc._.date = "2020-03-04"
    doc = loaded(doc)
    assert ents(doc) == [("رئیس‌جمهور روسیه", "ROLE", "vladimir_putin"), ("برجام", "AGREEMENT", "jcpoa")]
    restored = list(DocBin(store_user_data=True, docs=[doc]).get_docs(loaded.vocab))[0]
    assert ents(restored) == ents(doc)
