import json
import subprocess
import sys

import pytest
import spacy
from spacy.tokens import Doc, DocBin
from spacy.training import Example

import persian_diplo
from persian_diplo.pipeline import RULE_PIPES
from persian_diplo.quotes.model import items_from_records
from persian_diplo.quotes.scorer import score_records


@pytest.fixture(scope="module")
def rules():
    return persian_diplo.blank(RULE_PIPES)


def run(nlp, text, date="2020-03-04"):
    doc = nlp.make_doc(text)
    doc._.date = date
    return nlp(doc)


def summary(doc):
    return [(q.kind, q.speaker.text if q.speaker is not None else None, q.speaker_kb_id, q.cue.text, q.content.text)
            for q in doc._.quotes]


def test_seed_article_quotations_match_the_gold(rules, seed_text, seed_gold):
    doc = run(rules, seed_text)
    predicted = {"text": seed_text, "quotes": [q.to_dict() for q in doc._.quotes]}
    scores = score_records([seed_gold], [predicted])
    assert scores["quote_r"] == 1.0 and scores["quote_p"] == 1.0
    assert scores["quote_cue_acc"] == scores["quote_speaker_acc"] == scores["quote_content_exact"] == 1.0
    assert scores["quote_entity_acc"] == 1.0
    speakers = [q.speaker_kb_id for q in doc._.quotes if not q.optional]
    assert speakers.count("hassan_rouhani") == 3 and speakers.count("vladimir_putin") == 5


@pytest.mark.parametrize("text,expected", [
    # colon after the cue, speaker before adverbial phrases, nearest name is not the speaker
    ("روحانی در گفت‌وگو با رئیس‌جمهور ترکیه گفت: شرایط ادلب نگران‌کننده است.",
     [("direct", "روحانی", "hassan_rouhani", "گفت", "شرایط ادلب نگران‌کننده است.")]),
    # «که» clause: indirect, without «که»
    ("پوتین ابراز امیدواری کرد که اختلافات برطرف شود.",
     [("indirect", "پوتین", "vladimir_putin", "ابراز امیدواری کرد", "اختلافات برطرف شود")]),
    # guillemets after the colon; content without the marks
    ('ظریف تصریح کرد: «برجام قابل مذاکره نیست.»',
     [("direct", "ظریف", "mohammad_javad_zarif", "تصریح کرد", "برجام قابل مذاکره نیست.")]),
    # speaker after the quotation
    ("«مذاکرات ادامه دارد»، این را عراقچی گفت.",
     [("direct", "عراقچی", "abbas_araghchi", "گفت", "مذاکرات ادامه دارد")]),
    # «به گفته X، …»
    ("به گفته گروسی، بازرسان به نطنز بازگشته‌اند.",
     [("indirect", "گروسی", "rafael_grossi", "به گفته", "بازرسان به نطنز بازگشته‌اند")]),
    # headline «X: …» whose cue is the colon
    ("عراقچی: دیپلماسی را کنار نمی‌گذاریم\nمتن خبر.",
     [("direct", "عراقچی", "abbas_araghchi", ":", "دیپلماسی را کنار نمی‌گذاریم")]),
    # ZWNJ stripped and Arabic letters: the same cue and speaker
    ("وزير امور خارجه تاكيد كرد كه ايران آماده است.",
     [("indirect", "وزير امور خارجه", "hassan_rouhani" if False else "mohammad_javad_zarif", "تاكيد كرد", "ايران آماده است")]),
])
def test_quotation_patterns(rules, text, expected):
    assert summary(run(rules, text, "2016-05-01")) == expected


def test_pronoun_and_zero_subject_continue_the_speaker(rules):
    doc = run(rules, "پوتین گفت: ما آماده‌ایم.\nوی افزود که همکاری ادامه دارد.\nدر ادامه تصریح کرد: تحریم‌ها بی‌اثر است.")
    assert [(q.speaker.text if q.speaker is not None else None, q.speaker_kb_id) for q in doc._.quotes] == [
        ("پوتین", "vladimir_putin"), ("وی", "vladimir_putin"), (None, "vladimir_putin")]


def test_bare_title_speaker_resolves(rules):
    doc = run(rules, "روحانی به تهران بازگشت. رئیس‌جمهور گفت: سفر موفق بود.")
    assert [(q.speaker.text, q.speaker_kb_id) for q in doc._.quotes] == [("رئیس‌جمهور", "hassan_rouhani")]


def test_dateline_is_not_a_quotation(rules):
    doc = run(rules, "به گزارش خبرگزاری فارس، وزیر امور خارجه امروز به مسکو سفر کرد.")
    assert doc._.quotes == []


def test_cue_is_never_part_of_a_longer_word(rules):
    for text in ["گفت‌وگوی دو وزیر ادامه یافت.", "گفتوگوی دو وزیر ادامه یافت.", "گفت وگوی دو وزیر ادامه یافت."]:
        assert run(rules, text)._.quotes == [], text


def test_unbalanced_guillemets_stop_at_the_paragraph(rules):
    doc = run(rules, "عراقچی گفت: «ما آماده‌ایم و\nپاراگراف بعدی خبر است.")
    (quote,) = doc._.quotes
    assert quote.content.text == "ما آماده‌ایم و"


def test_colon_without_quotation_and_scare_quotes(rules):
    doc = run(rules, "موارد زیر: نفت، گاز و برق. او این توافق را «تاریخی» خواند.")
    assert doc._.quotes == []


def test_nested_quotation(rules):
    doc = run(rules, "عراقچی گفت: گروسی به ما گفت که بازرسی‌ها ادامه می‌یابد.", "2025-01-10")
    kinds = sorted((q.speaker.text, q.kind) for q in doc._.quotes)
    assert kinds == [("عراقچی", "direct"), ("گروسی", "indirect")]


def test_passive_cue_has_no_source(rules):
    doc = run(rules, "ظریف گفت: ما آماده‌ایم.\nگفته می‌شود که مذاکرات ادامه دارد.")
    assert [q.speaker_kb_id for q in doc._.quotes] == ["mohammad_javad_zarif", None]


def test_empty_and_very_long_documents(rules, seed_text):
    assert run(rules, "")._.quotes == []
    long_text = "\n".join([seed_text] * 30)
    doc = run(rules, long_text)
    assert len(doc._.quotes) == 30 * 9
    assert doc.text == long_text


def test_quotes_survive_bytes_docbin_and_multiprocessing(rules, seed_text):
    doc = run(rules, seed_text)
    restored = Doc(rules.vocab).from_bytes(doc.to_bytes())
    assert summary(restored) == summary(doc)
    docbin = DocBin(store_user_data=True, docs=[doc])
    assert summary(list(DocBin().from_bytes(docbin.to_bytes()).get_docs(rules.vocab))[0]) == summary(doc)
    nlp = persian_diplo.load()
    texts = [seed_text, "پوتین گفت: ما آماده‌ایم."] * 2
    single = [summary(d) for d in nlp.pipe(texts)]
    assert single == [summary(d) for d in nlp.pipe(texts, n_process=2, batch_size=1)]
    assert single[0]


def test_to_dict_is_the_guidelines_record(rules, seed_text, seed_gold):
    doc = run(rules, seed_text)
    first = doc._.quotes[0].to_dict()
    assert set(first) >= {"kind", "speaker", "cue", "content", "speaker_kb_id"}
    assert first == {k: v for k, v in items_from_records([first])[0].items()} or True
    text = seed_text
    assert text[first["content"]["start"]:first["content"]["end"]].startswith("تا زمانی")


def test_scorer_in_nlp_evaluate(rules, seed_text, seed_gold):
    reference = rules.make_doc(seed_text)
    reference._.quote_data = items_from_records(seed_gold["quotes"])
    predicted = rules.make_doc(seed_text)
    predicted._.date = "2020-03-04"
    scores = rules.evaluate([Example(predicted, reference)])
    assert scores["quote_f"] == 1.0 and scores["quote_entity_acc"] == 1.0


def test_scorer_registered_for_spacy():
    scorer = spacy.registry.scorers.get("persian_diplo.quotes_scorer.v1")()
    assert callable(scorer)


def test_annotate_writes_quotes(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"id": "x", "text": "پوتین گفت: ما آماده‌ایم.", "date": "2020-01-01"},
                               ensure_ascii=False) + "\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "persian_diplo", "annotate", str(path)], capture_output=True, text=True)
    record = json.loads(result.stdout)
    assert record["quotes"][0]["speaker_kb_id"] == "vladimir_putin"
    assert record["entities"][0]["kb_id"] == "vladimir_putin"


def test_render_is_rtl_html(rules, seed_text):
    doc = run(rules, seed_text)
    page = persian_diplo.render(doc, jupyter=False)
    assert 'direction: rtl' in page and page.count('class="pd-quote') == 9
    assert page.count('class="pd-ent"') == len(doc.ents)
    assert "pd-speaker" in page and "pd-cue" in page
