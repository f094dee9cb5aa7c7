import subprocess
import sys

import spacy
from spacy.tokens import Doc, DocBin

import persian_diplo

TEXT = "رئیس جمهور روسیه گفت:«ما آماده همکاری هستیم.»\nوی افزود که هستهای بودن مساله نیست."


def summary(doc):
    return [(t.text, t.norm_, t.is_sent_start) for t in doc]


def test_pipeline_bytes_round_trip(text_nlp):
    nlp2 = persian_diplo.blank()
    nlp2.from_bytes(text_nlp.to_bytes())
    assert summary(nlp2(TEXT)) == summary(text_nlp(TEXT))


def test_saved_pipeline_loads_in_a_fresh_process_without_import(text_nlp, tmp_path):
    text_nlp.to_disk(tmp_path / "pipe")
    code = (
        "import sys, spacy\n"
        f"nlp = spacy.load({str(tmp_path / 'pipe')!r})\n"
        "doc = nlp('رئیسجمهور گفت')\n"
        "print(doc[0].norm_, nlp.pipe_names)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "رئیس‌جمهور" in result.stdout
    assert "diplo_normalizer" in result.stdout


def test_saved_pipeline_carries_its_lexicon(text_nlp, tmp_path):
    nlp = persian_diplo.blank(config={"diplo_normalizer": {"extra_words": ["جین‌پینگ"]}})
    nlp.to_disk(tmp_path / "pipe")
    loaded = spacy.load(tmp_path / "pipe")
    assert loaded("شی جینپینگ")[1].norm_ == "جین‌پینگ"


def test_docbin_keeps_norms_and_date(text_nlp):
    doc = text_nlp(TEXT)
    doc._.date = "2020-03-04"
    bin_ = DocBin(attrs=["ORTH", "NORM", "SENT_START"], store_user_data=True)
    bin_.add(doc)
    restored = list(DocBin().from_bytes(bin_.to_bytes()).get_docs(text_nlp.vocab))[0]
    assert summary(restored) == summary(doc)
    assert restored._.date == "2020-03-04"


def test_doc_bytes_round_trip(text_nlp):
    doc = text_nlp(TEXT)
    restored = Doc(text_nlp.vocab).from_bytes(doc.to_bytes())
    assert summary(restored) == summary(doc)


def test_multiprocessing_gives_the_same_docs(nlp):
    texts = [TEXT, "ایران و روسیه", "", "می شود"] * 3
    single = [summary(d) for d in nlp.pipe(texts)]
    double = [summary(d) for d in nlp.pipe(texts, n_process=2, batch_size=2)]
    assert single == double


def test_saved_linker_keeps_the_normal_forms_of_its_names(nlp, tmp_path):
    """The linker saves the normal form of every knowledge-base name with the pipeline, so
    a loaded pipeline's name index is ready without normalising ~20,000 names again; the
    index is the one a knowledge base built from the bare records computes."""
    from persian_diplo.kb import KnowledgeBase

    kb = nlp.get_pipe("diplo_linker").kb
    saved = kb.to_dict(name_keys=True)
    assert len(saved["name_keys"]) > 10000
    sample = sorted(saved["name_keys"])[::100]
    assert all(saved["name_keys"][name] == kb.normalize(name) for name in sample)
    fresh = KnowledgeBase.from_dict(kb.to_dict())
    assert fresh.alias_index() == kb.alias_index()
    assert [r["id"] for r in fresh.lookup("رئيسجمهور روسيه")] == [r["id"] for r in kb.lookup("رئیس‌جمهور روسیه")]
    # the saved forms are what a loaded knowledge base reads its names by
    record = {"id": "x_person", "label": "PERSON", "name_fa": "ایکس ایگرگ", "name_en": "X Y"}
    loaded = KnowledgeBase.from_dict({"records": [record], "name_keys": {"ایکس ایگرگ": "کلید"}})
    assert [r["id"] for r in loaded.lookup("کلید")] == ["x_person"]
    nlp.get_pipe("diplo_linker").to_disk(tmp_path / "linker")
    again = persian_diplo.load()
    again.get_pipe("diplo_linker").from_disk(tmp_path / "linker")
    assert again.get_pipe("diplo_linker").kb.alias_index() == kb.alias_index()
