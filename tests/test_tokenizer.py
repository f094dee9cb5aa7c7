import pytest
import spacy

from persian_diplo.text.conllu import read_conllu, token_f1



def words(nlp, text):
    return [t.text for t in nlp.make_doc(text) if not t.is_space]


@pytest.mark.parametrize("word", ["امیدواریم", "تنش", "گفتیم", "کنیم", "دانشم", "ترکش", "آمریکاست", "امیدوارند"])
def test_ordinary_words_are_not_split(text_nlp, word):
    assert words(text_nlp, f"ما {word} و") == ["ما", word, "و"]


def test_blank_fa_over_splits_what_ours_keeps():
    # the reason for our tokenizer: spaCy's own splits these words
    blank = spacy.blank("fa")
    assert [t.text for t in blank("امیدواریم تنش")] != ["امیدواریم", "تنش"]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("گفت:«ما آماده‌ایم»", ["گفت", ":", "«", "ما", "آماده‌ایم", "»"]),
        ("ایران،روسیه", ["ایران", "،", "روسیه"]),
        ("مسکو).", ["مسکو", ")", "."]),
        ("(دیروز)", ["(", "دیروز", ")"]),
        ('"برجام"', ['"', "برجام", '"']),
        ("ایران.روسیه", ["ایران", ".", "روسیه"]),
        ("چیست؟", ["چیست", "؟"]),
        ("گفت؛ اما", ["گفت", "؛", "اما"]),
        ("رئیس‌جمهور بین‌المللی", ["رئیس‌جمهور", "بین‌المللی"]),
        ("قطعنامه ۲۲۳۱ و 2231.", ["قطعنامه", "۲۲۳۱", "و", "2231", "."]),
        ("ساعت ۱۲:۳۰ و ۳.۵ درصد", ["ساعت", "۱۲:۳۰", "و", "۳.۵", "درصد"]),
        ("https://www.irna.ir/news/123 و @araghchi", ["https://www.irna.ir/news/123", "و", "@araghchi"]),
    ],
)
def test_punctuation_glued_to_words_is_split(text_nlp, text, expected):
    assert words(text_nlp, text) == expected


def test_nbsp_and_odd_spaces_are_space_tokens(text_nlp):
    doc = text_nlp.make_doc("ایران\u00a0روسیه\u2009چین")
    assert [t.text for t in doc if not t.is_space] == ["ایران", "روسیه", "چین"]
    assert doc.text == "ایران\u00a0روسیه\u2009چین"


def test_text_is_kept(text_nlp, seed_text):
    doc = text_nlp.make_doc(seed_text)
    assert doc.text == seed_text
    assert "".join(t.text_with_ws for t in doc) == seed_text


@pytest.mark.parametrize("treebank", ["ud_persian_seraji/fa_seraji-ud-dev.conllu", "ud_persian_perdt/fa_perdt-ud-dev.conllu"])
def test_ud_tokens_f1_beats_blank_fa(text_nlp, treebank, external):
    sentences = list(read_conllu(external(treebank)))
    ours = token_f1(sentences, lambda t: [x.text for x in text_nlp.make_doc(t)])
    blank = spacy.blank("fa")
    theirs = token_f1(sentences, lambda t: [x.text for x in blank.make_doc(t)])
    assert ours.f1 > theirs.f1
    assert ours.f1 > 0.995


def test_tokenizer_round_trips_bytes(text_nlp):
    nlp2 = spacy.blank("fa")
    nlp2.tokenizer.from_bytes(text_nlp.tokenizer.to_bytes())
    assert words(nlp2, "امیدواریم گفت:«ما»") == ["امیدواریم", "گفت", ":", "«", "ما", "»"]


def test_seed_article_keeps_its_words_whole(text_nlp, seed_text):
    tokens = [t.text for t in text_nlp(seed_text)]
    assert tokens.count("امیدواریم") == 2
    assert "تنش" in tokens
    assert "گفتوگوی" in tokens and "همهگونه" in tokens


def affixes(nlp, text):
    return [(t.prefix_, t.suffix_) for t in nlp.make_doc(text) if not t.is_space]


@pytest.mark.parametrize("variant", [
    "رئيس جمهور كشورها در سال 1400",            # Arabic letters, ASCII digits
    "رئیس جمهور کشور\u200cها در سال ۱۴۰۰",       # ZWNJ, Persian digits
    "رئیس جمهور کشورها در سال ١٤٠٠",            # Arabic-Indic digits
])
def test_v2_affixes_read_the_persian_spelling(text_nlp, variant):
    """PREFIX and SUFFIX, which the tok2vec embeds beside NORM, are the same for every
    spelling of a word under tokenizer v2: the NER sees Arabic letters, a ZWNJ and
    other digits as it sees the Persian spelling."""
    assert text_nlp.config["nlp"]["tokenizer"]["@tokenizers"] == "persian_diplo.tokenizer.v2"
    assert affixes(text_nlp, variant) == affixes(text_nlp, "رئیس جمهور کشورها در سال ۱۴۰۰")
    assert affixes(text_nlp, variant)[-1] == ("۱", "۴۰۰")


def test_v2_affixes_of_persian_spellings_are_spacys(text_nlp):
    """Words in Persian letters, without ZWNJ or digits, keep spaCy's PREFIX and SUFFIX
    (first letter, last three letters), and v1 is still registered for pipelines saved
    with it, where «ي» keeps its own features."""
    text = "وزیر امور خارجه ایران گفت"
    assert affixes(text_nlp, text) == [(w[:1], w[-3:]) for w in text.split()]
    v1 = spacy.blank("fa", config={"nlp": {"tokenizer": {"@tokenizers": "persian_diplo.tokenizer.v1"}}})
    assert affixes(v1, "رئيس") == [("ر", "ئيس")]
    assert affixes(v1, text) == affixes(text_nlp, text)


def test_v2_affixes_survive_saving_and_pickling(text_nlp, tmp_path):
    import pickle

    text_nlp.to_disk(tmp_path / "p")
    for nlp in (spacy.load(tmp_path / "p"), pickle.loads(pickle.dumps(text_nlp))):
        assert affixes(nlp, "سخنگوي كاخ سفيد") == affixes(nlp, "سخنگوی کاخ سفید")
