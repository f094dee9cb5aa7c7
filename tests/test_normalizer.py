import pytest

import persian_diplo
from persian_diplo.text.chars import normalize_chars
from persian_diplo.text.normalizer import Lexicon, Normalizer

ZWNJ = "\u200c"


@pytest.fixture(scope="module")
def normalizer():
    return Normalizer()


def norms(nlp, text):
    return [t.norm_ for t in nlp(text) if not t.is_space]


def test_seed_words_get_their_zwnj_back(text_nlp, seed_text):
    doc = text_nlp(seed_text)
    assert doc.text == seed_text
    by_text = {t.text: t.norm_ for t in doc}
    assert by_text["رئیسجمهور"] == "رئیس‌جمهور"
    assert by_text["هستهای"] == "هسته‌ای"
    assert by_text["بینالمللی"] == "بین‌المللی"


@pytest.mark.parametrize(
    "spellings,normal",
    [
        (["رئیس‌جمهور", "رئیسجمهور", "رئیس جمهور", "رئيس جمهور", "رييس‌جمهور", "رئیس\u00a0جمهور"], "رئیس‌جمهور"),
        (["می‌شود", "میشود", "می شود"], "می‌شود"),
        (["هسته‌ای", "هستهای", "هسته ای"], "هسته‌ای"),
        (["بین‌المللی", "بینالمللی", "بين المللي"], "بین‌المللی"),
        (["آمریکایی‌ها", "آمریکاییها", "آمریکایی ها", "آمريكايي‌ها"], "آمریکایی‌ها"),
        (["گفت‌وگو", "گفتوگو"], "گفت‌وگو"),
        (["نمی‌توان", "نمیتوان", "نمی توان"], "نمی‌توان"),
    ],
)
def test_every_spelling_gives_one_token_with_one_norm(text_nlp, spellings, normal):
    for spelling in spellings:
        doc = text_nlp(f"او {spelling} گفت")
        assert doc.text == f"او {spelling} گفت"
        if "\u00a0" in spelling:
            continue  # NBSP is a space token: the two words keep their own norms
        assert [t.norm_ for t in doc] == ["او", normal, "گفت"], spelling


def test_merged_compound_keeps_offsets(text_nlp):
    text = "رئیس جمهور روسیه گفت"
    doc = text_nlp(text)
    token = doc[0]
    assert token.text == "رئیس جمهور"
    assert (token.idx, token.idx + len(token.text)) == (0, 10)
    assert doc.text == text


def test_merging_can_be_switched_off():
    nlp = persian_diplo.blank(config={"diplo_normalizer": {"merge_compounds": False}})
    assert [t.text for t in nlp("رئیس جمهور")] == ["رئیس", "جمهور"]


@pytest.mark.parametrize(
    "raw,normal",
    [
        ("كشور", "کشور"),  # Arabic kaf
        ("ايران", "ایران"),  # Arabic yeh
        ("علیٰ", "علی"),  # superscript alef
        ("مـــذاکره", "مذاکره"),  # tatweel
        ("مُذاکِرِه", "مذاکره"),  # diacritics
        ("تأکید", "تاکید"),
        ("خانۀ", "خانه"),
        ("دولة", "دوله"),
        ("۱۴۰۳", "۱۴۰۳"),
        ("1403", "۱۴۰۳"),
        ("١٤٠٣", "۱۴۰۳"),
        ("F-35", "F-35"),  # Latin tokens keep their digits
        ("\u200fایران\u200e", "ایران"),  # bidi marks
    ],
)
def test_character_normalisation(normalizer, raw, normal):
    assert normalizer.word(raw) == normal


def test_ascii_digits_option():
    assert Normalizer(digits="ascii").word("۱۴۰۳") == "1403"
    with pytest.raises(ValueError):
        Normalizer(digits="roman")


def test_norm_does_not_depend_on_zwnj_spelling(normalizer):
    for word in ["آن‌ها", "کتاب‌ها", "سرمایه‌گذاران", "می‌کرده‌اند", "برمی‌دارد", "به‌خاطر"]:
        assert normalizer.word(word.replace(ZWNJ, "")) == normalizer.word(word), word


def test_ordinary_words_are_left_alone(normalizer):
    for word in ["تنها", "تنش", "میدان", "میزان", "میلیون", "بهتر", "بهمن", "کشورها", "امیدواریم"]:
        assert ZWNJ not in normalizer.word(word), word


def test_normalize_function():
    assert persian_diplo.normalize("رئيسجمهور روسيه گفت: ما آماده هستيم") == "رئیس‌جمهور روسیه گفت: ما آماده هستیم"
    assert persian_diplo.normalize("رئیس  جمهور") == "رئیس  جمهور"  # two spaces: not a compound
    assert persian_diplo.normalize("ایران\u00a0و روسیه") == "ایران و روسیه"
    assert persian_diplo.normalize("۱۲ 34", digits="ascii") == "12 34"


def test_normal_form_is_idempotent(normalizer, seed_text):
    once = persian_diplo.normalize(seed_text)
    assert persian_diplo.normalize(once) == once


def test_chars_are_one_to_one_or_dropped():
    assert len(normalize_chars("ايران كشور ۱۲")) == len("ايران كشور ۱۲")


def test_lexicon_errors_name_the_line():
    with pytest.raises(ValueError, match="words line 2"):
        Lexicon.from_tsv(["ایران\t12", "broken line"], [], source="test")
    with pytest.raises(ValueError, match="verbs line 1"):
        Lexicon.from_tsv([], ["only-one-column"], source="test")


def test_extra_words_extend_the_lexicon():
    nlp = persian_diplo.blank(config={"diplo_normalizer": {"extra_words": ["جین‌پینگ"]}})
    assert nlp("شی جینپینگ")[1].norm_ == "جین‌پینگ"


def test_also_before_a_verb_is_not_a_compound(text_nlp):
    # the word list's «هم‌گفت» must not swallow «هم گفت» («also said»): the cue stays a word
    for text in ("السودانی هم گفت که", "السودانی هم گفت كه", "السودانی هم افزود که"):
        doc = text_nlp(text)
        assert doc.text == text
        assert [t.text for t in doc if not t.is_space][1:3] == text.split()[1:3]
    # «هم زمان» (simultaneous) is still one word
    assert [t.norm_ for t in text_nlp("هم زمان برگزار شد")][0] == "هم‌زمان"
