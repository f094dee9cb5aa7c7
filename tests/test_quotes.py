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
    # «… که به گفته X …» with no comma: the content follows the named source
    ("آژانس گزارشی منتشر کرد که به گفته گروسی بازرسان را به نطنز بازمی‌گرداند.",
     [("indirect", "گروسی", "rafael_grossi", "به گفته", "بازرسان را به نطنز بازمی‌گرداند")]),
    # ... and after the source's own phrase and comma
    ("به گفته گروسی در نشست خبری، بازرسان به نطنز بازگشته‌اند.",
     [("indirect", "گروسی", "rafael_grossi", "به گفته", "بازرسان به نطنز بازگشته‌اند")]),
    # an apposition after the source is not part of the content
    ("به گفته احمد وحیدی، وزیر کشور، نرخ مشارکت حدود ۴۱ درصد بوده است.",
     [("indirect", "احمد وحیدی", "ahmad_vahidi", "به گفته", "نرخ مشارکت حدود ۴۱ درصد بوده است")]),
    # a title of respect before the source's name, joined or spaced
    ("به گفته آیت‌الله خامنه‌ای، خبرگان باید انقلابی بماند.",
     [("indirect", "خامنه‌ای", "ali_khamenei", "به گفته", "خبرگان باید انقلابی بماند")]),
    ("به گفته آیت الله خامنه‌ای، خبرگان باید انقلابی بماند.",
     [("indirect", "خامنه‌ای", "ali_khamenei", "به گفته", "خبرگان باید انقلابی بماند")]),
    # ... and the words end at a semicolon: what follows is the writer's
    # a description of the source between commas, or a relative clause about it, is not the words
    ("به گفته محمد مرندی، استاد دانشگاه تهران، دولت عراق میان دو فشار گرفتار است.",
     [("indirect", "محمد مرندی", "mohammad_marandi", "به گفته", "دولت عراق میان دو فشار گرفتار است")]),
    ("به گفته رئیس‌جمهور که در پیامی از اعضای شورا قدردانی کرد، انتخابات سالم برگزار شد.",
     [("indirect", "رئیس‌جمهور", "hassan_rouhani", "به گفته", "انتخابات سالم برگزار شد")]),
    ("به گفته الهام علی‌اف، رئیس‌جمهور آذربایجان، که میزبان نشست است، کشورش بر نقش جنبش تمرکز خواهد کرد.",
     [("indirect", "الهام علی‌اف", "ilham_aliyev", "به گفته", "کشورش بر نقش جنبش تمرکز خواهد کرد")]),
    ("به گفته محمدجواد ظریف، که پیش‌تر جزئیات طرح را با همتایان خود در حاشیه نشست در میان گذاشته بود، "
     "طرح صلح هرمز به‌زودی ارسال می‌شود.",
     [("indirect", "محمدجواد ظریف", "mohammad_javad_zarif", "به گفته", "طرح صلح هرمز به‌زودی ارسال می‌شود")]),
    # … but a list after the source's comma is the words
    ("به گفته گروسی، بازرسان به نطنز، فردو و اصفهان بازگشته‌اند.",
     [("indirect", "گروسی", "rafael_grossi", "به گفته", "بازرسان به نطنز، فردو و اصفهان بازگشته‌اند")]),
    ("به گفته احمد وحیدی، وزیر کشور، نرخ مشارکت حدود ۴۱ درصد بوده است؛ رقمی که پایین‌ترین مشارکت است.",
     [("indirect", "احمد وحیدی", "ahmad_vahidi", "به گفته", "نرخ مشارکت حدود ۴۱ درصد بوده است")]),
    ("به گفته ناظران، این پیام‌ها دو روز پیش از کنفرانس منتشر شد؛نشستی که واشنگتن ترتیب داده بود.",
     [("indirect", None, None, "به گفته", "این پیام‌ها دو روز پیش از کنفرانس منتشر شد")]),
    # ... but a name after the comma is the content's subject, not an apposition
    ("به نوشته رویترز، علی النعیمی، وزیر نفت عربستان سعودی، سالن را ترک کرد.",
     [("indirect", "رویترز", "reuters", "به نوشته", "علی النعیمی، وزیر نفت عربستان سعودی، سالن را ترک کرد")]),
    # «که» after «به X اشاره کرد» qualifies X; without «به X» it opens what was said
    ("روحانی در بخش دیگری از سخنانش به طرح صلح هرمز اشاره کرد که ماه گذشته در مجمع عمومی ارائه شده بود.", []),
    ("روحاني در بخش ديگري از سخنانش به طرح صلح هرمز اشاره كرد كه ماه گذشته ارائه شده بود.", []),
    ("روحانی اشاره کرد که تحریم‌ها غیرقانونی است.",
     [("indirect", "روحانی", "hassan_rouhani", "اشاره کرد", "تحریم‌ها غیرقانونی است")]),
    # «به نوشته X» right after the subject of a later speech verb cites where it was reported
    ("وانگ یی به نوشته خبرگزاری شینهوا در این دیدار گفت که پکن از ایران حمایت می‌کند.",
     [("indirect", "وانگ یی", "wang_yi", "گفت", "پکن از ایران حمایت می‌کند")]),
    # a source closing its sentence is a citation, not a quotation
    ("بازرسان به نطنز بازگشته‌اند، به گفته گروسی.", []),
    # «به نقل از» is not a cue: the verb is, and the outlet's «به گزارش … به نقل از …» is nothing
    ("خبرگزاری ایسنا به نقل از دادستانی تهران نوشت که خانواده مقتول حاضر به گذشت نیستند.",
     [("indirect", "خبرگزاری ایسنا", "isna", "نوشت", "خانواده مقتول حاضر به گذشت نیستند")]),
    ("به گزارش ایسنا به نقل از رسانه‌های اوکراینی، زلنسکی ۷۳ درصد آرا را به دست آورد.", []),
    # inside a relative clause an unnamed source has no comma: the words follow it, past a
    # place that qualifies it
    ("مجلسی که به گفته ناظران کمتر از مجلس دهم به این لوایح روی خوش نشان خواهد داد.",
     [("indirect", None, None, "به گفته", "کمتر از مجلس دهم به این لوایح روی خوش نشان خواهد داد")]),
    ("خط لوله‌ای که به گفته مقام‌های تهران تا نزدیکی مرز تکمیل شده است.",
     [("indirect", None, None, "به گفته", "تا نزدیکی مرز تکمیل شده است")]),
    ("سندی كه به گفته رسانه‌هاي داخلي نقشه راه دهه‌هاي آينده است.",
     [("indirect", None, None, "به گفته", "داخلي نقشه راه دهه‌هاي آينده است")]),
    # an unnamed source ends at its comma
    ("به گفته کارشناسان، این سند جایگاه ایران را تقویت می‌کند.",
     [("indirect", None, None, "به گفته", "این سند جایگاه ایران را تقویت می‌کند")]),
    # headline «X: …» whose cue is the colon
    ("عراقچی: دیپلماسی را کنار نمی‌گذاریم\nمتن خبر.",
     [("direct", "عراقچی", "abbas_araghchi", ":", "دیپلماسی را کنار نمی‌گذاریم")]),
    # ZWNJ stripped and Arabic letters: the same cue and speaker
    ("وزير امور خارجه تاكيد كرد كه ايران آماده است.",
     [("indirect", "وزير امور خارجه", "mohammad_javad_zarif", "تاكيد كرد", "ايران آماده است")]),
])
def test_quotation_patterns(rules, text, expected):
    assert summary(run(rules, text, "2016-05-01")) == expected


def test_pronoun_and_zero_subject_continue_the_speaker(rules):
    doc = run(rules, "پوتین گفت: ما آماده‌ایم.\nوی افزود که همکاری ادامه دارد.\nدر ادامه تصریح کرد: تحریم‌ها بی‌اثر است.")
    assert [(q.speaker.text if q.speaker is not None else None, q.speaker_kb_id) for q in doc._.quotes] == [
        ("پوتین", "vladimir_putin"), ("وی", "vladimir_putin"), (None, "vladimir_putin")]


@pytest.mark.parametrize("tail,pronoun", [
    ("وی در ادامه افزود: دعوت از کشورهای اسلامی برای همسویی با آمریکا خطاست.", "وی"),
    ("وي در بخش ديگري از سخنانش گفت: دعوت از کشورهای اسلامی خطاست.", "وي"),
    ("او همچنین گفت که دعوت از کشورهای اسلامی خطاست.", "او"),
])
def test_a_pronoun_that_continues_is_the_last_speaker(rules, tail, pronoun):
    # «وی در ادامه افزود»: the person who spoke last, not the one a background sentence
    # between them names in passing
    text = ("عباس موسوی، سخنگوی وزارت امور خارجه، روز شنبه گفت: «این بیانیه‌ها اتهام‌زنی بی‌پایه است.»\n"
            "نشست سران شورای همکاری خلیج فارس به دعوت ملک سلمان در مکه برگزار شد.\n" + tail)
    doc = run(rules, text, "2019-06-01")
    assert [(q.speaker.text, q.speaker_kb_id) for q in doc._.quotes] == [
        ("عباس موسوی", "abbas_mousavi"), (pronoun, "abbas_mousavi")]
    # without a continuation phrase the pronoun is the person the text last spoke of
    doc = run(rules, text.replace(tail, "وی گفت: دعوت از کشورهای اسلامی خطاست."), "2019-06-01")
    assert doc._.quotes[1].speaker_kb_id == "salman_of_saudi_arabia"


@pytest.mark.parametrize("title,speaker,kb_id", [
    ("سخنرانی رئیسی در دومای دولتی روسیه: برای گسترش روابط با مسکو محدودیتی نداریم", "رئیسی", "ebrahim_raisi"),
    ("سخنراني رئيسي در دوماي دولتي روسيه: براي گسترش روابط با مسكو محدوديتي نداريم", "رئيسي", "ebrahim_raisi"),
    ("عراقچی در واکنش به بیانیه نخستین اجلاس سران اتحادیه اروپا و شورای همکاری خلیج فارس: جزایر ایرانی موضوع "
     "مذاکره نیست", "عراقچی", "abbas_araghchi"),
    ("بیانیه ارتش به مناسبت روز ارتش: امنیت خلیج فارس را کشورهای منطقه تأمین می‌کنند", "ارتش", "artesh"),
    ("بیانیه وزارت امور خارجه درباره توافق دوحه: آمریکا صلاحیت ندارد", "وزارت امور خارجه", "iran_foreign_ministry"),
    ("نطق نماینده ارومیه درباره خشکی دریاچه: ده سال احیا، امروز پهنه‌ای از نمک", "نماینده ارومیه", None),
    # a group: a quotation with no source
    ("تحولات قره‌باغ در صحن مجلس؛ نمایندگان: مرزهای ایران و ارمنستان نباید تغییر کند", None, None),
    ("سران پنج کشور در آستاراخان: نیروی نظامی بیگانه در خزر جایی ندارد", None, None),
])
def test_a_title_with_a_colon_quotes_its_source(rules, title, speaker, kb_id):
    doc = run(rules, title + "\nنشست روز گذشته برگزار شد.", "2023-06-01")
    (quote,) = doc._.quotes
    assert (quote.kind, quote.cue.text, quote.speaker.text if quote.speaker is not None else None,
            quote.speaker_kb_id) == ("direct", ":", speaker, kb_id)
    assert quote.content.text == title.split(": ")[1]


@pytest.mark.parametrize("text", [
    "گام چهارم: تزریق گاز به سانتریفیوژهای فردو از فردا",  # no source at all
    "روحانی لایحه بودجه ۹۴ را به مجلس برد: سهم نفت کمتر، سهم مالیات بیشتر",  # a clause, not a source
    "خبر کوتاه\nسخنرانی رئیسی در دوما: روابط محدودیتی ندارد",  # only the title is read so
    "سخنرانی رئیسی در دوما. او به مسکو رفت: روابط محدودیتی ندارد",  # sentences are no title
    "تهران در آستانه انتخابات ریاست‌جمهوری: نامزدها معرفی شدند",  # a place that is not the source
])
def test_titles_that_quote_nobody(rules, text):
    assert run(rules, text, "2023-06-01")._.quotes == []


def test_a_title_source_governed_by_a_relation_is_not_the_name(rules):
    (quote,) = run(rules, "همسر نازنین زاغری: سخنان وزیر خارجه باید اصلاح می‌شد", "2017-11-10")._.quotes
    assert quote.speaker is None and quote.speaker_kb_id is None


def test_an_unnamed_group_after_an_interviewers_colon_is_no_one(rules):
    # after the colon the clause starts anew: «برخی کارشناسان» is no one, not the interviewer
    doc = run(rules, "ایرنا: برخی کارشناسان می‌گویند افزایش سقف تولید بازار را آشفته می‌کند. نظر شما چیست؟",
              "2008-12-17")
    (quote,) = [q for q in doc._.quotes if q.cue.text == "می‌گویند"]
    assert quote.speaker is None and quote.speaker_kb_id is None


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


def test_colon_without_quotation_is_no_quotation(rules):
    assert run(rules, "موارد زیر: نفت، گاز و برق.")._.quotes == []


@pytest.mark.parametrize("verb", ["خواند", "خوانده بود", "نامید"])
def test_a_quoted_label_is_an_optional_quotation(rules, verb):
    """«X این توافق را «تاریخی» خواند»: the datasheet's optional direct quotation."""
    doc = run(rules, f"ظریف این توافق را «تاریخی» {verb}.")
    (quote,) = doc._.quotes
    assert (quote.optional, quote.kind, quote.content.text, quote.cue.text) == (True, "direct", "تاریخی", verb)
    assert quote.speaker_kb_id == "mohammad_javad_zarif"
    # «خواند» that is not after a quotation mark reads: no quotation
    assert run(rules, "ظریف متن توافق را در جلسه خواند.")._.quotes == []


def test_speaker_after_a_quotation_with_a_long_phrase(rules):
    text = ("«همکاری با ایران برای حفظ اعتماد ضروری است»؛ رافائل گروسی، مدیرکل آژانس، این را در واکنش به "
            "اقدام مجلس در نشست خبری پایانی خود در وین گفت.")
    (quote,) = run(rules, text, "2020-07-01")._.quotes
    assert (quote.speaker.text, quote.speaker_kb_id, quote.cue.text) == ("رافائل گروسی", "rafael_grossi", "گفت")
    assert quote.content.text == "همکاری با ایران برای حفظ اعتماد ضروری است"


def test_what_a_document_says(rules):
    """«در این بیانیه آمده است …»: no speaker span; the id is the document's author."""
    text = ("وزارت امور خارجه در بیانیه‌ای اعلام کرد که تهران این تحریم‌ها را محکوم می‌کند. "
            "در این بیانیه همچنین آمده است که ایران از حقوق خود دفاع خواهد کرد.")
    first, second = run(rules, text)._.quotes
    assert first.speaker_kb_id == "iran_foreign_ministry"
    assert (second.speaker, second.speaker_kb_id, second.cue.text, second.kind) == (
        None, "iran_foreign_ministry", "آمده است", "indirect")
    assert second.content.text == "ایران از حقوق خود دفاع خواهد کرد"
    (quote,) = run(rules, "در بیانیه وزارت امور خارجه آمده است: «تحریم‌ها غیرقانونی است.»")._.quotes
    assert (quote.speaker_kb_id, quote.kind, quote.content.text) == (
        "iran_foreign_ministry", "direct", "تحریم‌ها غیرقانونی است.")
    # «آمده است» of arriving is no cue
    assert run(rules, "هیئت روسی برای گفت‌وگو به تهران آمده است.")._.quotes == []
    assert run(rules, "لاوروف در سفری دوروزه به تهران آمده است.")._.quotes == []


def test_a_request_with_that(rules):
    (quote,) = run(rules, "گوترش از دو طرف خواست که از هر اقدامی برای تشدید تنش خودداری کنند.")._.quotes
    assert (quote.kind, quote.speaker.text, quote.speaker_kb_id, quote.cue.text) == (
        "indirect", "گوترش", "antonio_guterres", "خواست")
    assert quote.content.text == "از هر اقدامی برای تشدید تنش خودداری کنند"
    # «می خواست که» (wanted), «خواست مردم»: no quotation
    assert run(rules, "گوترش می خواست که دو طرف خودداری کنند.")._.quotes == []
    assert run(rules, "خواست مردم ایران صلح است.")._.quotes == []


@pytest.mark.parametrize("text, speaker, kb_id, content", [
    ("گوترش از دو طرف خواست از هر اقدامی برای تشدید تنش خودداری کنند.", "گوترش", "antonio_guterres",
     "از هر اقدامی برای تشدید تنش خودداری کنند"),
    # the addressee's «از» may stand some words before; the clause ends in a subjunctive
    ("لاوروف در نشست خبری از کشورهای غربی خواست مسیر تقابل را کنار بگذارند.", "لاوروف", "sergey_lavrov",
     "مسیر تقابل را کنار بگذارند"),
    ("گوترش از طرفین خواسته است آتش‌بس را نقض نکنند.", "گوترش", "antonio_guterres", "آتش‌بس را نقض نکنند"),
    # ZWNJ stripped, Arabic letters
    ("گوترش از طرفين خواست به ميز مذاكره بازگردند.", "گوترش", "antonio_guterres", "به ميز مذاكره بازگردند"),
    # a request coordinated with another speech verb: the subjunctive closes the request
    ("گیر پدرسن، فرستاده ویژه سازمان ملل در امور سوریه، از همه طرف‌ها خواست آرامش را حفظ کنند و گفت که "
     "گفت‌وگوها از سر گرفته خواهد شد.", "گیر پدرسن", "geir_pedersen", "آرامش را حفظ کنند"),
])
def test_a_request_without_that(rules, text, speaker, kb_id, content):
    (quote,) = [q for q in run(rules, text)._.quotes if q.cue.text.startswith("خواست")]
    assert (quote.kind, quote.speaker.text, quote.speaker_kb_id, quote.content.text) == (
        "indirect", speaker, kb_id, content)
    assert quote.cue.text.startswith("خواست")


@pytest.mark.parametrize("text", [
    # no addressee: the will of someone
    "گوترش خواست مردم را محترم شمرد.",
    # the clause after the cue ends in an indicative or past verb: not a request
    "گوترش از دو طرف خواست تا دیروز پاسخ می‌دادند.",
    "او از این سفر چیزی خواست و رفت.",
])
def test_no_request_without_a_subjunctive_clause(rules, text):
    assert run(rules, text)._.quotes == []


def test_headline_of_a_capital_and_a_headline_in_two_parts(rules):
    doc = run(rules, "تهران: تحریم‌های تازه غیرقانونی است\nوزارت امور خارجه امروز واکنش نشان داد.")
    (quote,) = doc._.quotes
    assert (quote.speaker.text, quote.speaker_kb_id, quote.content.text) == ("تهران", "tehran", "تحریم‌های تازه غیرقانونی است")
    doc = run(rules, "عراقچی: توافق قاهره دیگر معتبر نیست؛ واکنش‌ها به قطعنامه تازه شورای حکام\nمتن خبر.", "2025-09-20")
    (quote,) = doc._.quotes
    assert (quote.speaker_kb_id, quote.content.text) == ("abbas_araghchi", "توافق قاهره دیگر معتبر نیست")
    # a place that is not right before the colon does not speak
    assert run(rules, "تهران در آستانه انتخابات: نامزدها معرفی شدند\nمتن خبر.")._.quotes == []


def test_nested_quotation(rules):
    doc = run(rules, "عراقچی گفت: گروسی به ما گفت که بازرسی‌ها ادامه می‌یابد.", "2025-01-10")
    kinds = sorted((q.speaker.text, q.kind) for q in doc._.quotes)
    assert kinds == [("عراقچی", "direct"), ("گروسی", "indirect")]


@pytest.mark.parametrize("text, inner", [
    # the subject of a cue inside a reported clause is in that clause, not the outer speaker
    ("دوجاریک نیز گفت که بان کی‌مون از دو طرف خواسته است از هر اقدامی پرهیز کنند.", ("بان کی‌مون", "ban_ki_moon")),
    ("دوجاريك نيز گفت كه بان كي‌مون از دو طرف خواسته است از هر اقدامي پرهيز كنند.", ("بان كي‌مون", "ban_ki_moon")),
    # no subject in the clause: the outer speaker goes on
    ("دوجاریک گفت که از دو طرف خواسته است از هر اقدامی پرهیز کنند.", (None, "stephane_dujarric")),
])
def test_a_cue_inside_a_reported_clause(rules, text, inner):
    quotes = sorted(run(rules, text, "2014-01-20")._.quotes, key=lambda q: q.cue.start)
    assert [q.cue.text for q in quotes] == ["گفت", "خواسته است"]
    assert quotes[0].speaker_kb_id == "stephane_dujarric"
    speaker = quotes[1].speaker.text if quotes[1].speaker is not None else None
    assert (speaker, quotes[1].speaker_kb_id) == inner


@pytest.mark.parametrize("text, outer, inner", [
    # a report within the report: the outer words run on through it
    ("یوکیا آمانو در گزارش خود تصریح کرد که بازرسان آژانس تأیید کرده‌اند که ایران گام‌های لازم را برداشته است.",
     "بازرسان آژانس تأیید کرده‌اند که ایران گام‌های لازم را برداشته است", "ایران گام‌های لازم را برداشته است"),
    ("کاخ سفید در بیانیه‌ای اعلام کرد که گفت‌وگوها بسیار سازنده بود و ویتکاف به عراقچی گفته است که دستور دارد "
     "اختلاف‌ها را حل کند.", "گفت‌وگوها بسیار سازنده بود و ویتکاف به عراقچی گفته است که دستور دارد اختلاف‌ها را "
     "حل کند", "دستور دارد اختلاف‌ها را حل کند"),
])
def test_a_report_within_the_report(rules, text, outer, inner):
    quotes = sorted(run(rules, text, "2025-04-13")._.quotes, key=lambda q: q.cue.start)
    assert [q.content.text for q in quotes] == [outer, inner]


def test_a_request_coordinated_with_a_reported_clause(rules):
    # «… ابراز نگرانی کرد که A و از همه طرف‌ها خواست B»: two quotations, one speaker
    text = ("آنتونیو گوترش ابراز نگرانی کرد که درگیری‌ها رنج مردم سوریه را چند برابر کند "
            "و از همه طرف‌ها خواست خویشتنداری پیشه کنند.")
    quotes = sorted(run(rules, text, "2018-04-14")._.quotes, key=lambda q: q.cue.start)
    assert [(q.cue.text, q.speaker_kb_id, q.content.text) for q in quotes] == [
        ("ابراز نگرانی کرد", "antonio_guterres", "درگیری‌ها رنج مردم سوریه را چند برابر کند"),
        ("خواست", "antonio_guterres", "خویشتنداری پیشه کنند")]


@pytest.mark.parametrize("text", [
    "کارشناسان آب استان اصفهان می‌گویند که حقابه کشاورزان پرداخت نشده است.",
    "نمایندگان خوزستان در مجلس می‌گویند که آب شرب اهواز در خطر است.",
    # ZWNJ stripped
    "مقامهای افغانستان گفته‌اند که به معاهده پایبندند.",
])
def test_an_unnamed_group_qualified_by_a_place_is_no_one(rules, text):
    # the place qualifies the group: not the speaker, and no earlier speaker goes on
    doc = run(rules, "ظریف گفت که مذاکرات ادامه دارد. " + text, "2019-05-01")
    quotes = sorted(doc._.quotes, key=lambda q: q.cue.start)
    assert [(q.speaker.text if q.speaker is not None else None, q.speaker_kb_id) for q in quotes] == [
        ("ظریف", "mohammad_javad_zarif"), (None, None)]


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


def speakers(doc):
    return [(q.speaker.text if q.speaker is not None else None, q.speaker_kb_id) for q in doc._.quotes
            if not q.optional]


@pytest.mark.parametrize("text,date,expected", [
    # speaker after the quotation: the subject, not the name in «در پاسخ به پرسش خبرنگار ایرنا»
    ("«مذاکرات ادامه دارد»، بقائی در پاسخ به پرسش خبرنگار ایرنا افزود.", "2024-09-02",
     [("بقائی", "esmaeil_baghaei")]),
    ("«مذاکرات ادامه دارد»، بقائي در پاسخ به پرسش خبرنگار ايرنا افزود.", "2024-09-02",
     [("بقائي", "esmaeil_baghaei")]),
    # a quotation that opens the sentence holds no subject: «اسرائیل» is not the speaker of «افزود»
    ("«اسرائیل به اهداف خود رسید»؛ بنیامین نتانیاهو، نخست‌وزیر اسرائیل، این را در بیانیه‌ای اعلام کرد و افزود که "
     "آتش‌بس را پذیرفته است.", "2025-06-24",
     [("بنیامین نتانیاهو", "benjamin_netanyahu"), ("بنیامین نتانیاهو", "benjamin_netanyahu")]),
    # a clause after «؛ اما» has a subject of its own
    ("امانوئل مکرون گفت که ترامپ پیشنهاد آتش‌بس داده است؛ اما رئیس‌جمهور آمریکا در شبکه اجتماعی نوشت که "
     "بازگشتش ربطی به آتش‌بس ندارد.", "2025-06-17",
     [("امانوئل مکرون", "emmanuel_macron"), ("رئیس‌جمهور آمریکا", "donald_trump")]),
    # «و» after a clause's verb opens a new clause
    ("محسن رضایی از دولت جنگ اقتصادی سخن گفت و سعید جلیلی تأکید کرد که تحریم‌ها باید خنثی شود.", "2021-06-06",
     [("سعید جلیلی", "saeed_jalili")]),
    # coordinated countries: several sources, no one speaker (and not the previous speaker)
    ("عراقچی گفت: ما آماده‌ایم.\nروسیه و چین نیز اعلام کرده بودند که با قطعنامه مخالفند.", "2025-09-28",
     [("عراقچی", "abbas_araghchi"), (None, None)]),
    # titles after a name and its comma describe that one person (a singular verb) ...
    ("احمد وحیدی، وزیر کشور و رئیس ستاد مرکزی اربعین، در نشستی خبری اعلام کرد که تردد زائران ادامه دارد.",
     "2023-08-31", [("احمد وحیدی", "ahmad_vahidi")]),
    # ... but two people with their titles are several sources
    ("محمدجواد ظریف، وزیر خارجه ایران و سرگئی لاوروف، وزیر خارجه روسیه، اعلام کردند که همکاری ادامه دارد.",
     "2019-12-30", [(None, None)]),
    # a list inside a prepositional phrase does not hide the subject after it
    ("پنج روز پس از تصویب قطعنامه آمریکا، انگلیس، فرانسه و آلمان در شورای حکام، محمد اسلامی اعلام کرد که "
     "غنی‌سازی آغاز شد.", "2022-11-22", [("محمد اسلامی", "mohammad_eslami")]),
    # «… نیز» closes the topical phrase before the subject
    ("درباره مذاکرات وین نیز سخنگوی وزارت امور خارجه اعلام کرد که دور چهارم ادامه می‌یابد.", "2021-05-10",
     [("سخنگوی وزارت امور خارجه", "saeed_khatibzadeh")]),
    # straight quotation marks: the closing mark does not open a quotation
    ('حمیدرضا آصفی، سخنگوی وزارت امور خارجه، بیانیه کاخ سفید را "دخالت آشکار" خواند و گفت که پرونده در حال رسیدگی است.',
     "2005-07-13", [("حمیدرضا آصفی", "hamid_reza_asefi")]),
    # a headline whose speaker follows a semicolon, after another name
    ("لاوروف در تهران؛ ظریف: همکاری ما راهبردی است\nمتن خبر.", "2021-04-13",
     [("ظریف", "mohammad_javad_zarif")]),
    # a source after a generic noun, and «این روزنامه»: the newspaper named before
    ("به نوشته نشریه هم‌میهن، مشارکت پایین بود.", "2024-03-04", [("هم‌میهن", "ham_mihan")]),
    ("به نوشته نشریه هممیهن، مشارکت پایین بود.", "2024-03-04", [("هممیهن", "ham_mihan")]),
    ("روزنامه اعتماد گزارشی منتشر کرد. به نوشته این روزنامه، چند نماینده از وزیر انتقاد کردند.", "2019-12-23",
     [(None, "etemad")]),
])
def test_speaker_resolution(rules, text, date, expected):
    assert speakers(run(rules, text, date)) == expected


@pytest.mark.parametrize("text,date,expected", [
    # the speaker of an earlier clause of the pronoun's own sentence
    ("مسعود پزشکیان در تماس با امیر قطر تاکید کرد که هدف، پایگاه آمریکایی بود؛ وی گفت که با قطر دوست هستیم.",
     "2025-06-23", [("مسعود پزشکیان", "masoud_pezeshkian"), ("وی", "masoud_pezeshkian")]),
    # the one person the sentence before names, when its subject is not a person
    ("بی‌بی‌سی فارسی فایلی صوتی از حسین اکبری منتشر کرد. او در این فایل گفته بود که تحت فشار بود.", "2023-01-14",
     [("او", "hossein_akbari")]),
    # an interviewer's question: the one asked answers
    ("خبرنگاری از چاوز پرسید آیا این نزدیکی به تنش می‌انجامد. او پاسخ داد که ونزوئلا از کسی نمی‌ترسد.", "2006-07-30",
     [("او", "hugo_chavez")]),
    ("عراقچی گفت: ما آماده‌ایم. خبرنگار پرسید نگاه دولت به علی لاریجانی چیست. وی پاسخ داد که او همکار ماست.",
     "2025-01-10", [("عراقچی", "abbas_araghchi"), ("وی", "abbas_araghchi")]),
    # a speaker the knowledge base cannot name: «او» is that person, not an earlier speaker
    ("پوتین گفت: ما آماده‌ایم.\n«بودجه کسری دارد»، یک نماینده مجلس در گفت‌وگو با رادیو فردا گفت. "
     "او یادآور شد که دولت باید پاسخ دهد.", "2009-05-11",
     [("پوتین", "vladimir_putin"), ("نماینده مجلس", None), ("او", None)]),
    # a quotation inside another one does not change who the text speaks of
    ("عراقچی گفت: «گروسی به ما گفت که بازرسی ادامه دارد.» وی افزود که همکاری ادامه دارد.", "2025-01-10",
     [("عراقچی", "abbas_araghchi"), ("گروسی", "rafael_grossi"), ("وی", "abbas_araghchi")]),
])
def test_pronoun_antecedents(rules, text, date, expected):
    assert speakers(run(rules, text, date)) == expected


def test_pronoun_after_a_question_sentence_is_the_interviewee(rules):
    """The names of a sentence about the interviewer's question do not answer it."""
    text = ("ظریف در گفت‌وگو با خبرنگار ما گفت: «ما آماده گفت‌وگو هستیم.» پرسش بعدی به نقش جان کری در "
            "مذاکرات مربوط بود. او گفت که کری طرف گفت‌وگوی ماست.")
    first, second = run(rules, text, "2014-05-01")._.quotes
    assert first.speaker_kb_id == second.speaker_kb_id == "mohammad_javad_zarif"


def test_a_document_named_before_is_its_authors(rules):
    text = ("وزارت امور خارجه در بیانیه‌ای حمله به سفارت را محکوم کرد. "
            "در بخشی از بیانیه آمده است: «ایران از اتباع خود حمایت خواهد کرد.»")
    (quote,) = run(rules, text)._.quotes
    assert (quote.speaker, quote.speaker_kb_id) == (None, "iran_foreign_ministry")


@pytest.mark.parametrize("letter", ["نامه‌ای", "نامهای", "نامه ای"])
def test_a_letter_named_before_is_its_authors_with_zwnj_stripped(rules, letter):
    # «نامهای» without its ZWNJ reads as «نام‌های» (names) in its normal form: still a letter here
    text = (f"به گزارش ایرنا، رئیس‌جمهور در {letter} به دبیرکل سازمان ملل موافقت ایران با قطعنامه ۵۹۸ را "
            "اعلام کرد. در این نامه آمده است که دامنه جنگ به مردم بی‌دفاع رسیده است.")
    doc = run(rules, text, "1988-07-19")
    assert doc.text == text
    assert [(q.speaker, q.speaker_kb_id, q.content.text) for q in doc._.quotes] == [
        (None, "ali_khamenei", "دامنه جنگ به مردم بی‌دفاع رسیده است")]


@pytest.mark.parametrize("text", [
    "وزارت امور خارجه در بیانیه‌ای اعلام کرد که تهران تحریم‌ها را محکوم می‌کند. در این بیانیه همچنین آمده‌است که ایران از حقوق خود دفاع خواهد کرد.",
    "وزارت امور خارجه در بيانيه‌اي اعلام كرد كه تهران تحريم‌ها را محكوم مي‌كند. در اين بيانيه همچنين آمده است كه ايران از حقوق خود دفاع خواهد كرد.",
    "وزارت امور خارجه در بیانیهای اعلام کرد که تهران تحریمها را محکوم میکند. در این بیانیه همچنین آمده است که ایران از حقوق خود دفاع خواهد کرد.",
    "وزارت امور خارجه در بیانیه ای اعلام کرد که تهران تحریم ها را محکوم می کند. در\u00a0این بیانیه همچنین آمده است که ایران از حقوق خود دفاع خواهد کرد.",
])
def test_what_a_document_says_in_every_orthography(rules, text):
    """ZWNJ present, Arabic «ي ك», ZWNJ stripped, ZWNJ as spaces with an NBSP."""
    doc = run(rules, text)
    assert doc.text == text
    second = doc._.quotes[-1]
    assert (second.speaker, second.speaker_kb_id, second.kind) == (None, "iran_foreign_ministry", "indirect")
    assert second.content.text.split()[0] in ("ایران", "ايران") and second.content.end_char == len(text) - 1


@pytest.mark.parametrize("semicolon", ["؛", ";"])
def test_reported_speech_ends_at_a_semicolon(rules, semicolon):
    text = (f"امانوئل مکرون، رئیس‌جمهور فرانسه، به خبرنگاران گفت که ترامپ پیشنهادی برای آتش‌بس مطرح کرده است{semicolon} "
            "اما رئیس‌جمهور آمریکا در شبکه‌های اجتماعی آن را رد کرد.")
    doc = run(rules, text, "2025-06-24")
    assert summary(doc) == [("indirect", "امانوئل مکرون", "emmanuel_macron", "گفت",
                             "ترامپ پیشنهادی برای آتش‌بس مطرح کرده است")]
    # inside quotation marks a semicolon is the speaker's own
    text = "عراقچی گفت که «ما آماده‌ایم؛ اما تهدید را نمی‌پذیریم» و گفت‌وگو ادامه دارد."
    assert summary(run(rules, text, "2025-06-24"))[0][4] == "«ما آماده‌ایم؛ اما تهدید را نمی‌پذیریم» و گفت‌وگو ادامه دارد"


@pytest.mark.parametrize("text,content", [
    # the next sentence opens like the reporter's narration: the quotation ends before it
    ("محمد عبدالسلام، سخنگوی انصارالله، گفت: ما به توافق صلح پایبندیم. این در حالی است که فرستاده سازمان ملل "
     "سه روز پیش کناره‌گیری کرد.", "ما به توافق صلح پایبندیم."),
    ("محمد عبدالسلام، سخنگوی انصارالله، گفت: به توافق صلح پایبندیم. پیشتر فرستاده سازمان ملل کناره‌گیری کرده بود.",
     "به توافق صلح پایبندیم."),
    # … unless it speaks in the first person
    ("محمد عبدالسلام، سخنگوی انصارالله، گفت: به توافق پایبندیم. بر اساس این توافق ما آماده گفت‌وگو هستیم.",
     "به توافق پایبندیم. بر اساس این توافق ما آماده گفت‌وگو هستیم."),
    # a sentence with its own speech verb said to the speaker («به ما گفت») is still the speaker's
    ("عراقچی در آغاز نشست گفت: محدودیت غنی‌سازی را کنار می‌گذاریم. هلگا اشمید در آخرین تماس به ما گفت که اروپا "
     "به زمان بیشتری نیاز دارد، اما صبر ما بی‌پایان نیست.",
     "محدودیت غنی‌سازی را کنار می‌گذاریم. هلگا اشمید در آخرین تماس به ما گفت که اروپا به زمان بیشتری نیاز دارد، "
     "اما صبر ما بی‌پایان نیست."),
    # … but not one said by someone else to a third party
    ("عراقچی در آغاز نشست گفت: محدودیت غنی‌سازی را کنار می‌گذاریم. هلگا اشمید به خبرنگاران گفت که اروپا "
     "به زمان بیشتری نیاز دارد.", "محدودیت غنی‌سازی را کنار می‌گذاریم."),
    # a sentence of the same speaker as «وی» with a coordinated speech verb is a new attribution
    ("عراقچی پس از امضای سند گفت: این توافق به ثبات منطقه کمک می‌کند. وی از عمان نیز قدردانی کرد و افزود که "
     "مذاکرات ادامه دارد.", "این توافق به ثبات منطقه کمک می‌کند."),
    # a sentence that opens with «وی» is the reporter's, even with «ما» in a quotation inside it
    ("امانوئل مکرون در پیامی تلویزیونی گفت: تصمیم گرفته‌ام انتخابات را به شما بازگردانم. وی رشد احزاب افراطی را "
     "«خطری برای ملت ما» توصیف کرد.", "تصمیم گرفته‌ام انتخابات را به شما بازگردانم."),
    # a sentence that opens with a quotation mark is a quotation of its own
    ("رئيس‌جمهور در نشست خبري گفت: آفريقا قاره فرصت‌هاست. «ما به دنبال شريكاني هستيم كه به حاكميت ما احترام "
     "بگذارند.»", "آفريقا قاره فرصت‌هاست."),
    # … and so is one that opens with «او» (Arabic letters too)
    ("پوروشنكو شكست را پذيرفت و گفت: كاخ رياست‌جمهوري را ترك مي‌كنم، اما سياست را نه. او كه در سال ۲۰۱۴ به "
     "قدرت رسيد، موافقت‌نامه همبستگي را اجرايي كرد.", "كاخ رياست‌جمهوري را ترك مي‌كنم، اما سياست را نه."),
    # a name given in passing («آنچه ترامپ «فشار حداکثری» نامید») is not a new attribution
    ("سخنگوی وزارت امور خارجه گفت: آمریکا در بیانیه الجزایر متعهد شده است. تحریم‌ها و آنچه ترامپ «فشار حداکثری» "
     "نامید نقض همین تعهد است.", "آمریکا در بیانیه الجزایر متعهد شده است. تحریم‌ها و آنچه ترامپ «فشار حداکثری» "
     "نامید نقض همین تعهد است."),
    # … and so is «در ادامه این بیانیه آمده است که …» after a statement
    ("وزارت امور خارجه با انتشار بیانیه‌ای اعلام کرد: ایران از آتش‌بس استقبال می‌کند. در ادامه این بیانیه "
     "آمده است که اجرای قطعنامه ۱۷۰۱ مسئولیت جامعه جهانی است.", "ایران از آتش‌بس استقبال می‌کند."),
    # a sentence that names the speaker in the third person is the reporter's (the name, a title of the
    # same holder, or the name the pronoun's speaker had)
    ("بیژن زنگنه، وزیر نفت، در وین گفت: سهم ایران از کاهش تولید صفر است. این نخستین حضور زنگنه در اجلاس "
     "اوپک پس از بازگشت به وزارت نفت است.", "سهم ایران از کاهش تولید صفر است."),
    ("بیژن زنگنه در وین گفت: سهم ایران از کاهش تولید صفر است. سخنان وزیر نفت ایران با استقبال اعضا روبه‌رو شد.",
     "سهم ایران از کاهش تولید صفر است."),
    ("حسن روحانی در مسقط گفت: عمان همواره دوست ایران بوده است. اشاره روحانی به نقش عمان در میزبانی مذاکرات "
     "است.", "عمان همواره دوست ایران بوده است."),
    # … but not when it speaks in the first person («من»)
    ("حسن روحانی در مسقط گفت: عمان دوست ایران است. روحانی آن روز به من گفت که از عمان سپاسگزار است.",
     "عمان دوست ایران است. روحانی آن روز به من گفت که از عمان سپاسگزار است."),
    # a new speaker after «همزمان» or «در همان مراسم» (words that end like «ـمان», «our», but are not)
    ("عبدالعزیز بن سلمان گفت: اوپک پلاس متحد است. همزمان سهیل المزروعی، وزیر انرژی امارات، اعلام کرد که "
     "امارات پایبند می‌ماند.", "اوپک پلاس متحد است."),
    ("احمدی‌نژاد در هراره گفت: ملت‌های آفریقا و ایران قربانی یک نظم ناعادلانه‌اند. موگابه نیز در همان مراسم "
     "تأکید کرد که هراره از حق ایران حمایت می‌کند.", "ملت‌های آفریقا و ایران قربانی یک نظم ناعادلانه‌اند."),
    # «این مقام افزود: …» is a new attribution of the same speaker
    ("بهرام قاسمی در تهران گفت: ایران قربانی سلاح شیمیایی بود. این مقام افزود: شورای امنیت سکوت کرد.",
     "ایران قربانی سلاح شیمیایی بود."),
    # «… در حالی انجام می‌شود که …» frames the news: the reporter's (not «در حالی که» inside the words)
    ("راجاپاکسا گفت: ملت سریلانکا سخاوت ایران را فراموش نمی‌کند. سفر رئیس‌جمهور ایران در حالی انجام می‌شود که "
     "جنگ داخلی ادامه دارد.", "ملت سریلانکا سخاوت ایران را فراموش نمی‌کند."),
    ("نماینده تهران گفت: دولت وعده داد. امروز همان قول را تکرار می‌کند، در حالی که سفره مردم کوچک‌تر می‌شود.",
     "دولت وعده داد. امروز همان قول را تکرار می‌کند، در حالی که سفره مردم کوچک‌تر می‌شود."),
    # what a group of others believes is the reporter's
    ("کمال خرازی تصریح کرد: سند سعدآباد سیاسی است. ناظران بر این باورند که نشست شورای حکام محک اصلی است.",
     "سند سعدآباد سیاسی است."),
    # narration that opens with «ساعتی بعد», «در پی …», «طبق …» or «در پایان»
    ("نخست‌وزیر عراق گفت: تظاهرات باید مسالمت‌آمیز بماند. ساعتی بعد، خیابان‌ها از معترضان خالی شد.",
     "تظاهرات باید مسالمت‌آمیز بماند."),
    ("روحانی در اجلاس گفت: اسرائیل تهدید اصلی منطقه است. در پی این سخنان، هیئت سوری سالن را ترک کرد.",
     "اسرائیل تهدید اصلی منطقه است."),
    ("نظربایف اظهار داشت: خزر دریای صلح است. طبق اعلام مقام‌های قزاق، اجلاس بعدی در عشق‌آباد برگزار می‌شود.",
     "خزر دریای صلح است."),
    ("مودی افزود: همکاری جنوب و جنوب ضروری است. در پایان، اعلامیه دهلی نو به تصویب رهبران رسید.",
     "همکاری جنوب و جنوب ضروری است."),
])
def test_where_an_unquoted_statement_after_a_colon_ends(rules, text, content):
    first = [q for q in run(rules, text, "2019-07-07")._.quotes if q.kind == "direct"][0]
    assert first.content.text == content


@pytest.mark.parametrize("text,cue,content", [
    ("نخست‌وزیر عراق همچنین فاش کرد که سلیمانی قرار بود با او دیدار کند.", "فاش کرد",
     "سلیمانی قرار بود با او دیدار کند"),
    ("کولبا به من قول داد که مدارک خود را در اختیار ما بگذارد.", "قول داد", "مدارک خود را در اختیار ما بگذارد"),
    ("وزیر کشور پیش‌بینی کرد که مشارکت در انتخابات بالا باشد.", "پیش‌بینی کرد", "مشارکت در انتخابات بالا باشد"),
    ("وزیر کشور پیشبینی کرد که مشارکت در انتخابات بالا باشد.", "پیشبینی کرد", "مشارکت در انتخابات بالا باشد"),
    ("ظریف در پیامی شرح داد که این تصمیم پس از دیداری با رئیس دستگاه قضا گرفته شده است.", "شرح داد",
     "این تصمیم پس از دیداری با رئیس دستگاه قضا گرفته شده است"),
    ("دفتر هماهنگی امور بشردوستانه سازمان ملل به ما اطلاع داد که بازرسان آماده‌اند.", "اطلاع داد", "بازرسان آماده‌اند"),
])
def test_reveal_promise_predict_explain_and_inform_are_speech_verbs(rules, text, cue, content):
    assert [(q.cue.text, q.content.text) for q in run(rules, text, "2020-01-08")._.quotes] == [(cue, content)]


def test_a_cue_whose_object_is_the_quotation_before_it(rules):
    # «این جمله را … نوشت که …»: the «که» after the cue opens a relative clause
    text = ("«خشونت علیه معترضان پذیرفتنی نیست»؛ دیوید میلیبند، وزیر خارجه بریتانیا، این جمله را در بیانیه‌ای "
            "نوشت که دفترش در لندن منتشر کرد.")
    assert summary(run(rules, text, "2009-06-20")) == [
        ("direct", "دیوید میلیبند", "david_miliband", "نوشت", "خشونت علیه معترضان پذیرفتنی نیست")]
    # … but an «این را» of an earlier verb does not make a later cue's «که» a relative clause
    text = ("«همه چیز خوب است»؛ دونالد ترامپ این را در توییتی نوشت و او در ادامه همان پیام افزود که صبح فردا "
            "بیانیه‌ای صادر خواهد کرد.")
    contents = [q.content.text for q in run(rules, text, "2020-01-08")._.quotes]
    assert contents == ["همه چیز خوب است", "صبح فردا بیانیه‌ای صادر خواهد کرد"]


@pytest.mark.parametrize("text,content", [
    # this release's narration and source rules in Arabic letters, with ZWNJ stripped or spaced
    ("عبدالعزيز بن سلمان گفت: اوپك پلاس متحد است. همزمان سهيل المزروعي، وزير انرژي امارات، اعلام كرد كه "
     "امارات پايبند مي‌ماند.", "اوپك پلاس متحد است."),
    ("بیژن زنگنه در وین گفت: سهم ایران صفر است. این نخستین حضور زنگنه در اجلاس اوپک پس از بازگشت به وزارت نفت "
     "است.", "سهم ایران صفر است."),
    ("راجاپاکسا گفت: ملت سریلانکا سخاوت ایران را فراموش نمیکند. سفر رئیسجمهور ایران در حالی انجام میشود که "
     "جنگ ادامه دارد.", "ملت سریلانکا سخاوت ایران را فراموش نمیکند."),
])
def test_where_a_statement_ends_in_every_orthography(rules, text, content):
    doc = run(rules, text, "2019-07-07")
    assert doc.text == text
    assert [q for q in doc._.quotes if q.kind == "direct"][0].content.text == content


@pytest.mark.parametrize("text", [
    "به گفته محمد مرندی، استاد دانشگاه تهران، دولت عراق میان دو فشار گرفتار است.",
    "به گفته محمد مرندي، استاد دانشگاه تهران، دولت عراق ميان دو فشار گرفتار است.",
    "به\u00a0گفته محمد مرندی، استاد دانشگاه تهران، دولت عراق میان دو فشار گرفتار است.",
])
def test_a_source_description_in_every_orthography(rules, text):
    (quote,) = run(rules, text, "2016-05-01")._.quotes
    assert quote.speaker_kb_id == "mohammad_marandi"
    assert quote.content.text.split()[0] == "دولت"


@pytest.mark.parametrize("space", ["\u00a0", "\t", "  "])
def test_a_cue_with_an_nbsp_or_a_tab_inside(rules, space):
    # a multi-word cue whose words an NBSP, a tab or two spaces separate: still the cue, as written
    text = f"عباس عراقچی تاکید{space}کرد که ایران آماده است."
    assert [(q.cue.text, q.content.text, q.speaker_kb_id) for q in run(rules, text, "2025-01-01")._.quotes] == [
        (f"تاکید{space}کرد", "ایران آماده است", "abbas_araghchi")]
    text = f"به{space}گفته عباس عراقچی، ایران آماده است."
    assert [(q.cue.text, q.content.text) for q in run(rules, text, "2025-01-01")._.quotes] == [
        (f"به{space}گفته", "ایران آماده است")]


def test_a_request_with_ta(rules):
    # «از X خواست تا …»: «تا» opens the requested words as «که» does
    text = "نخست‌وزیر عراق از دولت خواست تا پیش از تشکیل دولت جدید بدهی گاز را بپردازد."
    assert [(q.cue.text, q.content.text) for q in run(rules, text, "2022-01-01")._.quotes] == [
        ("خواست", "پیش از تشکیل دولت جدید بدهی گاز را بپردازد")]


def test_reveal_and_predict_without_a_clause_quote_nothing(rules):
    assert run(rules, "روزنامه جزئیات قرارداد را فاش کرد و دولت واکنشی نشان نداد.")._.quotes == []
    assert run(rules, "کارشناسان رشد اقتصادی را پیش‌بینی کرد.")._.quotes == []


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\n\n"])
def test_a_headline_cue_does_not_report_the_next_paragraph(rules, newline):
    # the headline ends with its verb; the article's first sentence is narration
    text = (f"واکنش‌ها به قطعنامه ۱۹۲۹؛ تهران بر ادامه غنی‌سازی تأکید کرد{newline}"
            "یک روز پس از تصویب قطعنامه ۱۹۲۹ شورای امنیت، مقام‌های ایرانی واکنش نشان دادند. "
            "محمود احمدی‌نژاد گفت که این قطعنامه ارزشی ندارد.")
    doc = run(rules, text, "2010-06-10")
    assert doc.text == text
    assert [(q.kind, q.cue.text, q.content.text) for q in doc._.quotes] == [
        ("indirect", "گفت", "این قطعنامه ارزشی ندارد")]
    # in a document's text too: «… در این بیانیه آمده است» at a paragraph's end
    text = f"در متن این بیانیه آمده است{newline}شورای امنیت شامگاه شنبه تشکیل جلسه داد."
    assert run(rules, text, "2010-06-10")._.quotes == []


def test_an_interview_answer_after_the_question_in_one_paragraph(rules):
    text = ("ظریف در گفت‌وگو با ایسنا به پرسش‌ها پاسخ داد.\n"
            "نخستین پرسش این بود که تهران نگرانی‌های آنکارا را چگونه می‌بیند.\u00a0ظریف: "
            "نگرانی‌های امنیتی همسایه‌مان را درک می‌کنیم، اما اشغال پاسخ نیست.")
    doc = run(rules, text, "2019-10-12")
    assert doc.text == text
    assert [(q.kind, q.speaker.text, q.speaker_kb_id, q.cue.text, q.content.text) for q in doc._.quotes] == [
        ("direct", "ظریف", "mohammad_javad_zarif", ":",
         "نگرانی‌های امنیتی همسایه‌مان را درک می‌کنیم، اما اشغال پاسخ نیست.")]
    # a colon after a name inside a sentence is not an answer
    text = "وزیران دیدار کردند و ظریف: بی‌پاسخ ماند."
    assert [q.cue.text for q in run(rules, text, "2019-10-12")._.quotes] == []


def test_a_plural_pronoun_is_not_the_last_person(rules):
    # «به گفته آنها» after analysts: a group of people, not the president named before
    text = ("دونالد ترامپ گفت که آماده دیدار است. اما تحلیلگران یادآوری می‌کنند که تنش‌ها ادامه دارد. "
            "به گفته آنها، سرنوشت این ابتکار روشن نیست.")
    doc = run(rules, text, "2019-09-20")
    assert [(q.cue.text, q.speaker_kb_id) for q in doc._.quotes] == [
        ("گفت", "donald_trump"), ("یادآوری می‌کنند", None), ("به گفته", None)]


def test_a_meetings_final_statement_is_not_its_host_city(rules):
    text = ("وزیران خارجه در تهران گرد آمدند. محمود عباس از آمریکا خواست که به تجاوز پایان دهد.\n"
            "در بیانیه پایانی نشست تهران آمده است که کشورها بر احترام به حاکمیت تاکید می‌کنند.")
    doc = run(rules, text, "2023-10-23")
    document = [q for q in doc._.quotes if q.cue.text == "آمده است"]
    assert len(document) == 1 and document[0].speaker is None and document[0].speaker_kb_id is None


def test_a_pronoun_after_a_statement_is_its_speaker_not_a_name_in_it(rules):
    text = ("سعید خطیب‌زاده، سخنگوی وزارت امور خارجه، گفت: آمریکا در بیانیه الجزایر متعهد شده است. "
            "آنچه ترامپ «فشار حداکثری» نامید نقض همین تعهد است. وی درباره دارایی‌ها گفت که پیگیری ادامه دارد.")
    quotes = [q for q in run(rules, text, "2021-02-01")._.quotes if q.cue.text == "گفت"]
    assert [q.speaker_kb_id for q in quotes] == ["saeed_khatibzadeh", "saeed_khatibzadeh"]


def test_what_someone_reported_inside_a_quotation_ends_where_the_speaker_goes_on(rules):
    text = ("عراقچی گفت: «بدر البوسعیدی در آخرین تماس به من گفت که مسقط آماده میزبانی دور تازه است، "
            "اما ابتدا باید اطمینان یابیم که حمله‌ای در کار نیست.»")
    inner = [q for q in run(rules, text, "2025-08-01")._.quotes if q.cue.text == "گفت" and q.kind == "indirect"]
    assert [q.content.text for q in inner] == ["مسقط آماده میزبانی دور تازه است"]
    # outside a quotation the reported content runs on over the comma
    text = "عراقچی گفت که مسقط آماده میزبانی دور تازه است، اما زمان آن معلوم نیست."
    assert summary(run(rules, text, "2025-08-01"))[0][4] == "مسقط آماده میزبانی دور تازه است، اما زمان آن معلوم نیست"


def test_an_unresolved_name_takes_the_id_of_its_title_in_apposition(rules, run_until):
    # as the model read a dev document: «خلیل» alone, tagged ORG, which the linker cannot
    # resolve; its title after the comma names the person in office on the date
    text = "شکیب خلیل، وزیر انرژی الجزایر، خاطرنشان کرد که نشست بعدی در الجزایر برگزار می‌شود."
    doc = run_until(rules, text, "2008-09-10", "diplo_quotes")
    title = next(e for e in doc.ents if e.label_ == "ROLE")
    assert (title.text, title.kb_id_) == ("وزیر انرژی الجزایر", "chakib_khelil")
    surname = doc.char_span(text.index("خلیل"), text.index("خلیل") + len("خلیل"), label="ORG")
    doc.ents = [surname] + [e for e in doc.ents if e.start >= surname.end]
    doc = rules.get_pipe("diplo_quotes")(doc)
    assert speakers(doc) == [("خلیل", "chakib_khelil")]
    # the full name has its own id; a title alone is resolved by the linker
    assert speakers(run(rules, text, "2008-09-10")) == [("شکیب خلیل", "chakib_khelil")]


@pytest.mark.parametrize("arabic_letters", [False, True])
def test_a_source_without_a_name_is_not_the_previous_speaker(rules, arabic_letters):
    """An unnamed source after a quotation («…»، یک مقام محلی این را به ایسنا گفت) or after
    an opening adverbial («در همین حال، برخی نمایندگان … هشدار دادند») has no id; the
    previous speaker goes on only when no subject is written, or a demonstrative points
    back to a source named before («این کارشناس»)."""
    text = ("عباس عراقچی گفت: مرز باز است.\n"
            "«کامیون‌ها از هر دو طرف رفت‌وآمد کردند»، یک مقام محلی در زابل این را به ایسنا گفت.\n"
            "در همین حال، برخی نمایندگان در مجلس هشدار دادند که خشکسالی ادامه دارد.\n"
            "عراقچی گفت: همکاری ادامه دارد.\n"
            "«این روند ادامه می‌یابد»، این را به ایرنا گفت.")
    if arabic_letters:
        text = text.translate(str.maketrans({"ی": "ي", "ک": "ك"}))
    doc = run(rules, text, "2024-10-01")
    assert [(q.cue.text, q.speaker_kb_id) for q in doc._.quotes] == [
        ("گفت", "abbas_araghchi"), ("گفت", None), ("هشدار دادند", None), ("گفت", "abbas_araghchi"),
        ("گفت", "abbas_araghchi")]
    assert all(doc.text[q.content.start_char:q.content.end_char] == q.content.text for q in doc._.quotes)


def _speakers_in_order(doc):
    return [(q.speaker.text if q.speaker is not None else None, q.speaker_kb_id)
            for q in sorted(doc._.quotes, key=lambda q: q.content.start)]


@pytest.mark.parametrize("second,expected", [
    # an indefinite source after an opening adverbial without its comma: the ministry
    # qualifies the source, which is no one, and the earlier speaker does not go on
    ("در همین حال یک مقام آگاه در وزارت امور خارجه به ایسنا گفت که گام سوم اعلام خواهد شد.", (None, None)),
    # Arabic «ي ك»
    ("در همين حال يك مقام آگاه در وزارت امور خارجه به ايسنا گفت كه گام سوم اعلام خواهد شد.", (None, None)),
    # the adverbial with its comma, and a country that qualifies the source
    ("در همین حال، یک عضو تیم مذاکره‌کننده ایران به خبرنگاران گفت که متن نهایی آماده است.", (None, None)),
    # after the quotation, with ZWNJ stripped: the country qualifies the source
    ("«تا رسیدن متن به مرحله نهایی، ده بار احتمال شکست بود»؛ این را یک عضو تیم مذاکرهکننده ایران به خبرنگار "
     "ایسنا گفت.", (None, None)),
    ("یکی از اعضای هیئت ایرانی به خبرنگاران گفت که متن نهایی آماده است.", (None, None)),
    # the source's own title is the speaker span, still no one's
    ("در همین حال یک نماینده مجلس گفت که متن نهایی آماده است.", ("نماینده مجلس", None)),
    # a named speaker after the same adverbial
    ("در همین حال عباس عراقچی به خبرنگاران گفت که متن نهایی آماده است.", ("عباس عراقچی", "abbas_araghchi")),
    # «یک خبرنگار» inside a phrase is not the source: the speaker goes on
    ("در پاسخ به پرسش یک خبرنگار افزود که متن نهایی آماده است.", (None, "mohammad_javad_zarif")),
])
def test_an_indefinite_source_is_no_one(rules, second, expected):
    doc = run(rules, "ظریف گفت که مذاکرات ادامه دارد.\n" + second, "2015-07-14")
    assert _speakers_in_order(doc) == [("ظریف", "mohammad_javad_zarif"), expected]


def test_a_relative_clause_about_a_document_names_its_publisher_not_its_author(rules):
    text = ("وزارت خارجه چین در بیانیه‌ای اعلام کرد که روابط دو کشور راهبردی است. در این بیانیه که خبرگزاری "
            "شین‌هوا متن آن را منتشر کرد، آمده است: «چین از ایران استقبال می‌کند.»")
    assert _speakers_in_order(run(rules, text, "2016-01-23")) == [
        ("وزارت خارجه چین", "chinese_foreign_ministry"), (None, "chinese_foreign_ministry")]


@pytest.mark.parametrize("seems", ["به نظر می‌رسد", "به نظر میرسد"])
def test_it_seems_is_the_reporter_again_after_an_unquoted_colon(rules, seems):
    text = ("موسی احمدی، رئیس کمیسیون انرژی مجلس، هشدار داد: تا زمانی که سرمایه نیاید، افت فشار جبران نمی‌شود. "
            f"{seems} تهران دیپلماسی اقتصادی را تقویت کند.")
    (quote,) = run(rules, text, "2025-11-01")._.quotes
    assert quote.content.text == "تا زمانی که سرمایه نیاید، افت فشار جبران نمی‌شود."


@pytest.mark.parametrize("report,inner", [
    # the commas around a title in apposition do not end the outer words
    ("وی افزود که جان کری، وزیر خارجه آمریکا، به او گفته است که واشنگتن تحریم تازه‌ای وضع نخواهد کرد.",
     ("جان کری", "john_kerry")),
    # nor does the comma that closes the words' opening phrase
    ("وی افزود که در آخرین دیدار دوجانبه، جان کری، وزیر خارجه آمریکا، به او گفته است که واشنگتن تحریم تازه‌ای "
     "وضع نخواهد کرد.", ("جان کری", "john_kerry")),
    # an unnamed group inside the report is no one, not the reporting speaker
    ("وی یادآور شد که برخی نمایندگان پیش از جلسه به او گفته‌اند که فقط برای شنیدن آمده‌اند.", (None, None)),
])
def test_the_speaker_of_a_report_within_the_report(rules, report, inner):
    doc = run(rules, "ظریف گفت که توافق مهم است. " + report, "2013-11-24")
    speakers = _speakers_in_order(doc)
    assert speakers[0] == ("ظریف", "mohammad_javad_zarif") and speakers[1][1] == "mohammad_javad_zarif"
    assert speakers[-1] == inner


@pytest.mark.parametrize("text", [
    "وزارت امور خارجه روسیه اعلام کرد که این معاهده پایان یافت؛ در بیانیه این وزارتخانه آمده است: «واشنگتن مسئول است.»",
    # ZWNJ stripped, and «به نوشته» as the source
    "وزارت امور خارجه روسیه اعلام کرد که این معاهده پایان یافت. به نوشته این وزارتخانه، واشنگتن مسئول است.",
])
def test_this_ministry_is_the_ministry_named_before(rules, text):
    doc = run(rules, text.replace("\u200c", "") if "نوشته" in text else text, "2019-08-02")
    assert [kb for _, kb in _speakers_in_order(doc)] == ["russian_foreign_ministry", "russian_foreign_ministry"]
