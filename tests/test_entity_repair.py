"""The entity rules' repair of a model's spans that stop at a function word."""
import pytest
from spacy.tokens import Span

import persian_diplo
from persian_diplo.entities.gazetteer import Gazetteer


@pytest.fixture(scope="module")
def nlp():
    return persian_diplo.load()


def spans(nlp, text, *pieces):
    doc = nlp.make_doc(text)
    for name, proc in nlp.pipeline:
        if name == "diplo_gazetteer":
            break
        doc = proc(doc)
    out = []
    for piece, label in pieces:
        start = text.index(piece)
        out.append(doc.char_span(start, start + len(piece), label=label, alignment_mode="expand"))
    return doc, out


@pytest.mark.parametrize("text,given,expected", [
    ("هشتمین نشست شورای عالی همکاری‌های ایران و ترکیه در آنکارا برگزار شد.",
     [("هشتمین نشست شورای عالی همکاری‌های ایران و", "EVENT"), ("ترکیه", "GPE")],
     [("هشتمین نشست شورای عالی همکاری‌های ایران و ترکیه", "EVENT")]),
    ("گروه بين المللي حمايت از سوريه تشکیل شد.",  # Arabic ي, spaced compound
     [("گروه بين المللي حمايت از", "ORG")], [("گروه بين المللي حمايت از سوريه", "ORG")]),
    ("تأسیسات فردو به روی بازرسان باز است.", [("فردو به", "LOC")], [("فردو", "LOC")]),
    ("توافق امنیتی مارس 2023 اجرا شد.", [("مارس 2023", "LOC")], []),
    ("نشست ۱۲ بهمن ۱۴۰۳ برگزار شد.", [("۱۲ بهمن ۱۴۰۳", "EVENT")], []),
])
def test_edges_of_model_spans(nlp, text, given, expected):
    doc, ents = spans(nlp, text, *given)
    repaired = Gazetteer._repair(ents)
    assert [(e.text, e.label_) for e in repaired] == expected
    assert all(isinstance(e, Span) for e in repaired)


@pytest.mark.parametrize("text,given,expected", [
    ("ایران عضو کنوانسیون حقوق کودک و کنوانسیون حقوق افراد دارای معلولیت است.",
     "کنوانسیون حقوق کودک و کنوانسیون حقوق افراد دارای معلولیت",
     ["کنوانسیون حقوق کودک", "کنوانسیون حقوق افراد دارای معلولیت"]),
    ("این کشور به معاهده آسونسيون و پروتكل اوروپرتو پایبند است.",  # Arabic letters
     "معاهده آسونسيون و پروتكل اوروپرتو", ["معاهده آسونسيون", "پروتكل اوروپرتو"]),
    ("بر پایه موافقتنامه تجارت آزاد و موافقتنامه حمل و نقل عمل شد.",  # ZWNJ stripped, NBSP
     "موافقتنامه تجارت آزاد و موافقتنامه حمل و نقل", ["موافقتنامه تجارت آزاد", "موافقتنامه حمل و نقل"]),
    ("ایران به کنوانسیون وین و\u00a0کنوانسیون ژنو پایبند است.",  # an NBSP after «و»
     "کنوانسیون وین و\u00a0کنوانسیون ژنو", ["کنوانسیون وین", "کنوانسیون ژنو"]),
    # one name with «و» inside stays whole
    ("اجرای کامل عهدنامه مرزی و حسن همجواری مهم است.", "عهدنامه مرزی و حسن همجواری", ["عهدنامه مرزی و حسن همجواری"]),
])
def test_two_coordinated_agreements_are_two_names(nlp, text, given, expected):
    doc, ents = spans(nlp, text, (given, "AGREEMENT"))
    assert [(e.text, e.label_) for e in Gazetteer._repair(ents)] == [(x, "AGREEMENT") for x in expected]


def test_spans_without_edge_words_are_untouched(nlp):
    doc, ents = spans(nlp, "عباس عراقچی در تهران گفت.", ("عباس عراقچی", "PERSON"), ("تهران", "GPE"))
    assert Gazetteer._repair(ents) == ents


def test_a_month_name_alone_may_be_a_name(nlp):
    doc, ents = spans(nlp, "مهر: وزیر گفت که مذاکرات ادامه دارد.", ("مهر", "ORG"))
    assert [(e.text, e.label_) for e in Gazetteer._repair(ents)] == [("مهر", "ORG")]


@pytest.mark.parametrize("text,given,expected", [
    # a model's span inside a longer knowledge-base name of the same label takes the name
    ("ولادیمیر پوتین امروز سخنرانی کرد.", [("پوتین", "PERSON")], [("ولادیمیر پوتین", "PERSON", "vladimir_putin")]),
    # not when the name reaches into another of the model's entities
    ("ولادیمیر پوتین امروز سخنرانی کرد.", [("ولادیمیر", "GPE"), ("پوتین", "PERSON")],
     [("ولادیمیر", "GPE", ""), ("پوتین", "PERSON", "vladimir_putin")]),
    # organisations keep the model's span
    ("سازمان ملل متحد بیانیه داد.", [("سازمان ملل", "ORG")], [("سازمان ملل", "ORG", "united_nations")]),
])
def test_model_spans_grow_to_the_longest_name(nlp, text, given, expected):
    doc, ents = spans(nlp, text, *given)
    doc.ents = ents
    doc = nlp.get_pipe("diplo_gazetteer")(doc)
    doc = nlp.get_pipe("diplo_linker")(doc)
    assert [(e.text, e.label_, e.kb_id_) for e in doc.ents] == expected


@pytest.mark.parametrize("text,given,expected", [
    # a title the model split from a government's qualifier takes it in, as the corpus
    # annotates it (the words of the government inside the ROLE)
    ("وزیر خارجه حکومت طالبان به تهران آمد.", [("وزیر خارجه", "ROLE"), ("طالبان", "ORG"), ("تهران", "GPE")],
     [("وزیر خارجه حکومت طالبان", "ROLE", "amir_khan_muttaqi"), ("تهران", "GPE", "tehran")]),
    ("وزير خارجه دولت طالبان به تهران آمد.", [("وزير خارجه", "ROLE"), ("طالبان", "ORG")],  # Arabic ي
     [("وزير خارجه دولت طالبان", "ROLE", "amir_khan_muttaqi"), ("تهران", "GPE", "tehran")]),
    ("نخست‌وزیر دولت پیشبرد امور لبنان سخن گفت.", [("نخست‌وزیر", "ROLE"), ("لبنان", "GPE")],
     [("نخست‌وزیر دولت پیشبرد امور لبنان", "ROLE", "najib_mikati")]),
    ("نخستوزیر دولت پیشبرد امور لبنان سخن گفت.", [("نخستوزیر", "ROLE"), ("لبنان", "GPE")],  # ZWNJ dropped, NBSP
     [("نخستوزیر دولت پیشبرد امور لبنان", "ROLE", "najib_mikati")]),
    # a place after «در» is the speaker's whereabouts, not the title's qualifier
    ("سخنگوی وزارت امور خارجه در تهران اعلام کرد.", [("سخنگوی وزارت امور خارجه", "ROLE"), ("تهران", "GPE")],
     [("سخنگوی وزارت امور خارجه", "ROLE", "nasser_kanaani"), ("تهران", "GPE", "tehran")]),
])
def test_a_title_takes_in_its_government_qualifier(nlp, text, given, expected):
    doc, ents = spans(nlp, text, *given)
    doc.ents = ents
    doc._.date = "2024-05-01"
    doc = nlp.get_pipe("diplo_gazetteer")(doc)
    doc = nlp.get_pipe("diplo_linker")(doc)
    assert [(e.text, e.label_, e.kb_id_) for e in doc.ents] == expected


def _gazetteer(nlp, policy):
    """The shipped gazetteer's names, with the merge ``policy`` of ``persian_diplo.train``."""
    gazetteer = Gazetteer(nlp, "diplo_gazetteer").from_bytes(nlp.get_pipe("diplo_gazetteer").to_bytes())
    for key, labels in policy.items():
        setattr(gazetteer, key, frozenset(labels))
    return gazetteer


@pytest.mark.parametrize("text,given,after_marks,after_words", [
    # a model's span inside a longer knowledge-base name of its label takes the whole name
    ("رهبران در نشست سران بریکس شرکت کردند.", [("نشست سران", "EVENT")], [("نشست سران بریکس", "EVENT")],
     [("نشست سران بریکس", "EVENT")]),
    # another label: a NER that reads the knowledge base's marks keeps its reading; after
    # one that does not, the knowledge base's EVENT name wins
    ("رهبران در نشست سران بریکس شرکت کردند.", [("سران بریکس", "ORG")], [("سران بریکس", "ORG")],
     [("نشست سران بریکس", "EVENT")]),
    # … but never over a longer model span of its own label around it (the longest name)
    ("هفتمین نشست سران روند آستانه در تهران برگزار شد.", [("هفتمین نشست سران روند آستانه", "EVENT"), ("تهران", "GPE")],
     [("هفتمین نشست سران روند آستانه", "EVENT"), ("تهران", "GPE")],
     [("هفتمین نشست سران روند آستانه", "EVENT"), ("تهران", "GPE")]),
    ("هفتمين نشست سران روند آستانه در تهران برگزار شد.", [("هفتمين نشست سران روند آستانه", "EVENT"), ("تهران", "GPE")],
     [("هفتمين نشست سران روند آستانه", "EVENT"), ("تهران", "GPE")],
     [("هفتمين نشست سران روند آستانه", "EVENT"), ("تهران", "GPE")]),
    ("متن لایحه الحاق به برجام منتشر شد.", [("لایحه الحاق به برجام", "AGREEMENT")],
     [("لایحه الحاق به برجام", "AGREEMENT")], [("لایحه الحاق به برجام", "AGREEMENT")]),
    # a longer span of another label protects it only from a NER that reads the marks
    ("کمیسیون برجام نشست.", [("کمیسیون برجام", "EVENT")], [("کمیسیون برجام", "EVENT")], [("برجام", "AGREEMENT")]),
    # what the model left, the knowledge base fills either way
    ("رهبران در نشست سران بریکس شرکت کردند.", [], [("نشست سران بریکس", "EVENT")], [("نشست سران بریکس", "EVENT")]),
])
def test_knowledge_base_names_and_longer_model_spans(nlp, text, given, after_marks, after_words):
    from persian_diplo.train import GAZETTEER_AFTER_KB_NER, GAZETTEER_AFTER_NER

    assert not nlp.get_pipe("diplo_gazetteer").prefer_labels  # the shipped NER reads the marks
    for policy, expected in ((GAZETTEER_AFTER_KB_NER, after_marks), (GAZETTEER_AFTER_NER, after_words)):
        doc, ents = spans(nlp, text, *given)
        doc.ents = ents
        doc = _gazetteer(nlp, policy)(doc)
        assert [(e.text, e.label_) for e in doc.ents] == expected
