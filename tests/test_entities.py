import json
from pathlib import Path

import pytest
from spacy.tokens import DocBin

import persian_diplo
from persian_diplo.pipeline import RULE_PIPES

ROOT = Path(__file__).resolve().parents[1]


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


@pytest.mark.parametrize("name", ["پی. جی. کراولی", "پی جی کراولی", "پی.جی. کراولی"])
def test_a_name_with_initials_with_or_without_dots(rules, name):
    # the knowledge base writes «پی. جی. کراولی»; news also drops the dots
    doc = run(rules, f"{name} در واشنگتن گفت که آمریکا نقشی ندارد.", "2010-06-01")
    assert [(e.text, e.label_, e.kb_id_) for e in doc.ents if e.label_ == "PERSON"] == [(name, "PERSON", "p_j_crowley")]


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


def test_added_kb_file_names_in_another_transliteration(tmp_path):
    # files added after the linker has linked: their names are found in other
    # transliterations too («کارل نولند» for the second file's «کارل نولاند»)
    def kb_file(name, record_id, name_fa):
        path = tmp_path / name
        path.write_text(json.dumps({"id": record_id, "label": "PERSON", "name_fa": name_fa, "name_en": record_id,
                                    "aliases_fa": []}, ensure_ascii=False) + "\n", encoding="utf-8")
        return path

    nlp = persian_diplo.blank(RULE_PIPES)
    linker = nlp.get_pipe("diplo_linker")
    linker.add_kb_file(kb_file("first.jsonl", "jane_roe", "جین رو"))
    assert link(nlp, "ژوزپ بورل گفت", [("ژوزپ بورل", "PERSON")], "2021-03-01")[0][2] == "josep_borrell"
    linker.add_kb_file(kb_file("second.jsonl", "karl_noland", "کارل نولاند"))
    assert link(nlp, "کارل نولند گفت", [("کارل نولند", "PERSON")], "2021-03-01") == [
        ("کارل نولند", "PERSON", "karl_noland")]


def test_a_title_of_several_roles_names_the_first_role_held(tmp_path):
    """«رئیس» + a country names its president, not the speaker of its parliament nor the
    head of its presidential office when the knowledge base has them with the same
    country: a ``ranked`` title's roles in order of precedence (a holder named earlier
    wins)."""
    records = [
        {"id": "freedonia", "label": "GPE", "type": "country", "name_fa": "فریدونیا", "name_en": "Freedonia",
         "aliases_fa": []},
        {"id": "pat_president", "label": "PERSON", "name_fa": "پت پرزیدنت", "name_en": "Pat", "aliases_fa": [],
         "offices": [{"role": "president", "of": "freedonia", "start": "2030-01-01", "end": None}]},
        {"id": "sam_speaker", "label": "PERSON", "name_fa": "سم اسپیکر", "name_en": "Sam", "aliases_fa": [],
         "offices": [{"role": "speaker_of_parliament", "of": "freedonia", "start": "2030-01-01", "end": None}]},
        {"id": "cody_chief", "label": "PERSON", "name_fa": "کودی چیف", "name_en": "Cody", "aliases_fa": [],
         "offices": [{"role": "chief_of_staff", "of": "freedonia", "start": "2030-01-01", "end": None}]},
    ]
    path = tmp_path / "iceland.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    nlp = persian_diplo.blank(RULE_PIPES)
    nlp.get_pipe("diplo_linker").add_kb_file(path)
    assert link(nlp, "رئیس فریدونیا گفت", [("رئیس فریدونیا", "ROLE")], "2031-01-01") == [
        ("رئیس فریدونیا", "ROLE", "pat_president")]
    # the speaker named just before: the same title is his
    assert link(nlp, "سم اسپیکر آمد. رئیس فریدونیا گفت", [("سم اسپیکر", "PERSON"), ("رئیس فریدونیا", "ROLE")],
                "2031-01-01")[1][2] == "sam_speaker"
    # two holders of the first role held: nobody, not the holder of a lesser role
    records[2]["offices"][0]["role"] = "president"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    nlp = persian_diplo.blank(RULE_PIPES)
    nlp.get_pipe("diplo_linker").add_kb_file(path)
    assert link(nlp, "رئیس فریدونیا گفت", [("رئیس فریدونیا", "ROLE")], "2031-01-01") == [("رئیس فریدونیا", "ROLE", "")]
    # a title whose roles are alternatives, not ranks (titles.jsonl has no "ranked"): the
    # vice presidents of different portfolios stay for the document to tell apart
    assert link(nlp, "معاون رئیس‌جمهور گفت", [("معاون رئیس‌جمهور", "ROLE")], "2015-12-01") == [
        ("معاون رئیس‌جمهور", "ROLE", "")]


def test_a_pipeline_pointed_at_a_smaller_knowledge_base_forgets_the_rest():
    """benchmarks/bench_unseen.py scores the pipeline with referents held out of its
    knowledge base: the linker's name indexes and the gazetteer follow the new one."""
    from persian_diplo.kb.base import KnowledgeBase

    nlp = persian_diplo.blank(RULE_PIPES)
    text = "حسن روحانی و ولادیمیر پوتین گفتند. روحانی افزود."
    first = ents(run(nlp, text, "2020-03-04"))
    assert [e[2] for e in first] == ["hassan_rouhani", "vladimir_putin", "hassan_rouhani"]
    full = nlp.get_pipe("diplo_linker").kb
    smaller = KnowledgeBase()
    smaller.add_records([r for r in full if r["id"] != "hassan_rouhani"], source="test")
    nlp.get_pipe("diplo_linker").kb = smaller
    nlp.get_pipe("diplo_gazetteer").build(smaller)
    after = ents(run(nlp, text, "2020-03-04"))
    assert ("ولادیمیر پوتین", "PERSON", "vladimir_putin") in after
    assert "hassan_rouhani" not in [e[2] for e in after]


def test_the_blind_event_records_of_bench_unseen_are_valid_and_held_out():
    """benchmarks/data/dev_events_blind.jsonl rewrites dev's held-out events: every record
    is valid, names an id that only dev names, and links its own name."""
    import sys
    from persian_diplo.corpus.io import read_jsonl
    from persian_diplo.kb.base import KnowledgeBase, validate_entity

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bench_unseen import named_ids, without

    records = list(read_jsonl(ROOT / "benchmarks" / "data" / "dev_events_blind.jsonl"))
    held = named_ids(read_jsonl(ROOT / "corpus" / "dev.jsonl")) - named_ids(read_jsonl(ROOT / "corpus" / "train.jsonl"))
    assert len(records) == 46 and all(validate_entity(r) == [] for r in records)
    assert {r["id"] for r in records} <= held
    kb = without(KnowledgeBase.default(), {r["id"] for r in records})
    assert kb.lookup("همه‌پرسی اصلاح قانون اساسی روسیه") == []
    kb.add_records(records, source="blind")
    assert [r["id"] for r in kb.lookup("همه‌پرسی اصلاح قانون اساسی روسیه")] == ["2020_russian_constitutional_referendum"]


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


# ----- the linker on mentions as a model tags them ------------------------------------
def link(nlp, text, mentions, date):
    """Run the linker on ``mentions`` [(surface, label)] of ``text``, as the NER would
    hand them over (spans that the gazetteer's patterns do not give)."""
    doc = nlp.make_doc(text)
    doc._.date = date
    for name in ("diplo_normalizer", "diplo_sentencizer"):
        doc = nlp.get_pipe(name)(doc)
    spans, at = [], 0
    for surface, label in mentions:
        start = text.index(surface, at)
        at = start + len(surface)
        spans.append(doc.char_span(start, at, label=label, alignment_mode="strict"))
    doc.ents = spans
    doc = nlp.get_pipe("diplo_linker")(doc)
    return [(e.text, e.label_, e.kb_id_) for e in doc.ents]


@pytest.mark.parametrize("text,mention,date,kb_id", [
    # «سید» and ranks are not part of the name: with Persian, Arabic and joined spellings
    ("سید ابراهیم رئیسی گفت", "سید ابراهیم رئیسی", "2022-02-24", "ebrahim_raisi"),
    ("سيد ابراهيم رئيسي گفت", "سيد ابراهيم رئيسي", "2021-09-17", "ebrahim_raisi"),
    ("سیدعباس موسوی گفته بود", "سیدعباس موسوی", "2020-05-25", "abbas_mousavi"),
    ("سيدعباس موسوي گفته بود", "سيدعباس موسوي", "2020-05-25", "abbas_mousavi"),
    ("سید عباس عراقچی نوشت", "سید عباس عراقچی", "2025-09-27", "abbas_araghchi"),
    ("سردار قاسم رضایی گفت", "سردار قاسم رضایی", "2023-05-28", "qasem_rezaei"),
    ("سید نصرالله گفت", "سید نصرالله", "2019-11-01", "hassan_nasrallah"),
    # «امیر»: an army general's rank, an emir; but «امیر حاتمی» is a name
    ("امیر کیومرث حیدری گفت", "امیر کیومرث حیدری", "2022-05-01", "kioumars_heydari"),
    ("امیر تمیم گفت", "امیر تمیم", "2019-05-01", "tamim_bin_hamad_al_thani"),
    ("امیر حاتمی گفت", "امیر حاتمی", "2019-05-01", "amir_hatami"),
    # a hyphen written for the ZWNJ of the name
    ("ژان-ایو لودریان گفت", "ژان-ایو لودریان", "2018-05-09", "jean_yves_le_drian"),
    # a surname alone that the knowledge base does not list: the one holder of an office
    ("سودانی گفت", "سودانی", "2025-08-13", "mohammed_shia_al_sudani"),
    ("جهانگير گفت", "جهانگير", "2024-10-15", "asghar_jahangir"),
])
def test_person_names_with_honorifics_and_surnames(rules, text, mention, date, kb_id):
    assert link(rules, text, [(mention, "PERSON")], date) == [(mention, "PERSON", kb_id)]


def test_a_first_name_alone_is_not_a_surname(rules):
    assert link(rules, "سعید گفت", [("سعید", "PERSON")], "2024-06-15") == [("سعید", "PERSON", "")]


@pytest.mark.parametrize("text,names,date,kb_ids", [
    ("ابراهیم رضایی سخنگوی کمیسیون است. رضایی گفت که جلسه برگزار شد.",
     ["ابراهیم رضایی", "رضایی"], "2025-01-10", ["ebrahim_rezaei", "ebrahim_rezaei"]),
    ("محسن رضایی نامزد شد. رضایی گفت که دولت جنگ اقتصادی تشکیل می‌دهد.",
     ["محسن رضایی", "رضایی"], "2021-06-10", ["mohsen_rezaee", "mohsen_rezaee"]),
    # the first part of a double surname follows the document, not the KB's «باقری»
    ("علی باقری کنی به وین رفت. باقری گفت که متن نهایی آماده است.",
     ["علی باقری کنی", "باقری"], "2022-08-08", ["ali_bagheri_kani", "ali_bagheri_kani"]),
    ("هیلاری کلینتون به پکن رفت. کلینتون گفت که تحریم‌ها ادامه دارد.",
     ["هیلاری کلینتون", "کلینتون"], "2012-01-11", ["hillary_clinton", "hillary_clinton"]),
    # «الشیبانی» written without the Arabic article
    ("اسعد الشیبانی به دمشق بازگشت. شیبانی گفت که مذاکرات ادامه دارد.",
     ["اسعد الشیبانی", "شیبانی"], "2025-03-01", ["asaad_al_shaibani", "asaad_al_shaibani"]),
    # the surname first (a headline), the full name after it
    ("سودانی: روابط ما راهبردی است\nمحمد شیاع السودانی در دیدار با وزیر گفت که همکاری ادامه دارد.",
     ["سودانی", "محمد شیاع السودانی"], "2025-08-12", ["mohammed_shia_al_sudani", "mohammed_shia_al_sudani"]),
    # two people of one surname: the one in office on the date, not the nearest ...
    ("جوزف عون رئیس‌جمهور شد؛ جانشین میشل عون. عون گفت که دوره‌ای تازه آغاز شده است.",
     ["جوزف عون", "میشل عون", "عون"], "2025-01-09", ["joseph_aoun", "michel_aoun", "joseph_aoun"]),
    # ... and the nearest when neither or both hold an office
    ("جوزف عون رئیس‌جمهور شد؛ جانشین میشل عون. عون گفت که دوره‌ای تازه آغاز شده است.",
     ["جوزف عون", "میشل عون", "عون"], "2019-01-09", ["joseph_aoun", "michel_aoun", "michel_aoun"]),
    # one word that opens the name of one person named earlier: a Korean surname (the KB has
    # several «چوی»), a given name; two such people leave it unresolved
    ("چوی جونگ‌کون معاون وزیر خارجه کره جنوبی به تهران آمد. چوی گفت که پول‌ها آزاد می‌شود.",
     ["چوی جونگ‌کون", "چوی"], "2021-01-10", ["choi_jong_kun", "choi_jong_kun"]),
    ("نازنین زاغری به لندن بازگشت. نازنین گفت که خوشحال است.",
     ["نازنین زاغری", "نازنین"], "2022-03-17", ["nazanin_zaghari_ratcliffe", "nazanin_zaghari_ratcliffe"]),
    ("یون سوک‌یول و یون کانگ‌هیون درباره امارات سخن گفتند. یون گفت که دشمن امارات ایران است.",
     ["یون سوک‌یول", "یون کانگ‌هیون", "یون"], "2023-01-16", ["yoon_suk_yeol", "yun_kang_hyeon", ""]),
])
def test_the_documents_full_name_wins_over_the_global_reading(rules, text, names, date, kb_ids):
    mentions = [(name, "PERSON") for name in names]
    assert link(rules, text, mentions, date) == [(name, "PERSON", k) for name, k in zip(names, kb_ids)]


@pytest.mark.parametrize("text,mention,date,kb_id", [
    # modifiers of the title: new, elected (about to take office)
    ("نخست‌وزیر جدید عراق گفت", "نخست‌وزیر جدید عراق", "2022-10-28", "mohammed_shia_al_sudani"),
    ("نخستوزیر جدید عراق گفت", "نخستوزیر جدید عراق", "2022-10-28", "mohammed_shia_al_sudani"),
    ("رئیس‌جمهور منتخب گفت", "رئیس‌جمهور منتخب", "2024-07-06", "masoud_pezeshkian"),
    ("رئيسجمهور منتخب آمريكا گفت", "رئيسجمهور منتخب آمريكا", "2024-11-20", "donald_trump"),
    ("رئیس جدید دستگاه قضا گفت", "رئیس جدید دستگاه قضا", "2009-08-16", "sadeq_larijani"),
    # an office that ends on the day (a death), nobody after it yet
    ("رئیس‌جمهور افزود", "رئیس‌جمهور", "2024-05-19", "ebrahim_raisi"),
    # a demonym as the country; a minister of a ministry the knowledge base names
    ("وزیر خارجه سعودی گفت", "وزیر خارجه سعودی", "2023-06-17", "faisal_bin_farhan_al_saud"),
    ("وزیر راه و شهرسازی گفت", "وزیر راه و شهرسازی", "2023-05-18", "mehrdad_bazrpash"),
    ("وزير راه و شهرسازي گفت", "وزير راه و شهرسازي", "2023-05-18", "mehrdad_bazrpash"),
    # titles of the title table
    ("رئیس کل بانک مرکزی گفت", "رئیس کل بانک مرکزی", "2021-01-10", "abdolnaser_hemmati"),
    ("شهردار تهران گفت", "شهردار تهران", "2005-06-25", "mahmoud_ahmadinejad"),
    ("وزیر انرژی روسیه گفت", "وزیر انرژی روسیه", "2025-02-10", "sergey_tsivilev"),
    ("رئیس دفتر رئیس‌جمهور گفت", "رئیس دفتر رئیس‌جمهور", "2024-10-01", "mohsen_haji_mirzaei"),
    # «our country» in Iranian news is Iran
    ("رئیس‌جمهور کشورمان گفت", "رئیس‌جمهور کشورمان", "2013-09-27", "hassan_rouhani"),
    ("رئيس جمهور كشور ما گفت", "رئيس جمهور كشور ما", "2013-09-27", "hassan_rouhani"),
    ("سفیر کشورمان در بغداد گفت", "سفیر کشورمان در بغداد", "2025-08-13", "mohammad_kazem_al_e_sadegh"),
    # exact term boundaries: Afkham handed over to Jaberi Ansari in October 2015
    ("سخنگوی وزارت خارجه گفت", "سخنگوی وزارت خارجه", "2015-05-20", "marzieh_afkham"),
    ("سخنگوی وزارت خارجه گفت", "سخنگوی وزارت خارجه", "2015-12-20", "hossein_jaberi_ansari"),
    ("سخنگوی دولت گفت", "سخنگوی دولت", "2005-10-01", "gholam_hossein_elham"),
    ("سخنگوی وزارت امور خارجه آمریکا گفت", "سخنگوی وزارت امور خارجه آمریکا", "2016-03-01", "john_kirby"),
    # ministers of every ministry, vice presidents by portfolio, other institutions
    ("وزیر بهداشت گفت", "وزیر بهداشت", "2015-06-01", "hassan_ghazizadeh_hashemi"),
    ("وزير بهداشت، درمان و آموزش پزشكي گفت", "وزير بهداشت، درمان و آموزش پزشكي", "2022-01-01", "bahram_eynollahi"),
    ("وزیر نیرو گفت", "وزیر نیرو", "2011-03-01", "majid_namjou"),
    ("معاون راهبردی رئیس‌جمهور گفت", "معاون راهبردی رئیس‌جمهور", "2024-09-15", "mohammad_javad_zarif"),
    ("معاون راهبردي رئيسجمهور گفت", "معاون راهبردي رئيسجمهور", "2024-09-15", "mohammad_javad_zarif"),
    ("فرمانده کل قوا گفت", "فرمانده کل قوا", "2019-04-21", "ali_khamenei"),
    ("تولیت آستان قدس رضوی گفت", "تولیت آستان قدس رضوی", "2017-05-17", "ebrahim_raisi"),
    ("رئیس مجلس خبرگان گفت", "رئیس مجلس خبرگان", "2018-03-01", "ahmad_jannati"),
    ("رئیس مجلس گفت", "رئیس مجلس", "2018-03-01", "ali_larijani"),
])
def test_titles_with_modifiers_and_ministries(rules, text, mention, date, kb_id):
    assert link(rules, text, [(mention, "ROLE")], date) == [(mention, "ROLE", kb_id)]


def test_unnamed_and_constituency_holders(rules):
    # «یک …»: an unnamed holder
    assert link(rules, "یک عضو کمیسیون برنامه و بودجه گفت", [("یک عضو کمیسیون برنامه و بودجه", "ROLE")],
                "2014-12-07")[0][2] == ""
    assert link(rules, "یک نماینده گفت", [("نماینده", "ROLE")], "2025-05-21")[0][2] == ""
    # a constituency names the MP of that constituency only, not the speaker of parliament
    text = "محمدباقر قالیباف جلسه را اداره کرد. نماینده مردم شیراز در مجلس گفت که طرح لازم است."
    assert link(rules, text, [("محمدباقر قالیباف", "PERSON"), ("نماینده مردم شیراز در مجلس", "ROLE")],
                "2025-06-25")[1][2] == ""
    text = "مجتبی یوسفی در کمیسیون حاضر بود. نماینده مردم اهواز توضیح داد که کلیات تصویب شد."
    assert link(rules, text, [("مجتبی یوسفی", "PERSON"), ("نماینده مردم اهواز", "ROLE")],
                "2026-01-05")[1][2] == "mojtaba_yousefi"
    # a constituency elects several members and the knowledge base knows few of them: the
    # title with no member of it named in the document is nobody in particular
    for title in ("نماینده مردم اهواز", "نماینده مردم تبریز در مجلس", "نماینده مردم تهران"):
        assert link(rules, f"{title} گفت که کلیات تصویب شد.", [(title, "ROLE")], "2026-01-05")[0][2] == ""


def test_titles_of_a_numbered_government(rules):
    # an office of a numbered government: the holder on the date when it falls in that
    # government's term, in every spelling of the title
    for title, kb_id in [("سخنگوی دولت دوازدهم", "mohammad_bagher_nobakht"), ("رئیس دولت دوازدهم", "hassan_rouhani"),
                         ("وزير خارجه دولت دوازدهم", "mohammad_javad_zarif")]:
        assert link(rules, f"{title} گفت که مذاکرات ادامه دارد.", [(title, "ROLE")], "2018-01-10")[0][2] == kb_id
    # after the term: the holder for most of it, whatever the document's date
    for title, kb_id in [("وزیر امور خارجه دولت سیزدهم", "hossein_amir_abdollahian"),
                         ("رئیسجمهور دولت سیزدهم", "ebrahim_raisi"), ("رئیس جمهور دولت دهم", "mahmoud_ahmadinejad"),
                         ("وزیر نفت دولت یازدهم", "bijan_namdar_zanganeh"), ("سخنگوی دولت سیزدهم", "ali_bahadori_jahromi")]:
        assert link(rules, f"{title} گفته بود که مذاکرات ادامه دارد.", [(title, "ROLE")], "2025-03-01")[0][2] == kb_id
    # the twelfth government had two spokespeople: Ali Rabiei served most of its term, unless
    # the text names the other
    text = "سخنگوی دولت دوازدهم گفته بود که مذاکرات ادامه دارد."
    assert link(rules, text, [("سخنگوی دولت دوازدهم", "ROLE")], "2025-03-01")[0][2] == "ali_rabiei"
    text = "محمدباقر نوبخت در سال ۹۷ سخنگو بود. سخنگوی دولت دوازدهم گفته بود که بودجه کافی است."
    assert link(rules, text, [("محمدباقر نوبخت", "PERSON"), ("سخنگوی دولت دوازدهم", "ROLE")],
                "2025-03-01")[1][2] == "mohammad_bagher_nobakht"
    # a term still running is measured up to the document's date
    text = "وزیر امور خارجه دولت چهاردهم گفت که مذاکرات ادامه دارد."
    assert link(rules, text, [("وزیر امور خارجه دولت چهاردهم", "ROLE")], "2025-03-01")[0][2] == "abbas_araghchi"
    # a government's ordinal name alone is left to the corpus convention: not an entity
    assert [e.text for e in run(rules, "برنامه اقتصادی دولت دهم اعلام شد.", "2010-01-13").ents] == []


def test_a_countrys_leader(rules):
    # a supreme-leader state: the holder on the date
    assert link(rules, "رهبر کره شمالی گفت که آزمایش ادامه دارد.", [("رهبر کره شمالی", "ROLE")],
                "2019-06-15")[0][2] == "kim_jong_un"
    # any other country: the head of state or government the text named before
    text = "شی جین‌پینگ، رئیس‌جمهور چین، به دوشنبه رفت. «ما از برجام حمایت می‌کنیم»؛ این را رهبر چین گفت."
    mentions = [("شی جین‌پینگ", "PERSON"), ("رئیس‌جمهور چین", "ROLE"), ("رهبر چین", "ROLE")]
    assert link(rules, text, mentions, "2019-06-15")[2] == ("رهبر چین", "ROLE", "xi_jinping")
    text = "بنیامین نتانیاهو به واشنگتن رفت. رهبر اسرائیل گفت که ایران تهدید است."
    assert link(rules, text, [("بنیامین نتانیاهو", "PERSON"), ("رهبر اسرائیل", "ROLE")],
                "2019-06-15")[1][2] == "benjamin_netanyahu"
    # … and nobody when it named none (China has a president and a premier)
    assert link(rules, "رهبر چین گفت که پکن از برجام حمایت می‌کند.", [("رهبر چین", "ROLE")], "2019-06-15")[0][2] == ""
    # a person named before who leads no country is not the country's leader
    text = "محمدجواد ظریف به پکن رفت. رهبر چین گفت که پکن از برجام حمایت می‌کند."
    assert link(rules, text, [("محمدجواد ظریف", "PERSON"), ("رهبر چین", "ROLE")], "2019-06-15")[1][2] == ""


def test_bare_titles_follow_the_document(rules):
    text = "عباس عراقچی، وزیر امور خارجه، در ایکس نوشت که گذرنامه مصونیت نمی‌آورد. وزیر افزود که پیگیری ادامه دارد."
    mentions = [("عباس عراقچی", "PERSON"), ("وزیر امور خارجه", "ROLE"), ("وزیر", "ROLE")]
    assert link(rules, text, mentions, "2024-10-29")[2] == ("وزیر", "ROLE", "abbas_araghchi")
    # no Iranian foreign minister named: the foreign one named in the paragraph
    text = "لیز تراس، وزیر خارجه بریتانیا، در مجلس عوام گفت: «بدهی را پرداختیم.» وزیر خارجه افزود که تلاش ادامه دارد."
    mentions = [("لیز تراس", "PERSON"), ("وزیر خارجه بریتانیا", "ROLE"), ("وزیر خارجه", "ROLE")]
    assert link(rules, text, mentions, "2022-03-16")[2] == ("وزیر خارجه", "ROLE", "liz_truss")


def test_organisations_and_mistaken_labels(rules):
    # a unit that speaks for its organisation
    assert link(rules, "روابط عمومی سپاه پاسداران انقلاب اسلامی اعلام کرد",
                [("روابط عمومی سپاه پاسداران انقلاب اسلامی", "ORG")], "2019-07-20")[0][2] == "irgc"
    assert link(rules, "دفتر سیاسی انصارالله اعلام کرد", [("دفتر سیاسی انصارالله", "ORG")], "2025-03-16")[0][2] == "houthis"
    # an organisation of its own is not the one named inside it
    assert link(rules, "شورای عالی قوه قضاییه اعلام کرد", [("شورای عالی قوه قضاییه", "ORG")], "2024-05-22")[0][2] != \
        "iran_judiciary"
    # a person's name the model tagged ORG
    assert link(rules, "اسماعيلي افزود", [("اسماعيلي", "ORG")], "2020-07-28") == [
        ("اسماعيلي", "PERSON", "gholamhossein_esmaeili")]
    # newspapers by their short names, which the gazetteer does not match alone
    assert link(rules, "اعتماد نوشت", [("اعتماد", "ORG")], "2017-05-20")[0][2] == "etemad"
    assert ents(run(rules, "اعتماد به نفس", "2017-05-20")) == []


@pytest.mark.parametrize("text,expected", [
    # a meeting's venue is a place of its own; the event keeps the id its full name gives
    ("رهبران در اجلاس سران بریکس در کازان شرکت کردند.",
     [("اجلاس سران بریکس", "EVENT", "16th_brics_summit"), ("کازان", "GPE", "kazan")]),
    ("رهبران در اجلاس سران بريكس در كازان شركت كردند.",
     [("اجلاس سران بريكس", "EVENT", "16th_brics_summit"), ("كازان", "GPE", "kazan")]),
    ("نشست سران گروه ۲۰ در اوساکا آغاز شد.",
     [("نشست سران گروه ۲۰", "EVENT", "g20_osaka_summit_2019"), ("اوساکا", "GPE", "osaka")]),
    ("نشست سران گروه 20 در اوساکا آغاز شد.",
     [("نشست سران گروه 20", "EVENT", "g20_osaka_summit_2019"), ("اوساکا", "GPE", "osaka")]),
    ("نخستین\u00a0نشست ۳+۳ در مسکو برگزار شد.",
     [("نخستین\u00a0نشست ۳+۳", "EVENT", "three_plus_three_moscow_meeting_2021"), ("مسکو", "GPE", "moscow")]),
    ("گفت‌وگوهای غیرمستقیم ایران و آمریکا در ژنو ادامه یافت.",
     [("گفت‌وگوهای غیرمستقیم ایران و آمریکا", "EVENT", "iran_us_talks_2026"), ("ژنو", "GPE", "geneva")]),
    ("گفتوگوهای غیرمستقیم ایران و آمریکا در ژنو ادامه یافت.",
     [("گفتوگوهای غیرمستقیم ایران و آمریکا", "EVENT", "iran_us_talks_2026"), ("ژنو", "GPE", "geneva")]),
    # «دوشنبه» (also Monday) is not matched alone, but is a meeting's venue
    ("اجلاس سران شانگهای در دوشنبه برگزار شد.",
     [("اجلاس سران شانگهای", "EVENT", "sco_summit_2021"), ("دوشنبه", "GPE", "dushanbe")]),
    # «در» inside a name: not a venue
    ("یازدهمین اجلاس سران گروه هشت کشور در حال توسعه برگزار شد.",
     [("یازدهمین اجلاس سران گروه هشت کشور در حال توسعه", "EVENT", "d8_summit_2024")]),
    ("پنجمین اجلاس سران کنفرانس تعامل و اعتمادسازی در آسیا برگزار شد.",
     [("پنجمین اجلاس سران کنفرانس تعامل و اعتمادسازی در آسیا", "EVENT", "cica_summit_2019")]),
    # not a meeting: the place stays in the name
    ("حمله به کنسولگری ایران در دمشق محکوم شد.",
     [("حمله به کنسولگری ایران در دمشق", "EVENT", "israeli_strike_on_the_iranian_consulate_in_damascus")]),
])
def test_a_meetings_venue_is_not_part_of_its_name(rules, text, expected):
    doc = run(rules, text, "2026-01-01")
    assert [e for e in ents(doc) if e[1] in ("EVENT", "GPE")] == expected
    assert doc.text == text


@pytest.mark.parametrize("space", ["\u00a0", "\t", "  "])
def test_names_across_an_nbsp_a_tab_or_two_spaces(rules, space):
    text = f"وزیر{space}امور خارجه ایران در اجلاس سران بریکس در{space}کازان گفت که همکاری ادامه دارد."
    doc = run(rules, text, "2024-10-23")
    assert doc.text == text
    assert ents(doc) == [(f"وزیر{space}امور خارجه ایران", "ROLE", "abbas_araghchi"),
                         ("اجلاس سران بریکس", "EVENT", "16th_brics_summit"), ("کازان", "GPE", "kazan")]
    # a line break still ends a name
    assert ents(run(rules, "وزیر\nامور خارجه", "2024-10-23")) != [("وزیر\nامور خارجه", "ROLE", "abbas_araghchi")]


@pytest.mark.parametrize("space", ["\u00a0", "\t", "  "])
@pytest.mark.parametrize("title", ["رئیس‌جمهور", "رئیسجمهور", "رئیس جمهور"])
def test_a_title_and_its_country_across_an_nbsp_are_one_role(rules, space, title):
    text = f"{title}{space}روسیه و سفیر ایران در{space}مسکو دیدار کردند."
    doc = run(rules, text, "2024-10-23")
    assert doc.text == text
    assert ents(doc) == [(f"{title}{space}روسیه", "ROLE", "vladimir_putin"),
                         (f"سفیر ایران در{space}مسکو", "ROLE", "kazem_jalali")]


@pytest.mark.parametrize("written", ["\u200c", "", " "])
def test_a_name_whose_zwnj_the_normaliser_joins_matches_with_a_space(rules, written):
    # «مون جه‌این», «بان کی‌مون»: the normaliser reads the ZWNJ'd word as one («جهاین»), so
    # the ZWNJ typed as a space gives two words that need a spelling of their own
    text = f"مون جه{written}این و بان کی{written}مون و ژائو لی{written}جیان دیدار کردند."
    doc = run(rules, text, "2019-01-10")
    assert doc.text == text
    assert ents(doc) == [(f"مون جه{written}این", "PERSON", "moon_jae_in"), (f"بان کی{written}مون", "PERSON", "ban_ki_moon"),
                         (f"ژائو لی{written}جیان", "PERSON", "zhao_lijian")]
    # the spaced spelling is not matched inside other words
    assert ents(run(rules, "جه این کار را کرد.", "2019-01-10")) == []


def test_a_title_with_a_generic_organisation_noun_follows_the_document(rules):
    # «سخنگوی شورا» after «شورای نگهبان»; «دبیر مجمع» after «مجمع تشخیص مصلحت نظام»
    text = "شورای نگهبان طرح را رد کرد. سخنگوی شورا گفت که ایرادها برطرف نشده است."
    assert link(rules, text, [("شورای نگهبان", "ORG"), ("سخنگوی شورا", "ROLE")], "2023-05-30")[1] == (
        "سخنگوی شورا", "ROLE", "hadi_tahan_nazif")
    text = "مجمع تشخيص مصلحت نظام تشکيل جلسه داد. دبير مجمع گفت که لايحه بررسي شد."
    assert link(rules, text, [("مجمع تشخيص مصلحت نظام", "ORG"), ("دبير مجمع", "ROLE")], "2018-12-31")[1] == (
        "دبير مجمع", "ROLE", "mohsen_rezaee")
    # no such organisation named: nobody
    assert link(rules, "سخنگوی شورا گفت که ایرادها برطرف نشده است.", [("سخنگوی شورا", "ROLE")],
                "2023-05-30")[0][2] == ""


@pytest.mark.parametrize("text,mention,date,kb_id", [
    # the knowledge base writes «جوزپ بورل», «ویکتوریا نولاند», «سیریل رامافوزا»
    ("ژوزپ بورل گفت", "ژوزپ بورل", "2021-03-01", "josep_borrell"),
    ("ويكتوريا نولند گفت", "ويكتوريا نولند", "2012-05-01", "victoria_nuland"),
    ("سیریل رامافوسا گفت", "سیریل رامافوسا", "2020-05-01", "cyril_ramaphosa"),
    # a Persian name has one spelling: «محمود» is not a transliteration of «محمد»
    ("محمود جواد ظریف گفت", "محمود جواد ظریف", "2016-05-01", ""),
])
def test_foreign_names_in_another_transliteration(rules, text, mention, date, kb_id):
    assert link(rules, text, [(mention, "PERSON")], date) == [(mention, "PERSON", kb_id)]


def test_a_surname_before_a_full_name_that_an_apposition_resolves(rules):
    # «دوپون: …» in the headline, then a full name the knowledge base does not know with
    # the title that names its holder in apposition: the surname follows the full name
    text = "دوپون: تجارت با ایران ادامه دارد\nژان دوپون، نخست‌وزیر بلژیک، گفت که تجارت ادامه دارد."
    mentions = [("دوپون", "PERSON"), ("ژان دوپون", "PERSON"), ("نخست‌وزیر بلژیک", "ROLE")]
    assert [k for _, _, k in link(rules, text, mentions, "2023-08-24")] == ["alexander_de_croo"] * 3


def test_a_bare_member_of_parliament_is_unnamed(rules):
    # a speaker of parliament named before is not «نماینده»
    text = "محمدباقر قالیباف جلسه را اداره کرد. نماینده گفت که طرح لازم است."
    assert link(rules, text, [("محمدباقر قالیباف", "PERSON"), ("نماینده", "ROLE")], "2025-06-25")[1][2] == ""
    text = "یک عضو کمیسیون برنامه و بودجه گفت که درآمدها واقع‌بینانه نیست.\nاین نماینده یادآوری کرد که بودجه اصلاح می‌شود."
    assert link(rules, text, [("یک عضو کمیسیون برنامه و بودجه", "ROLE"), ("نماینده", "ROLE")],
                "2025-06-25")[1][2] == ""
    # «این نماینده» after a member named in the paragraph is that member
    text = "مجتبی یوسفی در کمیسیون حاضر بود. این نماینده گفت که کلیات تصویب شد."
    assert link(rules, text, [("مجتبی یوسفی", "PERSON"), ("نماینده", "ROLE")], "2026-01-05")[1][2] == "mojtaba_yousefi"


def test_a_title_repeated_short_is_the_person_it_named_before(rules):
    # the apposition names who «رئیس هیئت مذاکره‌کننده ایران» is; «رئیس هیئت» later, cut
    # short, is the same person, where the knowledge base's offices name nobody
    text = ("محمدجواد ظریف، رئیس هیئت مذاکره‌کننده ایران، وارد لوزان شد. "
            "رئیس هیئت گفت که متن تفاهم آماده نیست.")
    mentions = [("محمدجواد ظریف", "PERSON"), ("رئیس هیئت مذاکره‌کننده ایران", "ROLE"), ("رئیس هیئت", "ROLE")]
    assert [k for _, _, k in link(rules, text, mentions, "2015-03-30")] == ["mohammad_javad_zarif"] * 3
    # an indefinite title is nobody in particular
    text = text.replace("رئیس هیئت گفت", "یک رئیس هیئت گفت")
    assert link(rules, text, mentions, "2015-03-30")[2][2] == ""


@pytest.mark.parametrize("title,date,kb_id", [
    ("رهبر حزب آلترناتیو برای آلمان", "2025-02-15", "alice_weidel"),
    ("رهبر حزب‌الله", "2020-05-01", "hassan_nasrallah"),
    ("رهبر کره شمالی", "2019-06-15", "kim_jong_un"),
    ("رهبر ایران", "2019-06-15", "ali_khamenei"),
    # the political bureau's head; the leaders in Gaza and abroad hold another role
    ("رهبر حماس", "2023-11-20", "ismail_haniyeh"),
    ("رئیس‌جمهور نیکاراگوئه", "2025-06-01", ""),  # two co-presidents at once: nobody
    ("کمیسر عالی حقوق بشر سازمان ملل", "2024-05-01", "volker_turk"),
    ("کمیسر عالی پناهندگان سازمان ملل", "2024-05-01", "filippo_grandi"),
    ("معاون سخنگوی وزارت خارجه آمریکا", "2024-05-01", "vedant_patel"),
    ("وزیر محیط زیست هند", "2023-05-01", "bhupender_yadav"),
])
def test_titles_of_leaders_commissioners_and_deputies(rules, title, date, kb_id):
    assert link(rules, f"{title} گفت که گفت‌وگو ادامه دارد.", [(title, "ROLE")], date) == [(title, "ROLE", kb_id)]


@pytest.mark.parametrize("title,date,kb_id", [
    ("سخنگوی وزارت خارجه پاکستان", "2024-05-01", "mumtaz_zahra_baloch"),
    ("سفیر روسیه در تهران", "2019-06-01", "levan_dzhagaryan"),
    ("سفیر ایران در چین", "2019-06-01", "mohammad_keshavarzzadeh"),
    # the deputy representative (Geng Shuang) is not «نماینده دائم»
    ("نماینده دائم چین در سازمان ملل", "2022-06-01", "zhang_jun_diplomat"),
    ("وزیر دفاع انگلیس", "2026-07-01", "dan_jarvis"),
    ("وزیر دفاع ترکیه", "2020-03-01", "hulusi_akar"),
    ("رئیس مجلس عراق", "2020-03-01", "mohammed_al_halbousi"),
    ("سخنگوی وزارت خارجه آمریکا", "2013-03-11", "victoria_nuland"),
    ("سخنگوی وزارت خارجه آمریکا", "2013-05-01", "patrick_ventrell"),  # acting, before Psaki
    # the eleventh round: leaders of the countries the corpus names less
    # the thirteenth round: officials of organisations and sectoral ministers
    ("دبیرکل اوپک", "2023-03-01", "haitham_al_ghais"),
    ("کمیسر انرژی اتحادیه اروپا", "2021-03-01", "kadri_simson"),
    ("کمیسر انرژی اتحادیه اروپا", "2025-03-01", "dan_jorgensen"),
    ("معاون دبیرکل سازمان ملل در امور بشردوستانه", "2016-10-18", "stephen_obrien"),
    ("معاون دبیرکل سازمان ملل", "2019-10-18", "amina_j_mohammed"),
    ("نخست‌وزیر اسپانیا", "2019-06-01", "pedro_sanchez"),
    ("صدراعظم اتریش", "2018-06-01", "sebastian_kurz"),
    ("رئیس‌جمهور مکزیک", "2020-06-01", "andres_manuel_lopez_obrador"),
    ("وزیر خارجه نیجریه", "2024-06-01", "yusuf_tuggar"),
])
def test_titles_of_officials_below_heads_of_state(rules, title, date, kb_id):
    """The ninth round's timelines: spokespeople, ambassadors, UN representatives,
    defence ministers and speakers resolve to the holder on the article's date."""
    assert link(rules, f"{title} گفت که گفت‌وگو ادامه دارد.", [(title, "ROLE")], date) == [(title, "ROLE", kb_id)]


@pytest.mark.parametrize("text,mentions,date,kb_ids", [
    # the eighteenth round: MPs of the 8th-12th Majlis, and the politicians of Iraq,
    # Lebanon, Afghanistan, Yemen, Palestine and Syria that Persian news quotes by name
    ("روح‌الله ایزدخواه، نماینده مردم تهران، گفت که", [("روح‌الله ایزدخواه", "PERSON"), ("نماینده مردم تهران", "ROLE")],
     "2023-01-01", ["rouhollah_izadkhah", "rouhollah_izadkhah"]),
    ("روح الله ایزدخواه گفت", [("روح الله ایزدخواه", "PERSON")], "2023-01-01", ["rouhollah_izadkhah"]),
    ("خميس الخنجر گفت", [("خميس الخنجر", "PERSON")], "2022-01-01", ["khamis_al_khanjar"]),
    ("صائب عریقات گفت", [("صائب عریقات", "PERSON")], "2018-01-01", ["saeb_erekat"]),
    ("وزیر دارایی لبنان گفت", [("وزیر دارایی لبنان", "ROLE")], "2025-06-01", ["yassin_jaber"]),
    ("وزیر دارایی لبنان گفت", [("وزیر دارایی لبنان", "ROLE")], "2022-06-01", ["youssef_khalil"]),
    ("وزیر کشور عراق گفت", [("وزیر کشور عراق", "ROLE")], "2008-01-01", ["jawad_al_bulani"]),
    ("معاون اول رئیس‌جمهور افغانستان گفت", [("معاون اول رئیس‌جمهور افغانستان", "ROLE")], "2016-01-01",
     ["abdul_rashid_dostum"]),
])
def test_the_eighteenth_rounds_politicians(rules, text, mentions, date, kb_ids):
    assert [e[2] for e in link(rules, text, mentions, date)] == kb_ids


@pytest.mark.parametrize("text,mentions,date,kb_ids", [
    # the twenty-first round: politicians, officials, clerics and public figures Persian news
    # quotes by name (Israel's ministers, US legislators, Europe's and Turkey's ministers and
    # party leaders, grand ayatollahs, journalists), in the spellings of real news
    ("ایتمار بن‌گویر گفت", [("ایتمار بن‌گویر", "PERSON")], "2024-03-01", ["itamar_ben_gvir"]),
    ("اسموتريچ گفت", [("اسموتريچ", "PERSON")], "2024-03-01", ["bezalel_smotrich"]),
    ("لیندسی گراهام گفت", [("لیندسی گراهام", "PERSON")], "2024-03-01", ["lindsey_graham"]),
    ("چاک شومر گفت", [("چاک شومر", "PERSON")], "2024-03-01", ["chuck_schumer"]),
    ("آموس هوکشتاین گفت", [("آموس هوکشتاین", "PERSON")], "2024-03-01", ["amos_hochstein"]),
    ("کمال قلیچداراوغلو گفت", [("کمال قلیچداراوغلو", "PERSON")], "2022-03-01", ["kemal_kilicdaroglu"]),
    ("مارین لوپن گفت", [("مارین لوپن", "PERSON")], "2024-03-01", ["marine_le_pen"]),
    ("گنادی زیوگانف گفت", [("گنادی زیوگانف", "PERSON")], "2022-03-01", ["gennady_zyuganov"]),
    ("مولوی عبدالحمید گفت", [("مولوی عبدالحمید", "PERSON")], "2023-03-01", ["abdolhamid_ismaeelzahi"]),
    # a span that lost the «آیت‌الله» of «آیت‌الله العظمی»
    ("آیت‌الله العظمی مکارم شیرازی گفت", [("العظمی مکارم شیرازی", "PERSON")], "2024-03-01",
     ["naser_makarem_shirazi"]),
    ("تاکر کارلسون پرسید", [("تاکر کارلسون", "PERSON")], "2025-07-01", ["tucker_carlson"]),
    ("وزیر امنیت داخلی اسرائیل گفت", [("وزیر امنیت داخلی اسرائیل", "ROLE")], "2024-03-01", ["itamar_ben_gvir"]),
    ("وزیر کشور ترکیه گفت", [("وزیر کشور ترکیه", "ROLE")], "2020-01-01", ["suleyman_soylu"]),
    # the UAE's defence ministry passed to Hamdan bin Mohammed on 2024-07-14
    ("وزیر دفاع امارات گفت", [("وزیر دفاع امارات", "ROLE")], "2020-01-01", ["mohammed_bin_rashid_al_maktoum"]),
    ("وزیر دفاع امارات گفت", [("وزیر دفاع امارات", "ROLE")], "2025-01-01", ["hamdan_bin_mohammed_al_maktoum"]),
    # the round added the UAE's speakers: «رئیس امارات» is still its president
    ("رئیس امارات متحده عربی گفت", [("رئیس امارات متحده عربی", "ROLE")], "2025-03-12",
     ["mohamed_bin_zayed_al_nahyan"]),
    # ministers the round could give no ministry: no minister title names them
    ("وزیر بهداشت ترکیه گفت", [("وزیر بهداشت ترکیه", "ROLE")], "2020-01-01", [""]),
    # the AfD's co-chairs: the title names the one party_leader
    ("رهبر حزب آلترناتیو برای آلمان گفت", [("رهبر حزب آلترناتیو برای آلمان", "ROLE")], "2025-02-15",
     ["alice_weidel"]),
    # a namesake the round left out: the name stays the Tehran mayor's and minister's
    ("محمدعلی نجفی گفت", [("محمدعلی نجفی", "PERSON")], "2018-03-01", ["mohammad_ali_najafi"]),
])
def test_the_twenty_first_rounds_people(rules, text, mentions, date, kb_ids):
    assert [e[2] for e in link(rules, text, mentions, date)] == kb_ids


@pytest.mark.parametrize("title,date,kb_id", [
    # a movement that governs a country names that country's office while it governs
    ("وزیر خارجه طالبان", "2023-05-01", "amir_khan_muttaqi"),
    ("وزیر دادگستری طالبان", "2023-05-01", "abdul_hakim_sharaee"),
    ("وزیر خارجه حکومت طالبان", "2023-05-01", "amir_khan_muttaqi"),
    ("وزیر خارجه دولت افغانستان", "2023-05-01", "amir_khan_muttaqi"),
    # before 2021-08-15 the Taliban governed nothing the knowledge base records; a
    # movement that governs no country has no foreign minister, and never Iran's
    ("وزیر خارجه طالبان", "2019-05-01", ""),
    ("وزیر خارجه حماس", "2023-05-01", ""),
    ("رئیس‌الوزرای حکومت طالبان", "2025-01-26", "mohammad_hasan_akhund"),
    # a government named with what it is: resigned (the recognised one, as Iranian media
    # call it), caretaker, transitional
    ("وزير خارجه دولت مستعفي يمن", "2018-12-14", "khaled_al_yamani"),
    ("نخست وزیر دولت پیشبرد امور لبنان", "2022-06-01", "najib_mikati"),
    ("وزیر خارجه دولت انتقالی سوریه", "2025-05-01", "asaad_al_shaibani"),
])
def test_titles_qualified_by_a_governing_movement(rules, title, date, kb_id):
    assert link(rules, f"{title} گفت که گفت‌وگو ادامه دارد.", [(title, "ROLE")], date) == [(title, "ROLE", kb_id)]


@pytest.mark.parametrize("text,date,expected", [
    # the nineteenth round: named events from general knowledge, in the spellings of
    # real news (ZWNJ dropped, Arabic «ي ك», ASCII digits)
    ("سخنگوی وزارت خارجه درباره دهمین دور مذاکرات آستانه در سوچی گفت.", "2018-07-31",
     [("سخنگوی وزارت خارجه", "ROLE", "bahram_ghasemi"), ("دهمین دور مذاکرات آستانه", "EVENT", "astana_talks_round_10"),
      ("سوچی", "GPE", "sochi")]),
    ("وی درباره زلزله بم و حادثه پلاسكو سخن گفت.", "2020-01-01",
     [("زلزله بم", "EVENT", "2003_bam_earthquake"), ("حادثه پلاسكو", "EVENT", "plasco_building_collapse")]),
    ("رزمايش کمربند امنيت دريايي 2022 در اقیانوس هند برگزار شد.", "2022-01-20",
     [("رزمايش کمربند امنيت دريايي 2022", "EVENT", "marine_security_belt_exercise_2022"),
      ("اقیانوس هند", "LOC", "indian_ocean")]),
    ("انتخابات ۷ اسفند ۱۳۹۴ با مشارکت بالا برگزار شد.", "2016-02-27",
     [("انتخابات ۷ اسفند ۱۳۹۴", "EVENT", "iran_legislative_and_assembly_of_experts_elections_2016")]),
    ("پنجاه و پنجمین نشست شورای حقوق بشر در ژنو آغاز شد.", "2024-02-26",
     [("پنجاه و پنجمین نشست شورای حقوق بشر", "EVENT", "unhrc_55th_session"), ("ژنو", "GPE", "geneva")]),
    ("نبرد آودیوکا ادامه دارد.", "2024-02-10", [("نبرد آودیوکا", "EVENT", "battle_of_avdiivka_2023_2024")]),
    # the corpus's conventions: a meeting's venue is a place of its own (the name still
    # links the one summit), and the killing of a person is the person only
    ("نشست سران ناتو در مادرید آغاز شد.", "2022-06-28",
     [("نشست سران ناتو", "EVENT", "2022_madrid_nato_summit"), ("مادرید", "GPE", "madrid")]),
    ("حماس شهادت محمد ضیف را تایید کرد.", "2025-01-30",
     [("حماس", "ORG", "hamas"), ("محمد ضیف", "PERSON", "mohammed_deif")]),
])
def test_the_nineteenth_rounds_events(rules, text, date, expected):
    assert ents(run(rules, text, date)) == expected


@pytest.mark.parametrize("text,mention,date,kb_id", [
    # the fourteenth round: the political figures of history, by full name and by a
    # surname only they bear, in every spelling
    ("گورباچف در خاطراتش نوشت", "گورباچف", "2021-03-02", "mikhail_gorbachev"),
    ("میخائيل گورباچف گفته بود", "میخائيل گورباچف", "2019-12-25", "mikhail_gorbachev"),
    ("هنری کیسینجر نوشت", "هنری کیسینجر", "2023-11-30", "henry_kissinger"),
    ("محمدرضا پهلوی گفت", "محمدرضا پهلوی", "2024-01-16", "mohammad_reza_pahlavi"),
    ("محمد رضا پهلوي گفت", "محمد رضا پهلوي", "2024-01-16", "mohammad_reza_pahlavi"),
    ("مهدی بازرگان گفته بود", "مهدی بازرگان", "2022-02-14", "mehdi_bazargan"),
    ("بنیصدر گفته بود", "بنیصدر", "2021-10-09", "abolhassan_banisadr"),
    ("جمال عبدالناصر اعلام کرد", "جمال عبدالناصر", "2016-07-26", "gamal_abdel_nasser"),
    ("وینستون چرچیل گفت", "وینستون چرچیل", "2020-05-08", "winston_churchill"),
    ("صادق زیباکلام گفت", "صادق زیباکلام", "2024-05-01", "sadegh_zibakalam"),
    # a first name is not a surname
    ("ناصر گفت", "ناصر", "2016-07-26", ""),
])
def test_figures_of_history_by_name(rules, text, mention, date, kb_id):
    assert link(rules, text, [(mention, "PERSON")], date) == [(mention, "PERSON", kb_id)]


def test_surnames_of_history_that_are_common_words_are_not_names_alone(rules):
    # «بازرگان» (merchant), «همت» (effort), «فورد» (the carmaker): the gazetteer tags
    # the full names only
    doc = run(rules, "یک بازرگان ایرانی گفت که همت همه لازم است و فورد خودروی تازه‌ای ساخت.", "2022-02-14")
    assert [e.text for e in doc.ents if e.label_ == "PERSON"] == []
    doc = run(rules, "مهدی بازرگان و جرالد فورد در آن سال سخن گفتند.", "2022-02-14")
    assert [(e.text, e.kb_id_) for e in doc.ents if e.label_ == "PERSON"] == [
        ("مهدی بازرگان", "mehdi_bazargan"), ("جرالد فورد", "gerald_ford")]


@pytest.mark.parametrize("title,date,kb_id", [
    # a title on a date of history names the holder of that date
    ("رئیس‌جمهور آمریکا", "1979-11-04", "jimmy_carter"),
    ("وزیر خارجه آمریکا", "1975-06-01", "henry_kissinger"),
    ("نخست‌وزیر ایران", "1953-05-01", "mohammad_mosaddegh"),
    ("نخست‌وزیر ایران", "1979-01-20", "shapour_bakhtiar"),
    ("نخست‌وزیر ایران", "1980-03-01", ""),  # vacant between Bazargan and Rajai
    ("رئیس‌جمهور ایران", "1980-06-01", "abolhassan_banisadr"),
    ("دبیرکل سازمان ملل", "1988-08-20", "javier_perez_de_cuellar"),
    ("مدیرکل آژانس بین‌المللی انرژی اتمی", "1995-01-01", "hans_blix"),
    ("نخست‌وزیر انگلیس", "1985-01-01", "margaret_thatcher"),
    ("صدراعظم آلمان", "1995-01-01", "helmut_kohl"),
    ("پادشاه عربستان", "1975-01-01", "faisal_of_saudi_arabia"),
    ("پاپ", "2025-06-01", ""),  # no title: «پاپ» is part of the popes' names
])
def test_titles_on_dates_of_history(rules, title, date, kb_id):
    got = link(rules, f"{title} گفت که گفت‌وگو ادامه دارد.", [(title, "ROLE")], date)
    assert got == [(title, "ROLE", kb_id)]


@pytest.mark.parametrize("text,date,expected", [
    # the twelfth round: resolutions, summits by edition, elections, operations, treaties
    ("شورای امنیت قطعنامه ۲۲۱۶ را تصویب کرد.", "2015-04-20",
     [("شورای امنیت", "ORG", "un_security_council"), ("قطعنامه ۲۲۱۶", "AGREEMENT", "unsc_resolution_2216")]),
    ("بیست‌وچهارمین اجلاس سران سازمان همکاری شانگهای آغاز شد.", "2024-07-03",
     [("بیست‌وچهارمین اجلاس سران سازمان همکاری شانگهای", "EVENT", "sco_summit_2024")]),
    # ZWNJ stripped or spaced (a word the normaliser cannot restore), Arabic letters,
    # ASCII digits
    ("بیست وچهارمین اجلاس سران سازمان همکاری شانگهای آغاز شد.", "2024-07-03",
     [("بیست وچهارمین اجلاس سران سازمان همکاری شانگهای", "EVENT", "sco_summit_2024")]),
    ("بيستوچهارمين اجلاس سران سازمان همكاري شانگهاي آغاز شد.", "2024-07-03",
     [("بيستوچهارمين اجلاس سران سازمان همكاري شانگهاي", "EVENT", "sco_summit_2024")]),
    # a compound ordinal as three words, for a name the KB writes as one word, and the
    # other way round
    ("بیست و چهارمین اجلاس سران سازمان همکاری شانگهای آغاز شد.", "2024-07-03",
     [("بیست و چهارمین اجلاس سران سازمان همکاری شانگهای", "EVENT", "sco_summit_2024")]),
    ("پنجاه‌وپنجمین نشست شورای حقوق بشر در ژنو آغاز شد.", "2024-02-26",
     [("پنجاه‌وپنجمین نشست شورای حقوق بشر", "EVENT", "unhrc_55th_session"), ("ژنو", "GPE", "geneva")]),
    ("پنجاهوپنجمین نشست شورای حقوق بشر آغاز شد.", "2024-02-26",
     [("پنجاهوپنجمین نشست شورای حقوق بشر", "EVENT", "unhrc_55th_session")]),
    ("انتخابات دوازدهمین دوره مجلس شورای اسلامی برگزار شد.", "2024-03-02",
     [("انتخابات دوازدهمین دوره مجلس شورای اسلامی", "EVENT", "iran_parliamentary_election_2024")]),
    ("سالگرد عملیات کربلای 5 است.", "2024-01-10", [("عملیات کربلای 5", "EVENT", "operation_karbala_5")]),
    ("قطعنامه آبان ۱۴۰۴ شورای حکام را ایران نپذیرفت.", "2025-11-25",
     [("قطعنامه آبان ۱۴۰۴ شورای حکام", "AGREEMENT", "iaea_board_resolution_2025_11"), ("ایران", "GPE", "iran")]),
    # days are dates, not events; a year-less election name names no one election
    ("مراسم عاشورا و عید فطر برگزار شد.", "2024-07-16", []),
    # a slogan and a generic phrase are not matched alone (ambiguity.jsonl: skip); the
    # campaign's name is
    ("سیاست فشار حداکثری در جهان اسلام شکست خورد.", "2020-01-10", []),
    ("کارزار فشار حداکثری شکست خورد.", "2020-01-10",
     [("کارزار فشار حداکثری", "EVENT", "us_maximum_pressure_campaign")]),
    # «شانا» is the oil ministry's news agency far more often than the Coalition Council
    ("به گزارش شانا، صادرات ادامه دارد.", "2020-01-10", [("شانا", "ORG", "shana")]),
    ("انتخابات پارلمان اقلیم کردستان برگزار شد.", "2024-10-20", [("اقلیم کردستان", "GPE", "kurdistan_region")]),
])
def test_named_events_and_agreements_of_the_news(rules, text, date, expected):
    assert [(e.text, e.label_, e.kb_id_) for e in run(rules, text, date).ents] == expected


def test_an_ambassador_without_a_host_is_the_one_posted_where_the_article_is(rules):
    """«سفیر ایران» with no «در …»: Iran has an ambassador in every capital, so the host
    is the country the article names most; a foreign ambassador in Iranian news is the
    one in Tehran; with no country named, nobody."""
    iraq = "رئیس‌جمهور عراق از گسترش روابط با ایران استقبال کرد. سفیر ایران گفت که روابط گسترش می‌یابد. عراق آماده است."
    assert [e.kb_id_ for e in run(rules, iraq, "2019-06-01").ents if e.text == "سفیر ایران"] == ["iraj_masjedi"]
    china = iraq.replace("عراق", "چین")
    assert [e.kb_id_ for e in run(rules, china, "2019-06-01").ents if e.text == "سفیر ایران"] == ["mohammad_keshavarzzadeh"]
    alone = "سفیر ایران گفت که روابط گسترش می‌یابد."
    assert [e.kb_id_ for e in run(rules, alone, "2019-06-01").ents if e.text == "سفیر ایران"] == [""]
    tehran = "روابط ایران و روسیه در تهران بررسی شد. سفیر روسیه گفت که همکاری‌ها ادامه دارد."
    assert [e.kb_id_ for e in run(rules, tehran, "2019-06-01").ents if e.text == "سفیر روسیه"] == ["levan_dzhagaryan"]
    # as the model tags them: the places after the title are not linked yet when it is
    doc = rules.make_doc("سفیر ایران گفت که روابط گسترش می‌یابد. بصره و عراق آماده‌اند.")
    doc._.date = "2019-06-01"
    doc.ents = [doc.char_span(0, len("سفیر ایران"), label="ROLE")] + [
        doc.char_span(doc.text.index(w), doc.text.index(w) + len(w), label="GPE") for w in ("بصره", "عراق")]
    assert [e.kb_id_ for e in rules.get_pipe("diplo_linker")(doc).ents] == ["iraj_masjedi", "basra", "iraq"]


def test_a_title_in_apposition_names_the_person_before_it(rules):
    """«فرانسوا دلاتر، سفیر فرانسه»: read alone the title is France's ambassador in Tehran,
    but the name before it is France's envoy at the UN, so the title is his. The text
    decides, as the corpus does (2,134 of the 2,135 such pairs of train and dev): also for
    a title the knowledge base reads as Iran's («فرمانده ارتش») or a post it lacks."""
    doc = run(rules, "فرانسوا دلاتر، سفیر فرانسه، هشدار داد که باید از بحران پرهیز شود.", "2018-01-05")
    assert [(e.text, e.kb_id_) for e in doc.ents] == [("فرانسوا دلاتر", "francois_delattre"),
                                                       ("سفیر فرانسه", "francois_delattre")]
    doc = run(rules, "ژوزف عون، فرمانده ارتش، به ریاست‌جمهوری لبنان انتخاب شد.", "2025-01-09")
    assert [(e.text, e.kb_id_) for e in doc.ents if e.label_ in ("PERSON", "ROLE")] == [
        ("ژوزف عون", "joseph_aoun"), ("فرمانده ارتش", "joseph_aoun")]
    doc = run(rules, "پترو پوروشنکو، رئیس‌جمهور کنونی، شکست را پذیرفت.", "2019-04-22")
    assert [(e.text, e.kb_id_) for e in doc.ents] == [("پترو پوروشنکو", "petro_poroshenko"),
                                                       ("رئیس‌جمهور", "petro_poroshenko")]
    # the title alone, with no name before it, is still the knowledge base's reading
    doc = run(rules, "فرمانده ارتش گفت که آماده‌ایم.", "2025-01-09")
    assert [(e.text, e.kb_id_) for e in doc.ents] == [("فرمانده ارتش", "abdolrahim_mousavi")]


def test_an_organisation_named_by_its_head_noun_after_its_full_name(rules, run_until):
    """«اتحادیه» after «اتحادیه اروپا» (the model tags it ORG, the knowledge base cannot
    read it alone) is the union named before; with none named, nobody."""

    def tag_and_link(text):
        doc = run_until(rules, text, "2020-01-01", "diplo_linker")
        at = text.rindex("اتحادیه")
        head = doc.char_span(at, at + len("اتحادیه"), label="ORG")
        doc.ents = [e for e in doc.ents if e.end <= head.start] + [head]
        return [(e.text, e.kb_id_) for e in rules.get_pipe("diplo_linker")(doc).ents]

    assert tag_and_link("اتحادیه اروپا تحریم‌ها را تمدید کرد. اتحادیه اعلام کرد که گفت‌وگو ادامه دارد.") == [
        ("اتحادیه اروپا", "european_union"), ("اتحادیه", "european_union")]
    assert tag_and_link("وزیران دیدار کردند. اتحادیه اعلام کرد که گفت‌وگو ادامه دارد.") == [("اتحادیه", "")]


@pytest.mark.parametrize("name,kb_id", [("مجلس دهم", "iran_parliament"), ("FATF", "fatf"),
                                        ("امارت اسلامی", "taliban"), ("آقای بان", "ban_ki_moon")])
def test_short_and_latin_names_the_news_uses(rules, name, kb_id):
    doc = run(rules, f"پیش از این {name} اعلام کرده بود که گفت‌وگو ادامه دارد.", "2015-01-01")
    assert kb_id in [e.kb_id_ for e in doc.ents]


@pytest.mark.parametrize("date,kb_id", [("2005-01-10", "paris_agreement_2004"), ("2019-05-01", "paris_agreement")])
def test_a_name_shared_by_two_agreements_is_the_one_that_existed(rules, date, kb_id):
    # «توافق پاریس» before December 2015 can only be the nuclear agreement of 2004; later
    # it is the newer, climate agreement
    doc = run(rules, "حسن روحانی گفت که ایران به توافق پاریس پایبند است.", date)
    assert [e.kb_id_ for e in doc.ents if e.label_ == "AGREEMENT"] == [kb_id]


@pytest.fixture(scope="module")
def gazetteer_after_model():
    """A text layer and the gazetteer configured as the shipped pipeline has it after the
    NER (``persian_diplo.train.GAZETTEER_AFTER_NER``), to be given a model's entities."""
    from persian_diplo.train import GAZETTEER_AFTER_NER

    nlp = persian_diplo.blank()
    nlp.add_pipe("diplo_gazetteer", config=GAZETTEER_AFTER_NER)
    return nlp


@pytest.mark.parametrize("text,model_spans,expected", [
    # a generic phrase the model read as an EVENT: dropped
    ("وزیران در نشست اضطراری وزیران خارجه گفت‌وگو کردند.", [("نشست اضطراری وزیران خارجه", "EVENT")], []),
    ("مراسم تحلیف برگزار شد.", [("مراسم تحلیف", "EVENT")], []),
    # an EVENT that holds a knowledge-base name or a number: kept
    ("نشست سران سازمان همکاری شانگهای برگزار شد.", [("نشست سران سازمان همکاری شانگهای", "EVENT")],
     [("نشست سران سازمان همکاری شانگهای", "EVENT")]),
    ("عملیات بیت‌المقدس ۷ آغاز شد.", [("عملیات بیت‌المقدس ۷", "EVENT")], [("عملیات بیت‌المقدس ۷", "EVENT")]),
    # an ordinal is a number, in every spelling: an edition of a named series
    ("هشتمين همایش سالانه برگزار شد.", [("هشتمين همایش سالانه", "EVENT")], [("هشتمين همایش سالانه", "EVENT")]),
    ("بیست‌ویکمین نشست مشترک برگزار شد.", [("بیست‌ویکمین نشست مشترک", "EVENT")],
     [("بیست‌ویکمین نشست مشترک", "EVENT")]),
    ("نخستین نشست مشترک برگزار شد.", [("نخستین نشست مشترک", "EVENT")], [("نخستین نشست مشترک", "EVENT")]),
    # an operation or an exercise with a code name the knowledge base lacks: kept; the
    # bare noun is no name
    ("عملیات کوه سپید آغاز شد.", [("عملیات کوه سپید", "EVENT")], [("عملیات کوه سپید", "EVENT")]),
    ("رزمایش موج آبی آغاز شد.", [("رزمایش موج آبی", "EVENT")], [("رزمایش موج آبی", "EVENT")]),
    ("عملیات آغاز شد.", [("عملیات", "EVENT")], []),
    # other labels are the model's, name or not
    ("مراسم تحلیف برگزار شد.", [("مراسم تحلیف", "ORG")], [("مراسم تحلیف", "ORG")]),
])
def test_model_events_are_kept_only_with_a_name_or_a_number(gazetteer_after_model, run_until, text, model_spans,
                                                             expected):
    doc = run_until(gazetteer_after_model, text, "2024-01-01", "diplo_gazetteer")
    doc.ents = [doc.char_span(text.index(span), text.index(span) + len(span), label=label)
                for span, label in model_spans]
    doc = gazetteer_after_model.get_pipe("diplo_gazetteer")(doc)
    assert [(e.text, e.label_) for e in doc.ents if e.label_ in ("EVENT", "ORG")] == expected
