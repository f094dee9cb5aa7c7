import spacy

from persian_diplo.text.conllu import read_conllu, sentence_f1



def sents(nlp, text):
    return [s.text.strip() for s in nlp(text).sents if s.text.strip()]


def test_newline_always_ends_a_sentence(text_nlp):
    assert sents(text_nlp, "تیتر خبر بدون نقطه\nمتن خبر است. ادامه دارد") == [
        "تیتر خبر بدون نقطه", "متن خبر است.", "ادامه دارد"]


def test_sentence_end_punctuation(text_nlp):
    text = "آیا مذاکره ادامه دارد؟ بله! او گفت. What? ما"
    assert sents(text_nlp, text) == ["آیا مذاکره ادامه دارد؟", "بله!", "او گفت.", "What?", "ما"]


def test_closing_quote_stays_with_its_sentence(text_nlp):
    assert sents(text_nlp, "او گفت: «ما آماده‌ایم.» سپس رفت.") == ["او گفت: «ما آماده‌ایم.»", "سپس رفت."]


def test_unclosed_quotation_does_not_glue_paragraphs(text_nlp):
    text = "او گفت: «ما آماده‌ایم…\nوزیر خارجه نیز سخن گفت"
    assert sents(text_nlp, text) == ["او گفت: «ما آماده‌ایم…", "وزیر خارجه نیز سخن گفت"]


def test_no_split_inside_numbers_and_abbreviations(text_nlp):
    assert len(sents(text_nlp, "رشد ۳.۵ درصد بود و ج.ا.ا اعلام کرد")) == 1
    # initials written with spaces: an entity such as «پ. ک. ک» must stay inside one sentence
    assert len(sents(text_nlp, "کسانی که از پ. ک. ک حمایت می‌کنند آگاه باشند.")) == 1


def test_seed_article_sentences(text_nlp, seed_text):
    doc = text_nlp(seed_text)
    sentences = list(doc.sents)
    assert all("\n" not in s.text.strip() for s in sentences)
    assert sentences[0].text.strip() == seed_text.splitlines()[0]
    # headline + 2 + 1 + 2 + 3 sentences in the four paragraphs
    assert len(sentences) == 9
    assert all(s.text.strip().endswith(".") for s in sentences[1:])


def test_ud_sentence_f1(text_nlp, external):
    sentences = list(read_conllu(external("ud_persian_perdt/fa_perdt-ud-dev.conllu")))
    ours = sentence_f1(sentences, lambda t: [s.text for s in text_nlp(t).sents])
    baseline = spacy.blank("fa")
    baseline.add_pipe("sentencizer")
    theirs = sentence_f1(sentences, lambda t: [s.text for s in baseline(t).sents])
    assert ours.f1 >= theirs.f1
    assert ours.f1 > 0.97
