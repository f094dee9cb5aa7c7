"""Rules that find quotations, their cues and speakers, following the guidelines.

The steps, for each speech-verb cue (``cues.jsonl``, matched on normal forms):

* ``cue :`` → a direct quotation: inside «…» / "…" when they follow the colon, else to
  the end of the paragraph or of the sentence before the next sentence that has its own
  speech verb and speaker (not «… به ما گفت که …», which the speaker still says) or
  that opens like the reporter's narration («این در حالی است که», «پیش‌تر», «بر اساس»)
  without a first- or second-person word;
* ``cue که …`` or ``cue`` followed by a clause → an indirect quotation to the end of the
  sentence or to a semicolon («X گفت که A؛ اما B» → A);
* «…»، X گفت → a direct quotation whose speaker comes after it;
* «به گفته X، …» → an indirect quotation whose source is X;
* «با تاکید بر اینکه …،» → an optional indirect quotation (the guidelines' adverbial);
* a headline «X: …» → a direct quotation whose cue is the colon (a capital speaks
  only right before the colon: «تهران: …»; a headline's «؛» ends it);
* «در این بیانیه آمده است (که|:) …» → a quotation with no speaker span, whose id is
  the document's author (named after «در», or the previous speaker for «این بیانیه»);
* «X … را «…» خواند/نامید» → an optional direct quotation (a quoted label);
* «X از Y خواست (که) …» → an indirect quotation (a request; without «که» only when the
  clause after the cue ends in a subjunctive verb: «از طرفین خواست آتش‌بس را رعایت کنند»).

The speaker is the subject of the cue: the first mention of the sentence (entity or
pronoun) that is not inside an adverbial or prepositional phrase («با اشاره به …»,
«در پاسخ به پرسش خبرنگار ایرنا …») nor inside a quotation, so it is often not the
nearest name to the verb; a clause after «؛», «، اما», «در حالی که» or «و» after a verb
has a subject of its own; coordinated names («روسیه و چین اعلام کردند») are several
sources, no one speaker. Pronouns stand for the speaker or subject of their own
sentence or the ones before (the one asked in an interviewer's question, the one
person a sentence names; a person the knowledge base does not know stops the search);
cues without a written subject continue the previous speaker; a passive cue («گفته
شد») has no source; «به نوشته این روزنامه» is the medium named before.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Dict, Iterable, List, Optional, Sequence, Set, Tuple, Union

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from ..kb.base import HONORIFICS
from ..text import phrases
from ..text.chars import ZWNJ
from .model import quote_item

PRONOUNS = frozenset({"وی", "او", "ایشان", "آنها", "آن‌ها", "آنان"})
#: plural pronouns may stand for an organisation or a country («آنها» for the Houthis);
#: the singular ones stand for a person
PLURAL_PRONOUNS = frozenset({"آنها", "آن‌ها", "آنان"})
SPEAKER_LABELS = frozenset({"PERSON", "ROLE", "ORG", "GPE"})
#: Words a sentence may start with before a cue that has no written subject
#: («در ادامه افزود», «همچنین گفت»): such a cue continues the previous speaker.
ZERO_SUBJECT_OPENERS = frozenset({"همچنین", "سپس", "نیز", "بعد", "آنگاه", "در", "وی", "او", "ایشان", "همچنان",
                                  "پیش", "پس", "ضمنا", "ضمناً", "همینطور", "به", "با", "از", "این", "که", "و"})
#: «این مقام افزود: …», «این دیپلمات گفت»: a demonstrative and one of these nouns is the
#: speaker named before, a subject of the cue's own
ANAPHORIC_NOUNS = frozenset({"مقام", "دیپلمات", "مسئول", "مسؤول", "سیاستمدار", "نماینده", "وزیر", "سخنگو",
                             "فرمانده", "کارشناس", "تحلیلگر", "سفیر", "مدیر", "رئیس", "دبیرکل", "مشاور",
                             "معاون", "حقوقدان", "وکیل", "چهره", "رهبر", "نامزد", "فعال", "استاد", "پژوهشگر"})
#: Phrases right after a pronoun speaker that continue the previous speaker's words («وی در
#: ادامه افزود», «وی در بخش دیگری از بیانیه تاکید کرد»): the pronoun is the person who
#: spoke last, not a person the sentences between them name in passing
CONTINUATIONS = (("در", "ادامه"), ("در", "بخش", "دیگری"), ("در", "بخش", "دیگر"), ("در", "قسمت", "دیگری"),
                 ("در", "جای", "دیگری"), ("همچنین",))
#: Words that open an adverbial or prepositional phrase: a mention inside it is not the
#: subject. The phrase lasts until a comma or a mention that follows a comma.
PREPOSITIONS = frozenset({
    "با", "در", "به", "از", "برای", "درباره", "درخصوص", "دربارهٔ", "ضمن", "پس", "پیش", "طی", "بر", "علیه", "نزد",
    "همراه", "میان", "بین", "توسط", "تا", "جز", "بدون", "درمورد", "مورد", "پیرامون", "خطاب", "حاشیه", "جریان",
    "هنگام", "زمان", "دیدار", "گفت‌وگو", "گفتگو", "مصاحبه", "پاسخ", "واکنش", "نشست", "جلسه", "سفر", "مراسم",
    "ادامه", "خصوص",
})
#: demonstratives: a noun after them is not the head of a prepositional phrase
DEMONSTRATIVES = frozenset({"این", "آن", "همین", "همان"})
#: plural nouns of people that open an unnamed source («کارشناسان آب استان اصفهان
#: می‌گویند»), written without ZWNJ
GROUP_NOUNS = frozenset({"کارشناسان", "ناظران", "تحلیلگران", "نمایندگان", "مقامات", "مقامهای", "مسئولان",
                         "مسئولین", "فعالان", "ساکنان", "کشاورزان", "دیپلماتها", "دیپلماتهای", "منابع", "رسانهها",
                         "رسانههای", "منتقدان", "مخالفان", "حامیان", "معترضان", "شاهدان", "پژوهشگران",
                         "اقتصاددانان", "برخی", "شماری", "بسیاری", "اهالی", "مردم"})
#: Plural nouns that open a title's source with no name («سران پنج کشور در آستاراخان: …»)
TITLE_GROUPS = GROUP_NOUNS | frozenset({"سران", "رهبران", "وزیران", "وزرای", "نمایندگان", "اعضای"})
#: Words right before a name in a title's source that make it not the source: a
#: preposition («سران پنج کشور در آستاراخان: …»), or a relation, which makes the source
#: a person the title does not name («همسر نازنین زاغری: …»)
TITLE_PREPOSITIONS = frozenset({"در", "از", "به", "با", "برای", "درباره", "علیه", "نزد", "بر", "تا", "میان", "بین"})
TITLE_RELATIONS = frozenset({"همسر", "پدر", "مادر", "برادر", "خواهر", "فرزند", "پسر", "دختر", "وکیل", "مشاور",
                             "دستیار", "خانواده"})
#: How far into a title its colon may stand, in tokens
TITLE_WINDOW = 30
#: documents that «در … آمده است» quotes
#: a meeting whose text a document is («بیانیه پایانی اجلاس», «قطعنامه پایانی راهپیمایی»)
MEETING_NOUNS = ("اجلاس", "نشست", "کنفرانس", "همایش", "کنگره", "راهپیمایی")
DOCUMENT_NOUNS = ("بیانیه", "اطلاعیه", "نامه", "پیام", "قطعنامه", "متن", "گزارش", "سند")
#: «می خواست» (wanted), written apart: not a request
MODAL_PREFIXES = frozenset({"می", "نمی"})
#: Modal words before «گفت» that make it impersonal («می‌توان گفت»).
IMPERSONAL = frozenset({"می‌توان", "نمی‌توان", "باید", "توان", "نباید", "بتوان", "شاید", "بایستی"})
OPEN_QUOTES = {"«": "»", '"': '"', "“": "”"}
CLOSE_QUOTES = frozenset({"»", '"', "”"})
SENTENCE_END = frozenset({".", "!", "?", "؟", "…"})
COLONS = frozenset({":", "："})
COMMAS = frozenset({"،", ",", "؛", ";"})
THAT = frozenset({"که"})
#: how far before «خواست» the addressee's «از» may stand in a request without «که»
REQUEST_WINDOW = 12
#: the subjunctive (or present) verb forms that close a requested clause
SUBJUNCTIVE_FORMS = frozenset({"کند", "کنند", "شود", "شوند", "باشد", "باشند", "دهد", "دهند", "گیرد", "گیرند",
                               "یابد", "یابند", "آید", "آیند", "سازد", "سازند", "نماید", "نمایند", "دارد",
                               "دارند"})
#: a clause after these has a subject of its own («…؛ نتانیاهو گفت»)
CLAUSE_BREAKS = frozenset({"؛", ";"})
#: a contrastive conjunction after a comma opens a new clause («…، اما وزیر گفت»)
CONTRAST = frozenset({"اما", "ولی"})
#: «در حالی که …» opens a clause
WHILE = frozenset({"حالی", "حال"})
#: verbs that end a clause: «و» after them opens the next one («… خواند و وزارت خارجه گفت»)
CLAUSE_VERBS = frozenset({"است", "بود", "شد", "کرد", "کردند", "شدند", "بودند", "خواند", "خواندند", "داد", "دادند",
                          "دارد", "دارند", "نمود", "گرفت", "رساند"})
#: generic nouns before a news medium's name («روزنامه هم‌میهن», «این خبرگزاری»)
MEDIA_NOUNS = frozenset({"روزنامه", "خبرگزاری", "نشریه", "هفته‌نامه", "پایگاه", "شبکه", "وبسایت", "وب‌سایت", "رسانه",
                         "تلویزیون", "رادیو", "مجله", "سایت"})
#: the verb of an interviewer's question («پرسید», «پرسیدیم»)
ASK = "پرسید"
#: a sentence about the interviewer's question («پرسش بعدی به حضور برد کوپر مربوط بود»,
#: «در پرسش دیگری از مذاکره با جان کری سؤال شد»): its names are not who answers
QUESTION_NOUNS = frozenset({"پرسش", "پرسشی", "سؤال", "سوال", "سؤالی", "سوالی"})
#: words that close a topical phrase: «درباره مذاکرات وین نیز سخنگو گفت»
PHRASE_ENDS = frozenset({"نیز"})
#: words that cannot open the clause a speech verb introduces («گفت و افزود»)
NOT_CLAUSE = frozenset({"و", "یا", "اما", "ولی", "سپس", "نیز", "هم"})
INEKE = frozenset({"اینکه", "این‌که"})
#: «با تاکید بر اینکه …» and «با اشاره به اینکه …»
ADVERBIAL_LINKS = frozenset({"بر", "به"})
#: «به گزارش X» names the outlet reporting the story: not a quotation.
REPORT_NOUNS = frozenset({"گزارش"})
#: words allowed between a closing quotation mark and the cue of a speaker-after quotation
#: how many words (a mention counts as one) may stand between the closing quotation mark
#: and the cue: «…»؛ رافائل گروسی، مدیرکل آژانس، این را در واکنش به اقدام مجلس گفت
AFTER_MAX_WORDS = 20
#: nouns that open a description of a «به گفته» source between commas («به گفته X، استاد
#: علوم سیاسی دانشگاه بغداد، …»), and how many words it may have
DESCRIPTIONS = frozenset({"استاد", "تحلیلگر", "تحلیل‌گر", "روزنامه‌نگار", "کارشناس", "پژوهشگر", "همتای", "مشاور",
                          "عضو", "مدیر", "فعال", "وکیل", "نویسنده", "مورخ", "اقتصاددان", "دیپلمات", "استادیار",
                          "دانشیار", "محقق", "سردبیر", "خبرنگار", "مفسر"})
DESCRIPTION_WORDS = 20
#: nouns of «این جمله را … گفت»: the words quoted just before
BACK_REFERENCES = frozenset({"جمله", "سخن", "سخنان", "مطلب", "عبارت", "حرف", "جملات"})
#: how many words may stand between «این را» and its cue («این جمله را در بیانیه‌ای نوشت»)
BACK_REFERENCE_WINDOW = 8
AFTER_FILLERS = frozenset({"این", "را", "جمله", "سخن", "سخنان", "عبارت", "اینها", "این‌ها", "نیز", "هم", "همچنین"})
#: «این وزارتخانه» (ZWNJ removed) → the first word of the ministry it points back to
POINTED_ORG_NOUNS = {"وزارتخانه": "وزارت"}
#: «یک مقام آگاه در وزارت امور خارجه گفت», «یکی از اعضای تیم مذاکره‌کننده ایران»: an
#: indefinite source; the names after it qualify it and are not the speaker
INDEFINITE = frozenset({"یک", "یکی"})
INDEFINITE_SOURCE_NOUNS = ANAPHORIC_NOUNS | frozenset({"منبع", "عضو", "فرد", "شاهد", "افسر", "کارمند", "ناظر"})
#: adverbials that open a clause without a comma before its subject («در همین حال یک مقام
#: آگاه … گفت»), as normal forms
CLAUSE_OPENERS = (("در", "همین", "حال"), ("در", "عین", "حال"), ("در", "این", "میان"), ("در", "همین", "زمینه"),
                  ("از", "سوی", "دیگر"), ("از", "طرف", "دیگر"), ("همزمان",), ("هم‌زمان",))


def _subjunctive(word: str) -> bool:
    """«بگذارند», «کند», «نکنند»: a verb that can close «از X خواست …»; not «می‌کند»
    (indicative), «بود»/«بودند» (past)."""
    word = word.replace(ZWNJ, "")
    if word.startswith(("می", "نمی")) or word in {"بود", "بودند"}:
        return False
    if word in SUBJUNCTIVE_FORMS or (word.startswith("ن") and word[1:] in SUBJUNCTIVE_FORMS):
        return True
    return word.startswith("ب") and len(word) > 2 and word.endswith("د")


#: titles of respect before a name, ZWNJ-free («آیت‌الله», «آیت الله» as two words too)
_HONORIFICS = frozenset({h.replace(ZWNJ, "") for h in HONORIFICS} | {"آیت", "الله", "حجت", "الاسلام"})


def _opener(words: Sequence[str], phrases: Iterable[Tuple[str, ...]]) -> Optional[Tuple[str, ...]]:
    """The one of ``phrases`` that the normal forms ``words`` open with, or None."""
    return next((phrase for phrase in phrases if tuple(words[:len(phrase)]) == phrase), None)


def _opens_with(words: Sequence[str], phrases: Iterable[Tuple[str, ...]]) -> bool:
    """Whether the normal forms ``words`` open with one of ``phrases``."""
    return _opener(words, phrases) is not None


def _word_before_cue(doc: Doc, word: str, start: int, cue: Span) -> bool:
    """``word`` among the words before ``cue`` in its clause (from ``start``), no further
    back than REQUEST_WINDOW tokens: the «از» of a request's addressee, the «به» of what
    «اشاره کرد» points to."""
    return any(doc[i].norm_ == word for i in range(max(start, cue.start - REQUEST_WINDOW), cue.start))


def _written_as(token, stem: str) -> bool:
    """Whether a word opens with ``stem`` in its normal form or as written without ZWNJ:
    «نامهای» (ZWNJ stripped) is «نامه‌ای», a letter, though its normal form is «نام‌های»."""
    return token.norm_.startswith(stem) or token.text.replace(ZWNJ, "").startswith(stem)


def _people(word: str) -> bool:
    """A plural noun of people, an unnamed source («ناظران», «مقام‌های», «کارشناسان»)."""
    return word in GROUP_NOUNS or word.endswith(("ان", "ها", "های", "هاي"))


def word_before(doc: Doc, i: int) -> Optional[int]:
    """The last token before ``i`` that is not white space, or None."""
    i -= 1
    while i >= 0 and doc[i].is_space:
        i -= 1
    return i if i >= 0 else None


def word_after(doc: Doc, i: int) -> Optional[int]:
    """The first token from ``i`` on that is not white space, or None."""
    while i < len(doc) and doc[i].is_space:
        i += 1
    return i if i < len(doc) else None


#: first- and second-person words: a sentence after an unquoted «X گفت: …» with one of
#: these is still X speaking («… استقبال می‌کنیم. ما آماده‌ایم …»); one without is the
#: reporter's again («… این در حالی است که …»)
PERSONAL_WORDS = frozenset({"ما", "من", "شما", "بنده", "ماست", "ماییم", "مرا", "هستیم", "نیستیم", "داریم",
                            "نداریم", "هستم", "نیستم", "دارم", "ندارم", "کنیم", "نکنیم", "باشیم", "نباشیم",
                            "خواهیم", "نخواهیم", "خواهم", "نخواهم", "کنید", "باشید", "دارید", "هستید"})
PERSONAL_ENDINGS = ("مان", "‌ام", "‌ایم", "‌اید", "دیم", "تیم", "دید", "تید")
NOT_PERSONAL = frozenset({"زمان", "سازمان", "ساختمان", "آرمان", "درمان", "فرمان", "پیمان", "گمان", "ایمان",
                          "آسمان", "مهمان", "قهرمان", "تیم", "جدید", "شدید", "تهدید", "تمدید", "تردید", "تولید",
                          "تشدید", "تأکید", "تاکید", "امید", "کلید", "خورشید", "سفید", "مفید", "عید", "تبعید",
                          "توحید", "تجدید", "تأیید", "تایید", "خرید", "نوید", "وحید", "سعید", "حمید", "مجید",
                          "رشید", "جاوید", "نوبخت", "یتیم", "رحیم", "عظیم", "کریم", "حکیم", "مستقیم", "تقدیم",
                          "پارلمان", "آلمان", "عمان", "کرمان", "مسلمان", "ترکمان", "سامان", "دودمان",
                          "سلمان", "عثمان", "سلیمان", "رحمان", "زایمان", "همان", "همزمان", "هم‌زمان", "تومان",
                          "قدیم"})


#: «ناظران بر این باورند»، «کارشناسان معتقدند»: what a group believes
BELIEFS = frozenset({"باورند", "معتقدند"})
#: how a sentence of the reporter's opens («این در حالی است که …»)
NARRATION_OPENERS = (("این", "در", "حالی"), ("در", "حالی"), ("پیش‌تر",), ("پیشتر",), ("بر", "اساس"), ("به", "گزارش"),
                     ("گفتنی", "است"), ("یادآور", "می‌شود"), ("یادآوری", "می‌شود"), ("در", "همین", "حال"),
                     ("همزمان",), ("هم‌زمان",), ("قرار", "است"), ("ساعتی", "بعد"), ("در", "پی"), ("طبق",),
                     ("در", "پایان"), ("به", "نظر", "می‌رسد"), ("به", "نظر", "میرسد"))


def speaks_in_person(sent: Span) -> bool:
    """Whether a sentence has a first- or second-person word (pronoun, possessive, verb);
    a word of a name («آلمان», «عمان», «بن سلمان») is none."""
    for token in sent:
        norm = token.norm_
        if norm in NOT_PERSONAL or len(norm) < 2 or token.ent_type:
            continue
        if norm in PERSONAL_WORDS or norm.endswith(PERSONAL_ENDINGS):
            return True
        if norm.startswith(("می‌", "نمی‌")) and norm.endswith(("یم", "م", "ید")):
            return True
        if token.i > sent.start and token.doc[token.i - 1].norm_ in MODAL_PREFIXES and norm.endswith(("یم", "م", "ید")):
            return True
    return False


def is_word(token) -> bool:
    """A word with letters («می‌یابد» too: spaCy's ``is_alpha`` is False with a ZWNJ)."""
    return not token.is_space and not token.is_punct and any(ch.isalpha() for ch in token.text)


@dataclass
class Cue:
    span: Span
    kind: str  # verb, passive, source, adverbial, document
    naming: bool = False  # «X را «…» خواند»: a verb cue that names, inside a clause


class QuoteFinder:
    """Finds the quotations of a Doc that has sentences, norms and entities."""

    def __init__(self, vocab, cues: Sequence[Dict[str, Any]], norm_tokens) -> None:
        self.cues = list(cues)
        self.matcher = PhraseMatcher(vocab, attr="NORM")
        self._kinds: Dict[Tuple[str, ...], str] = {}
        by_kind: Dict[str, List[Doc]] = {}
        for cue in self.cues:
            norms = tuple(norm_tokens(cue["form"]))
            if not norms or norms in self._kinds:
                continue
            self._kinds[norms] = cue["type"]
            doc = Doc(vocab, words=list(norms))
            for token, norm in zip(doc, norms):
                token.norm_ = norm
            by_kind.setdefault(cue["type"], []).append(doc)
        for kind, docs in by_kind.items():
            self.matcher.add(f"CUE_{kind}", docs)

    # ----------------------------------------------------------------------------------
    def find(self, doc: Doc) -> List[Dict[str, Any]]:
        if not len(doc):
            return []
        ctx = _Context(doc)
        cues = self._cues(doc)
        ctx.set_cues(cues)
        found: List[Dict[str, Any]] = []
        taken_contents: Set[Tuple[int, int]] = set()
        last_kb: List[Optional[str]] = [None]  # the previous speaker
        last_person: List[Optional[str]] = [None]  # the previous speaker that is a person
        # sentence start -> (the speaker of a quotation cued there, whether it is a person)
        speaker_by_sentence: Dict[int, Tuple[str, bool]] = {}

        # the quotations found so far by the start of their content, and the longest
        # content: what ``holding`` looks through (a long document stays linear)
        held: List[Tuple[int, int]] = []
        longest = [0]

        def holding(cue: Span) -> List[Dict[str, Any]]:
            # the quotations found so far whose content holds the cue
            at = cue.start_char
            lo, hi = bisect_left(held, (at - longest[0] + 1, -1)), bisect_right(held, (at, len(found)))
            items = [found[n] for _, n in held[lo:hi]]
            return [item for item in items if item["content"][0] <= at < item["content"][1]]

        def nested(cue: Span) -> bool:
            # a quotation inside another one («عراقچی گفت: گروسی به ما گفت که …»)
            return ctx.inside_quotes(cue.start, 0) or bool(holding(cue))

        def speak(cue: Span, content: Span, entry: Tuple[str, bool]) -> None:
            # the cue's sentence, and the later sentences of an unquoted statement after a
            # colon, are the speaker's: a pronoun after them is the speaker, not a name
            # the speaker mentioned («… آنچه ترامپ «فشار حداکثری» نامید … . وی افزود»)
            speaker_by_sentence[ctx.sentence_of(cue.start).start] = entry
            for sent in ctx.sents[ctx.sentence_index(content.start):ctx.sentence_index(content.end - 1) + 1]:
                if content.start < sent.start < content.end and sent.start > cue.start:
                    speaker_by_sentence.setdefault(sent.start, entry)

        def add(kind: str, content: Optional[Span], cue: Span, speaker: Optional[Span], optional: bool = False,
                passive: bool = False, inherit: bool = True, holder: Optional[str] = None) -> None:
            if content is None or not content.text.strip():
                return
            key = (content.start_char, content.end_char)
            if key in taken_contents:
                return
            taken_contents.add(key)
            if speaker is not None and speaker.label_ == "GROUP":
                speaker, inherit = None, False  # several sources: no one speaker
            anaphor = speaker.kb_id_ if speaker is not None and speaker.label_ == "ANAPHOR" else None
            if anaphor:
                speaker = None  # «به نوشته این خبرگزاری»: no name written, the medium named before
            if speaker is not None and speaker.label_ == "PRONOUN":
                # «وی», «او» stand for the person the text last spoke of: the most recent
                # sentence whose quotation speaker or subject is a person
                kb = None
                if not passive and last_person[0] and speaker[0].norm_ not in PLURAL_PRONOUNS and \
                        self._continues(doc, speaker):
                    kb = last_person[0]
                elif not passive:
                    kb = self._antecedent(doc, ctx, speaker, speaker_by_sentence)
                    if kb is None and speaker[0].norm_ not in PLURAL_PRONOUNS:
                        kb = last_person[0]
                    kb = kb or None  # "": a person the KB does not know
            elif holder is not None or (speaker is None and cue.label_ == "document"):
                kb = holder  # «در این بیانیه آمده است»: the document's author, no speaker span
            else:
                kb = anaphor or self._speaker_kb(ctx, speaker, last_kb[0], passive, inherit)
            # a quotation inside another one does not change who the text is speaking of
            inner = nested(cue)
            if not optional and not kb and not inner and not passive and speaker is not None and \
                    speaker.label_ in ("PERSON", "ROLE"):
                # a person the knowledge base does not know («صالح نیکبخت … گفت. او افزود»):
                # the pronouns and zero subjects that follow are that person, not an earlier one
                speak(cue, content, ("", True))
                last_kb[0] = last_person[0] = None
            if not optional and kb and not inner:
                if speaker is None:
                    is_person = kb == last_person[0]
                else:
                    is_person = speaker.label_ in ("PERSON", "ROLE") or (
                        speaker.label_ == "PRONOUN" and speaker[0].norm_ not in PLURAL_PRONOUNS)
                speak(cue, content, (kb, is_person))
                last_kb[0] = kb
                if is_person:
                    last_person[0] = kb
            item = quote_item(kind, content, cue, speaker, kb, optional)
            insort(held, (item["content"][0], len(found)))
            longest[0] = max(longest[0], item["content"][1] - item["content"][0])
            found.append(item)

        headline_cues = self._headlines(doc, ctx)
        events: List[Tuple[int, str, Any]] = [(c.span.start, "cue", c) for c in cues]
        events += [(h[1].start, "headline", h) for h in headline_cues]
        for _, what, item in sorted(events, key=lambda e: e[0]):
            if what == "headline":
                speaker, colon, content = item
                add("direct", content, colon, speaker)
                continue
            cue: Cue = item
            if cue.kind == "adverbial":
                content = self._adverbial_content(doc, ctx, cue.span)
                if content is not None:
                    add("indirect", content, cue.span, self._subject(doc, ctx, cue.span), optional=True)
                continue
            if cue.kind == "document":
                kb = self._document_holder(doc, ctx, cue.span, last_kb[0])
                nxt = ctx.next_word(cue.span.end - 1)
                quote_kind = "direct"
                if nxt is None or doc[nxt].text in SENTENCE_END:  # «…»، در ادامه این بیانیه آمده است.
                    after = self._speaker_after(doc, ctx, cue.span)
                    content = after[0] if after is not None else None
                elif doc[nxt].text in COLONS:
                    content = self._direct_after_colon(doc, ctx, nxt + 1)
                elif doc[nxt].text in OPEN_QUOTES:
                    content = self._direct_after_colon(doc, ctx, nxt)
                elif ctx.paragraph(nxt) != ctx.paragraph(cue.span.start):
                    content = None
                else:  # «آمده است که …»
                    quote_kind = "indirect"
                    content = self._before_next_cue(
                        doc, ctx, self._to_clause_end(doc, ctx, self._to_sentence_end(doc, ctx, nxt + 1)))
                add(quote_kind, content, cue.span, None, holder=kb)
                continue
            if cue.kind == "source":
                if self._cites_medium(doc, ctx, cue.span):
                    continue
                speaker, content = self._source_quote(doc, ctx, cue.span)
                # «به گفته X، A؛ رقمی که …»: the words end at the semicolon, as reported speech does
                content = self._to_clause_end(doc, ctx, content)
                add("indirect", content, cue.span, speaker, inherit=False)
                continue
            passive = cue.kind == "passive"
            if self._impersonal(doc, cue.span) or self._points_to(doc, ctx, cue.span):
                continue
            nxt = ctx.next_word(cue.span.end - 1)
            # «دوجاریک گفت که بان کی‌مون از آنها خواسته است …»: a cue inside an earlier
            # quotation's «که» clause has its subject in that clause
            starts = [ctx.token_at(item["content"][0]) for item in holding(cue.span) if not item.get("optional")]
            floor = max((start for start in starts if start > 0 and doc[start - 1].norm_ in THAT), default=None)
            subject = None if passive else self._subject(doc, ctx, cue.span, floor)
            inherit = subject is not None or not self._has_unknown_subject(doc, ctx, cue.span, floor)
            if nxt is not None and doc[nxt].text in COLONS:
                if subject is not None and subject.label_ in ("PERSON", "ROLE"):
                    who = subject
                elif subject is None or (subject.label_ == "PRONOUN" and subject[0].norm_ not in PLURAL_PRONOUNS):
                    who = last_person[0] if inherit else None
                else:
                    who = None
                content = self._direct_after_colon(doc, ctx, nxt + 1, who)
                add("direct", content, cue.span, subject, passive=passive, inherit=inherit)
                continue
            # «…»، X گفت: only when nothing the cue introduces follows it
            ends_clause = nxt is None or doc[nxt].text in SENTENCE_END or doc[nxt].text in COMMAS \
                or doc[nxt].norm_ in NOT_CLAUSE or ctx.paragraph(nxt) != ctx.paragraph(cue.span.start)
            refers_back = nxt is not None and doc[nxt].norm_ in THAT and self._refers_back(doc, cue.span)
            after = self._speaker_after(doc, ctx, cue.span) if ends_clause or refers_back else None
            if after is not None:
                content, speaker = after
                # «…»، یک مقام محلی این را به ایسنا گفت: a source with no name is not the
                # previous speaker
                inherit = speaker is not None or not self._unknown_subject_at(doc, ctx, content.end, cue.span.start)
                # «X این اقدام را «…» خواند»: the quoted label is optional (the datasheet)
                add("direct", content, cue.span, speaker, passive=passive, optional=cue.span.label_ == "naming",
                    inherit=inherit)
                continue
            # reported content follows its cue in the cue's paragraph: a headline that ends
            # with «… تأکید کرد» does not report the article's first sentence
            if nxt is not None and ctx.paragraph(nxt) == ctx.paragraph(cue.span.start) and (
                    doc[nxt].norm_ in THAT or (is_word(doc[nxt]) and doc[nxt].norm_ not in NOT_CLAUSE)):
                # «از دولت خواست تا …»: after a request «تا» opens the words as «که» does
                opens = doc[nxt].norm_ in THAT or (cue.span.label_ == "request" and doc[nxt].norm_ == "تا")
                start = nxt + 1 if opens else nxt
                content = self._to_clause_end(doc, ctx, self._to_sentence_end(doc, ctx, start))
                content = self._before_next_cue(doc, ctx, content)
                if content is not None and nested(cue.span):
                    content = self._nested_clause_end(doc, ctx, content)
                if content is not None and sum(1 for t in content if is_word(t)) >= 2:
                    add("indirect", content, cue.span, subject, passive=passive, inherit=inherit)
        found.sort(key=lambda q: (q["content"][0], -q["content"][1]))
        return found

    # ----- cues --------------------------------------------------------------------------
    def _cues(self, doc: Doc) -> List[Cue]:
        spans = []
        # a cue whose words an NBSP, a tab or a second space separates («تاکید\u00a0کرد»)
        for match_id, start, end in phrases.matches(self.matcher, *phrases.compact(doc)):
            kind = doc.vocab.strings[match_id][len("CUE_"):]
            spans.append(Span(doc, start, end, label=kind))
        cues = []
        for span in filter_spans(spans):
            kind = span.label_
            if kind == "adverbial":
                # only «با تاکید بر اینکه», «با بیان اینکه», «با اشاره به اینکه»
                before = span.start - 1
                if before < 0 or doc[before].norm_ != "با":
                    continue
                j = span.end
                if j < len(doc) and doc[j].norm_ in ADVERBIAL_LINKS:
                    j += 1
                if j >= len(doc) or doc[j].norm_ not in INEKE and not (
                        doc[j].norm_ == "این" and j + 1 < len(doc) and doc[j + 1].norm_ == "که"):
                    continue
            if kind == "source" and span.start > 0 and doc[span.start].norm_ == "به" and \
                    span.end < len(doc) and doc[span.end - 1].norm_ in REPORT_NOUNS:
                continue
            if kind == "request":
                # «از X خواست (که) …», «… خواسته بود که …»; not «می خواست», «خواست مردم»
                if not self._is_request(doc, span):
                    continue
                kind = "verb"
            elif kind == "naming":
                # «X این اقدام را «…» خواند»: only right after a closing quotation mark
                before = word_before(doc, span.start)
                if before is None or doc[before].text not in CLOSE_QUOTES:
                    continue
                cues.append(Cue(span, "verb", naming=True))
                continue
            elif kind == "document" and not self._is_document(doc, span):
                continue
            cues.append(Cue(span, kind))
        return sorted(cues, key=lambda c: c.span.start)

    @staticmethod
    def _is_request(doc: Doc, cue: Span) -> bool:
        """«از X خواست که …», or without «که» when the addressee's «از» stands before
        the cue in its sentence and the clause after it ends in a subjunctive verb
        («از طرفین خواست مسیر تقابل را کنار بگذارند»); not «می خواست» (wanted) nor
        «خواست مردم» (the people's will)."""
        before, nxt = word_before(doc, cue.start), word_after(doc, cue.end)
        if before is not None and doc[before].norm_ in MODAL_PREFIXES:
            return False
        if nxt is None:
            return False
        if doc[nxt].norm_ in THAT:
            return True
        if doc[nxt].is_punct or doc[nxt].text in SENTENCE_END:
            return False
        start = cue.sent.start if doc.has_annotation("SENT_START") else 0
        if not _word_before_cue(doc, "از", start, cue):
            return False
        last = None
        for i in range(nxt, len(doc)):
            token = doc[i]
            if token.text in SENTENCE_END or token.text in COLONS or "\n" in token.text:
                break
            if token.norm_ == "و" and last is not None and last.i > nxt and _subjunctive(last.norm_):
                return True  # «از همه طرف‌ها خواست آرامش را حفظ کنند و گفت …»
            if not token.is_punct and not token.is_space:
                last = token
        return last is not None and last.i > nxt and _subjunctive(last.norm_)

    @staticmethod
    def _is_document(doc: Doc, cue: Span) -> bool:
        """«در این بیانیه آمده است (که|:) …»: «در» before, and «که», a colon or an
        opening quotation mark after (not «به تهران آمده است»); or the cue closes a
        sentence after a quotation («…»، در ادامه این بیانیه آمده است)."""
        sent = cue.sent if doc.has_annotation("SENT_START") else doc[:]
        if not any(doc[i].norm_ == "در" for i in range(sent.start, cue.start)):
            return False
        nxt = word_after(doc, cue.end)
        if nxt is None or doc[nxt].text in SENTENCE_END:
            return any(doc[i].text in CLOSE_QUOTES for i in range(sent.start, cue.start))
        return doc[nxt].norm_ in THAT or doc[nxt].text in COLONS or doc[nxt].text in OPEN_QUOTES

    def _document_holder(self, doc: Doc, ctx: "_Context", cue: Span, previous: Optional[str]) -> Optional[str]:
        """Whose text «در … آمده است» quotes: a name after the last «در» before the cue
        («در بیانیه وزارت خارجه آمده است»); else the subject of the last sentence that
        speaks of that kind of document («وزارت خارجه در بیانیه‌ای …»); else the previous
        speaker («در این بیانیه», «در ادامه بیانیه»)."""
        sent = ctx.sentence_of(cue.start)
        at = max(i for i in range(sent.start, cue.start) if doc[i].norm_ == "در")
        names = [e for e in doc.ents if at < e.start and e.end <= cue.start and e.label_ in SPEAKER_LABELS]
        # «در این بیانیه که خبرگزاری شینهوا متن آن را منتشر کرد، آمده است»: a relative
        # clause about the document, to its comma, names who published it, not who wrote it
        that = next((i for i in range(at + 1, cue.start) if doc[i].norm_ in THAT), None)
        comma = next((i for i in range(that, cue.start) if doc[i].text in COMMAS), None) if that is not None else None
        if comma is not None:
            names = [e for e in names if not that < e.start < comma]
        meeting = next((i for i in range(at + 1, cue.start) if doc[i].norm_.startswith(MEETING_NOUNS)), None)
        if meeting is not None:
            # «در بیانیه پایانی اجلاس آمده است»: the meeting's text, not its host city's
            # nor the last speaker's: the meeting named there, else the organisation
            # that met («نشست شورای همکاری خلیج فارس»), else nobody
            events = [e for e in doc.ents if e.start <= meeting < e.end and e.label_ == "EVENT"]
            if events:
                return events[0].kb_id_ or None
            orgs = [e for e in names if e.label_ == "ORG" and e.start > meeting]
            return (orgs[0].kb_id_ or None) if len(orgs) == 1 else None
        if names:
            return (names[-1].kb_id_ or None) if len(names) == 1 else None
        pointed = self._pointed_org(doc, at + 1, cue.start)
        if pointed is not None:
            return pointed.kb_id_ or None
        # «در بخشی از بیانیه آمده است»: the subject of the last sentence that speaks of
        # that kind of document («وزارت خارجه در بیانیه‌ای … را محکوم کرد»)
        noun = next((stem for i in range(at, cue.start) for stem in DOCUMENT_NOUNS
                     if _written_as(doc[i], stem)), None)
        if noun is not None:
            for earlier in reversed(ctx.sentences_before(sent.start, 4)):
                if any(_written_as(t, noun) for t in earlier):
                    subject = self._first_mention(doc, ctx, earlier.start, earlier.end)
                    if subject is not None and subject.label_ in SPEAKER_LABELS and subject.kb_id_:
                        return subject.kb_id_
                    break
        return previous

    @staticmethod
    def _cites_medium(doc: Doc, ctx: "_Context", cue: Span) -> bool:
        """«وانگ یی به نوشته خبرگزاری شینهوا در این دیدار گفت»: a «به نوشته» right after
        the subject of a speech verb later in its sentence names where the words were
        reported; the verb is the quotation (none of train's three such is annotated)."""
        before = word_before(doc, cue.start)
        subject = ctx.mention_ending(before + 1) if before is not None else None
        if subject is None or subject.label_ == "PRONOUN":
            return False
        sent = ctx.sentence_of(cue.start)
        return any(c.kind == "verb" and cue.end <= c.span.start < sent.end for c in ctx.cues_from(cue.end, sent.end))

    @staticmethod
    def _points_to(doc: Doc, ctx: "_Context", cue: Span) -> bool:
        """«به طرح صلح هرمز اشاره کرد که ماه گذشته ارائه شده بود»: «که» after «به X اشاره
        کرد» qualifies X, it does not open what was said (none of train's and dev's three
        does); «وی اشاره کرد که …» does."""
        if not cue[0].norm_.startswith("اشاره"):
            return False
        nxt = ctx.next_word(cue.end - 1)
        if nxt is None or doc[nxt].norm_ not in THAT:
            return False
        return _word_before_cue(doc, "به", ctx.sentence_of(cue.start).start, cue)

    @staticmethod
    def _impersonal(doc: Doc, cue: Span) -> bool:
        i = word_before(doc, cue.start)
        return i is not None and doc[i].norm_ in IMPERSONAL

    # ----- contents ----------------------------------------------------------------------
    def _direct_after_colon(self, doc: Doc, ctx: "_Context", start: int,
                            speaker: Union[Span, str, None] = None) -> Optional[Span]:
        first = ctx.next_word(start - 1)
        if first is None or ctx.paragraph(first) != ctx.paragraph(start - 1):
            return None
        if doc[first].text in OPEN_QUOTES:
            close = ctx.closing_quote(first)
            if close is not None:
                return ctx.trimmed(first + 1, close)
            return ctx.trimmed(first + 1, ctx.paragraph_end(first))
        end = ctx.paragraph_end(first)
        sent_starts = [s.start for s in ctx.sentences_between(first, end)]
        for s_start in sent_starts:
            sent = ctx.sentence_of(s_start)
            opener = ctx.next_word(s_start - 1)
            # a sentence that opens with «: a quotation of its own, which no train or dev
            # statement after a colon runs into
            quoted = opener is not None and doc[opener].text in OPEN_QUOTES
            if quoted or any(sent.start <= c.span.start < sent.end and c.kind in ("verb", "passive", "source", "document")
                   and not c.naming and not ctx.inside_quotes(c.span.start, first) and self._new_attribution(doc, ctx, c, sent)
                   and not speaks_in_person(doc[sent.start:c.span.start])
                   for c in ctx.cues_from(sent.start, sent.end)) or self._narration(sent) \
                    or self._names_speaker(ctx, sent, speaker):
                end = s_start
                break
        return ctx.trimmed(first, end)

    @staticmethod
    def _narration(sent: Span) -> bool:
        """A sentence that is the reporter's again after an unquoted «X گفت: …»: it opens
        like narration («این در حالی است که», «پیش‌تر», «بر اساس …») and has no first- or
        second-person word; or it opens with «وی» or «او», which no train or dev quotation
        without quotation marks does, but one (it is the reporter's «he»: «وی … را «…»
        توصیف کرد», «او که در سال ۲۰۱۴ به قدرت رسید، …»)."""
        norms = [t.norm_ for t in sent if is_word(t)]
        words = norms[:4]
        if words[:1] in (["وی"], ["او"]):
            return True
        if any(norms[i:i + 2] == ["در", "حالی"] and norms[i + 2:i + 3] not in ([], ["که"])
               for i in range(len(norms))) and not speaks_in_person(sent):
            return True  # «سفر رئیس‌جمهور در حالی انجام می‌شود که …»: the reporter's frame
        if words[:1] and words[0].replace(ZWNJ, "") in GROUP_NOUNS and any(
                t.norm_ in BELIEFS for t in sent) and not speaks_in_person(sent):
            return True  # «ناظران بر این باورند که …»: the reporter cites others
        return _opens_with(words, NARRATION_OPENERS) and not speaks_in_person(sent)

    @staticmethod
    def _names_speaker(ctx: "_Context", sent: Span, speaker: Union[Span, str, None]) -> bool:
        """A sentence that names the speaker of an unquoted «X گفت: …» in the third person,
        with no first- or second-person word, is the reporter's: «… . این نخستین حضور
        زنگنه در اجلاس اوپک است», «… . اشاره روحانی به نقش عمان …». ``speaker`` is the
        subject mention (a PERSON or ROLE) or the id of the person a zero subject or a
        pronoun continues."""
        if speaker is None:
            return False
        kb_id = speaker if isinstance(speaker, str) else speaker.kb_id_
        surname = None
        if isinstance(speaker, Span) and speaker.label_ == "PERSON":
            surname = speaker[-1].norm_
        if not kb_id and not surname:
            return False
        named = False
        for i in range(sent.start, sent.end):
            mention = ctx.mention_starting(i)
            if mention is None or mention.label_ not in ("PERSON", "ROLE"):
                continue
            if (kb_id and mention.kb_id_ == kb_id) or (surname and mention.label_ == "PERSON"
                                                          and mention[-1].norm_ == surname):
                named = True
                break
        return named and not speaks_in_person(sent)

    def _before_next_cue(self, doc: Doc, ctx: "_Context", content: Optional[Span]) -> Optional[Span]:
        """An indirect quotation ends where a coordinated clause with its own speech verb
        begins: «… نوشت که A و از اروپا خواست که B» → A; «… ابراز نگرانی کرد که A و از همه
        طرف‌ها خواست خویشتنداری کنند» → A. A speech verb with a subject of its own inside
        the words is reported too and does not end them."""
        if content is None:
            return None
        later = [c for c in ctx.cues_from(content.start + 1, content.end)
                 if content.start < c.span.start < content.end and c.kind in ("verb", "passive")
                 and not ctx.inside_quotes(c.span.start, content.start)
                 and (self._introduces(doc, ctx, c.span) or self._coordinated_request(doc, content.start, c.span))]
        if not later:
            return content
        stop = later[0].span.start
        # «افزود که محمد عبدالسلام، سخنگوی انصارالله، به او گفته است که …»: the commas
        # around a title in apposition do not end the words
        apposition = self._apposition_commas(doc, ctx, content.start, stop)
        if doc[content.start].norm_ in PREPOSITIONS:
            # «افزود که در آخرین دیدار، جان کری به او گفته است که …»: the comma closes the
            # words' opening phrase, not the words
            opening = next((i for i in range(content.start + 1, stop) if doc[i].text in COMMAS), None)
            if opening is not None and doc[opening].text not in CLAUSE_BREAKS:
                apposition.add(opening)
        cut = None
        for i in range(stop - 1, content.start + 1, -1):
            if doc[i].norm_ == "و" or (doc[i].text in COMMAS and i not in apposition):
                cut = i
                if doc[i].norm_ == "و":
                    break
        if cut is None:
            # «تصریح کرد که بازرسان آژانس تأیید کرده‌اند که …»: a cue with no «و» or comma
            # before it is inside the words, a report within the report
            return content
        following = ctx.mention_at(cut + 1) if doc[cut].norm_ == "و" else None
        if following is not None and following.start == cut + 1 and following.label_ in ("PERSON", "ROLE"):
            # «اعلام کرد که A و ویتکاف به عراقچی گفته است که B»: a person of its own after
            # «و» is what the speaker reports, not the speaker going on
            return content
        return ctx.trimmed(content.start, cut if cut is not None else stop)

    @staticmethod
    def _pointed_org(doc: Doc, start: int, end: int) -> Optional[Span]:
        """«این وزارتخانه» between ``start`` and ``end`` («در بیانیه این وزارتخانه آمده
        است», «به نوشته این وزارتخانه»): the ministry named last before it, if it has an id."""
        for i in range(start, min(end, len(doc) - 1)):
            if doc[i].norm_ in DEMONSTRATIVES and doc[i + 1].norm_.replace(ZWNJ, "") in POINTED_ORG_NOUNS:
                head = POINTED_ORG_NOUNS[doc[i + 1].norm_.replace(ZWNJ, "")]
                earlier = [e for e in doc.ents if e.end <= i and e.label_ == "ORG" and e.kb_id_
                           and e[0].norm_.replace(ZWNJ, "") == head]
                return earlier[-1] if earlier else None
        return None

    @staticmethod
    def _apposition_commas(doc: Doc, ctx: "_Context", start: int, end: int) -> Set[int]:
        """The commas around a title in apposition to the name before it («جان کری، وزیر
        خارجه آمریکا، …») between ``start`` and ``end``."""
        commas: Set[int] = set()
        for i in range(start + 1, end):
            if doc[i].text not in COMMAS or doc[i].text in CLAUSE_BREAKS:
                continue
            name = ctx.mention_ending(i)
            title = ctx.mention_starting(i + 1)
            if name is None or title is None or name.label_ not in ("PERSON", "ROLE") or title.label_ != "ROLE":
                continue
            if title.end < end and doc[title.end].text in COMMAS and doc[title.end].text not in CLAUSE_BREAKS:
                commas.update((i, title.end))
        return commas

    @staticmethod
    def _coordinated_request(doc: Doc, start: int, cue: Span) -> bool:
        """A request without «که» whose addressee follows «و»: «… و از همه طرف‌ها خواست …»."""
        if cue.label_ != "request":
            return False
        for i in range(cue.start - 1, start, -1):
            if doc[i].norm_ == "از":
                before = word_before(doc, i)
                return before is not None and before >= start and doc[before].norm_ == "و"
        return False

    @staticmethod
    def _introduces(doc: Doc, ctx: "_Context", cue: Span) -> bool:
        """A cue followed by «که» or a colon: it opens a quotation of its own."""
        nxt = ctx.next_word(cue.end - 1)
        return nxt is not None and (doc[nxt].norm_ in THAT or doc[nxt].text == ":")

    def _new_attribution(self, doc: Doc, ctx: "_Context", cue: Cue, sent: Span) -> bool:
        """A sentence with its own speaker and speech verb: the cue has a subject mention,
        or stands at the start of the sentence with an implied one («افزود: …»,
        «در ادامه تصریح کرد»). «کسانی که این متن را نوشتند …» inside a quotation is not."""
        if cue.kind in ("source", "document") or self._subject(doc, ctx, cue.span) is not None:
            return True
        opener = ctx.next_word(sent.start - 1)
        if opener is not None and doc[opener].norm_ in PRONOUNS and self._introduces(doc, ctx, cue.span):
            return True
        words = [t for t in doc[sent.start:cue.span.start] if is_word(t)]
        if len(words) in (2, 3) and words[0].norm_ == "این" and words[1].norm_ in ANAPHORIC_NOUNS:
            return True  # «این مقام افزود: …», «این مقام ارشد گفت»
        return len(words) <= 2 and all(t.norm_ in ZERO_SUBJECT_OPENERS or t.norm_ in PREPOSITIONS for t in words)

    def _to_sentence_end(self, doc: Doc, ctx: "_Context", start: int) -> Optional[Span]:
        if start >= len(doc):
            return None
        sent = ctx.sentence_of(start)
        end = sent.end
        while end > start and (doc[end - 1].is_space or doc[end - 1].text in SENTENCE_END):
            end -= 1
        return ctx.trimmed(start, end)

    @staticmethod
    def _nested_clause_end(doc: Doc, ctx: "_Context", content: Span) -> Optional[Span]:
        """What someone reported inside another speaker's words ends where the outer
        speaker goes on: «… بان خود به من گفته بود که A، و اکنون B» → A (a comma and
        «و», «اما», «ولی» that open a new clause)."""
        for i in range(content.start + 1, content.end - 1):
            if doc[i].text in COMMAS and doc[i + 1].norm_ in ("و", "اما", "ولی", "ولیکن"):
                return ctx.trimmed(content.start, i)
        return content

    @staticmethod
    def _to_clause_end(doc: Doc, ctx: "_Context", content: Optional[Span]) -> Optional[Span]:
        """Reported speech ends at a semicolon outside quotation marks: «X گفت که A؛ اما B»
        → A (the corpus's indirect quotations never run across one)."""
        if content is None:
            return None
        stop = next((i for i in range(content.start, content.end)
                     if doc[i].text in CLAUSE_BREAKS and not ctx.inside_quotes(i, content.start)), None)
        return content if stop is None else ctx.trimmed(content.start, stop)

    def _adverbial_content(self, doc: Doc, ctx: "_Context", cue: Span) -> Optional[Span]:
        j = cue.end
        if j < len(doc) and doc[j].norm_ in ADVERBIAL_LINKS:
            j += 1
        j += 2 if doc[j].norm_ == "این" else 1  # «اینکه» or «این که»
        sent = ctx.sentence_of(cue.start)
        end = j
        while end < sent.end and doc[end].text not in COMMAS:
            end += 1
        if end >= sent.end:
            return None
        return ctx.trimmed(j, end)

    def _source_quote(self, doc: Doc, ctx: "_Context", cue: Span) -> Tuple[Optional[Span], Optional[Span]]:
        """«به گفته X، …» and «… که به گفته X … بود»: the content follows the source, after
        its comma and a title in apposition («به گفته احمد وحیدی، وزیر کشور، …», not the
        content's own subject: «به نوشته رویترز، علی النعیمی، وزیر نفت، …»),
        else right after a named source. A source that closes its sentence («…، به گفته X.»)
        is a citation the guidelines do not annotate."""
        sent = ctx.sentence_of(cue.start)
        speaker = self._source(doc, ctx, cue.end)
        after = speaker.end if speaker is not None else cue.end
        before = word_before(doc, cue.start)
        head = ctx.next_word(cue.end - 1)
        if speaker is None and before is not None and doc[before].norm_ in THAT and head is not None and \
                head < sent.end and _people(doc[head].norm_):
            # «مجلسی که به گفته ناظران کمتر از مجلس دهم … خواهد داد»: inside a relative
            # clause an unnamed source has no comma; the words follow it (and a place or
            # nationality that qualifies it: «به گفته مقام‌های تهران»)
            start = head + 1
            qualifier = ctx.mention_at(start)
            if qualifier is not None and qualifier.start == start and qualifier.label_ in ("GPE", "NORP"):
                start = qualifier.end
            return None, self._to_sentence_end(doc, ctx, start)
        if speaker is not None and after < sent.end and doc[after].norm_ in THAT:
            # «به گفته رئیس‌جمهور که در پیامی از اعضا قدردانی کرد، …»: a relative clause
            # about the source ends at its comma
            closing = self._description_end(doc, ctx, after - 1, sent.end, THAT)
            if closing is not None:
                return speaker, self._to_sentence_end(doc, ctx, closing + 1)
        if after < sent.end and doc[after].text in COMMAS:
            apposition = ctx.mention_at(after + 1)
            if apposition is not None and apposition.label_ == "ROLE" and apposition.end < sent.end \
                    and doc[apposition.end].text in COMMAS:
                after = apposition.end
                # «به گفته الهام علی‌اف، رئیس‌جمهور آذربایجان، که میزبان نشست است، …»
                after = self._description_end(doc, ctx, after, sent.end, THAT) or after
            elif speaker is not None and (apposition is None or apposition.start != after + 1):
                # «به گفته عادل عبدالحمید، استاد علوم سیاسی دانشگاه بغداد، …» and «…، که
                # میزبان نشست است، …»: a description of the source between commas
                after = self._description_end(doc, ctx, after, sent.end, THAT | DESCRIPTIONS) or after
            return speaker, self._to_sentence_end(doc, ctx, after + 1)
        comma = next((i for i in range(after, sent.end) if doc[i].text in COMMAS), None)
        if speaker is None or (comma is not None and doc[after].norm_ in PREPOSITIONS):
            # an unnamed source, or a named one with a phrase of its own («به گفته X در
            # نشست خبری، …»), ends at its comma
            return speaker, (self._to_sentence_end(doc, ctx, comma + 1) if comma is not None else None)
        return speaker, self._to_sentence_end(doc, ctx, after)

    @staticmethod
    def _description_end(doc: Doc, ctx: "_Context", at: int, end: int, openers: frozenset) -> Optional[int]:
        """The comma that closes a description of a source whose first word, the next
        after ``at``, is one of ``openers`` (at most ``DESCRIPTION_WORDS`` words, no
        sentence end in between), or None."""
        head = ctx.next_word(at)
        if head is None or head >= end or doc[head].norm_ not in openers:
            return None
        words = 0
        for i in range(head, end):
            if doc[i].text in COMMAS:
                return i if doc[i].text not in CLAUSE_BREAKS else None
            if doc[i].text in SENTENCE_END:
                return None
            words += is_word(doc[i])
            if words > DESCRIPTION_WORDS:
                return None
        return None

    def _source(self, doc: Doc, ctx: "_Context", at: int) -> Optional[Span]:
        """The source named after «به گفته», «به نوشته»: a mention, also after a generic
        noun («به نوشته روزنامه هم‌میهن»); «به نوشته این خبرگزاری» is the news medium
        named last before it (an ANAPHOR span whose id is that medium's)."""
        i = ctx.next_word(at - 1)
        # «به گفته آیت‌الله خامنه‌ای»: a title of respect before the name
        while i is not None and ctx.mention_at(i) is None and doc[i].norm_.replace(ZWNJ, "") in _HONORIFICS:
            i = ctx.next_word(i)
        if i is None:
            return None
        mention = ctx.mention_at(i)
        if mention is not None:
            return mention
        if doc[i].norm_ in MEDIA_NOUNS:
            return ctx.mention_at(i + 1)
        pointed = self._pointed_org(doc, i, i + 2)
        if pointed is not None:
            # «به نوشته این وزارتخانه، …»: the ministry named last
            return Span(doc, i, i + 2, label="ANAPHOR", kb_id=pointed.kb_id_)
        if doc[i].norm_ in DEMONSTRATIVES and i + 1 < len(doc) and doc[i + 1].norm_ in MEDIA_NOUNS:
            noun = doc[i + 1].norm_
            earlier = [e for e in doc.ents if e.end <= i and e.label_ == "ORG" and e.kb_id_]
            named = [e for e in earlier if e[0].norm_ == noun]
            referent = (named or earlier or [None])[-1]
            if referent is not None:
                return Span(doc, i, i + 2, label="ANAPHOR", kb_id=referent.kb_id_)
        return None

    def _speaker_after(self, doc: Doc, ctx: "_Context", cue: Span) -> Optional[Tuple[Span, Optional[Span]]]:
        """«…»، X گفت / «…»؛ این را X گفت → (content, speaker)."""
        i = cue.start - 1
        speaker = None
        steps = 0
        while i >= 0 and steps < AFTER_MAX_WORDS:
            token = doc[i]
            if token.text in CLOSE_QUOTES:
                open_at = ctx.opening_quote(i)
                if open_at is None:
                    return None
                content = ctx.trimmed(open_at + 1, i)
                # the subject between the quotation and the cue: the first mention outside
                # a prepositional phrase («بقائی در پاسخ به پرسش خبرنگار ایرنا افزود»), else
                # the subject of the sentence («X، … را «…» علیه ایران توصیف کرد»)
                speaker = self._first_mention(doc, ctx, i + 1, cue.start, pronouns=True)
                if speaker is not None and self._qualifies_indefinite(doc, i + 1, speaker):
                    # «…»؛ این را یک عضو تیم مذاکره‌کننده ایران گفت: an unnamed source
                    return (content, None) if content is not None else None
                speaker = self._group(doc, ctx, speaker, cue.start) if speaker is not None \
                    else self._subject(doc, ctx, cue)
                return (content, speaker) if content is not None else None
            if token.is_space or token.text in COMMAS or token.norm_ in AFTER_FILLERS or token.text in ("-", "—"):
                i -= 1
                steps += not (token.is_space or token.text in COMMAS)
                continue
            mention = ctx.mention_ending(i + 1)
            if mention is not None:
                speaker = mention if speaker is None else speaker
                i = mention.start - 1
                steps += 1
                continue
            if is_word(token):
                i -= 1
                steps += 1
                continue
            return None
        return None

    @staticmethod
    def _refers_back(doc: Doc, cue: Span) -> bool:
        """«…»؛ میلیبند این جمله را در بیانیه‌ای نوشت که دفترش منتشر کرد: the cue's object
        is the quotation before it («این را», «این جمله را»), so a «که» after the cue opens
        a relative clause, not the words."""
        words = [t.norm_ for t in doc[max(0, cue.start - AFTER_MAX_WORDS):cue.start] if is_word(t)]
        for i, word in enumerate(words):
            if word != "این":
                continue
            rest = words[i + 1:i + 3]
            if rest[:1] == ["را"]:
                between = words[i + 2:]
            elif len(rest) == 2 and rest[0] in BACK_REFERENCES and rest[1] == "را":
                between = words[i + 3:]
            else:
                continue
            # the object of this cue, not of an earlier verb: «… این را نوشت و افزود که …» is not
            return len(between) <= BACK_REFERENCE_WINDOW and "و" not in between
        return False

    # ----- headlines «X: …» ----------------------------------------------------------------
    def _headlines(self, doc: Doc, ctx: "_Context") -> List[Tuple[Span, Span, Span]]:
        """«X: …» at the start of a paragraph (a headline, an interview answer), or right
        after a sentence inside one («… پرسیدیم چرا … . ظریف: …»: the answer after the
        interviewer's question), where the colon follows the name at once; and a title
        whose source does not open with a name («سخنرانی رئیسی در دوما: …»)."""
        found = []
        title = True  # the first paragraph with words: the title, in news
        for start, end in ctx.paragraphs():
            first = ctx.next_word(start - 1) if start > 0 else (0 if not doc[0].is_space else ctx.next_word(0))
            if first is None or first >= end:
                continue
            item = self._colon_quote(doc, ctx, first, end)
            if item is None and title:
                item = self._title_quote(doc, ctx, first, end)
            title = False
            if item is not None:
                found.append(item)
        for sent in ctx.sents:
            # a sentence after another in the same paragraph
            before = word_before(doc, sent.start)
            if before is not None and doc[before].text in SENTENCE_END and ctx.paragraph(before) == ctx.paragraph(sent.start):
                item = self._colon_quote(doc, ctx, ctx.next_word(sent.start - 1), ctx.paragraph_end(sent.start),
                                         inside=True)
                if item is not None:
                    found.append(item)
        return found

    def _colon_quote(self, doc: Doc, ctx: "_Context", first: Optional[int], end: int,
                     inside: bool = False) -> Optional[Tuple[Span, Span, Span]]:
        if first is None or first >= end:
            return None
        if not inside:
            # «توقیف یک کشتی در دریای سرخ؛ یحیی سریع: …»: the speaker follows a semicolon
            # («لاوروف در تهران؛ ظریف: …» too, where the part before it names someone else)
            semicolon = next((i for i in range(first, min(end, first + 25)) if doc[i].text == "؛"), None)
            if semicolon is not None and not any(doc[i].text == ":" for i in range(first, semicolon)):
                after = ctx.next_word(semicolon)
                if ctx.mention_at(first) is None or (after is not None and after < end and ctx.mention_at(after)):
                    first = after
                if first is None or first >= end:
                    return None
        speaker = ctx.mention_at(first)
        if speaker is None or speaker.label_ not in SPEAKER_LABELS:
            return None
        colon = next((i for i in range(speaker.end, min(end, speaker.end + 12)) if doc[i].text == ":"), None)
        if colon is None:
            return None
        at_once = ctx.next_word(speaker.end - 1) == colon
        if inside and (not at_once or speaker.label_ == "GPE"):
            return None
        if speaker.label_ == "GPE" and not at_once:
            return None  # «تهران: …» speaks for the government; «تهران در …: …» does not
        if any(speaker.end <= c.span.start < colon for c in ctx.cues_from(speaker.end, colon) if c.kind != "adverbial"):
            return None  # «X گفت: …» is a verb cue
        if any(doc[i].text in SENTENCE_END for i in range(speaker.end, colon)):
            return None
        if any(doc[i].norm_ == "را" for i in range(speaker.end, colon)):
            return None  # «روحانی لایحه بودجه را به مجلس برد: …»: a clause, not a source
        content = self._colon_content(doc, ctx, colon, end)
        return None if content is None else (speaker, doc[colon:colon + 1], content)

    def _title_quote(self, doc: Doc, ctx: "_Context", first: int,
                     end: int) -> Optional[Tuple[Optional[Span], Span, Span]]:
        """A title «X: …» whose X does not open with a name (the corpus's titles with a
        colon are quotations): «سخنرانی رئیسی در دومای دولتی روسیه: …», «بیانیه هیئت
        دولت: …», «واکنش تهران به …: …». The source is the first name in X that no
        preposition or relation governs («همسر نازنین زاغری» is not Nazanin, «در آستاراخان»
        is a place); a title without one quotes a group («نمایندگان: …», «سران پنج کشور …:
        …») with no source, and any other is no quotation («گام چهارم: …»)."""
        last = max((i for i in range(first, end) if not doc[i].is_space), default=first)
        if any(doc[i].text in SENTENCE_END and not (i == last and doc[i].text in ("؟", "?")) for i in range(first, end)):
            return None  # a paragraph of sentences, not a title (which may end with a question mark)
        colon = next((i for i in range(first, min(end, first + TITLE_WINDOW)) if doc[i].text in COLONS), None)
        if colon is None or any(first <= c.span.start < colon for c in ctx.cues_from(first, colon)):
            return None  # «X گفت: …» is a verb cue
        start = max([i + 1 for i in range(first, colon) if doc[i].text == "؛"], default=first)
        words = [t for t in doc[start:colon] if not t.is_space and not t.is_punct]
        if not words or any(t.norm_ == "را" for t in words):
            return None  # «روحانی لایحه بودجه را به مجلس برد: …» is a clause
        speaker, relation = None, False
        for i in range(start, colon):
            mention = ctx.mention_at(i)
            if mention is None or mention.start != i or mention.label_ == "PRONOUN" or mention.end > colon:
                continue
            before = word_before(doc, i)
            governor = doc[before].norm_ if before is not None and before >= start else None
            relation = governor in TITLE_RELATIONS
            if governor not in TITLE_PREPOSITIONS and not relation and not (
                    mention.label_ == "GPE" and ctx.next_word(mention.end - 1) != colon):
                speaker = mention  # «تهران در آستانه انتخابات: …» is a place, «تهران: …» speaks
            break
        if speaker is None and not relation and words[0].norm_ not in TITLE_GROUPS:
            return None
        content = self._colon_content(doc, ctx, colon, end)
        return None if content is None else (speaker, doc[colon:colon + 1], content)

    def _colon_content(self, doc: Doc, ctx: "_Context", colon: int, end: int) -> Optional[Span]:
        """The words after a source's colon, to the paragraph's end or the semicolon that
        opens the next part of a title."""
        first_content = ctx.next_word(colon)
        if first_content is None or first_content >= end:
            return None
        if doc[first_content].text in OPEN_QUOTES:
            close = ctx.closing_quote(first_content)
            content = ctx.trimmed(first_content + 1, close if close is not None and close < end else end)
        else:
            # «عراقچی: توافق قاهره دیگر معتبر نیست؛ واکنش‌ها به …»: a headline's
            # semicolon opens its next part (an interview answer, in sentences, goes on)
            # («پزشکیان: …؛ رئیس‌جمهور … افزود که …»: so does a clause with its own cue)
            stop = end
            semi = next((i for i in range(first_content, end) if doc[i].text == "؛"), None)
            if semi is not None:
                sent_end = ctx.sentence_of(semi).end
                if not any(doc[i].text in SENTENCE_END for i in range(first_content, end)) or any(
                        semi < c.span.start < sent_end and c.kind != "adverbial"
                        for c in ctx.cues_from(semi + 1, sent_end)):
                    stop = semi
            content = ctx.trimmed(first_content, stop)
        return content

    # ----- speakers ------------------------------------------------------------------------
    def _has_unknown_subject(self, doc: Doc, ctx: "_Context", cue: Span, floor: Optional[int] = None) -> bool:
        """The sentence (or, for a cue inside another speaker's reported clause, that
        clause from ``floor``: «روحانی یادآور شد که برخی نمایندگان به او گفته‌اند …») opens
        with words that are neither a known mention nor an adverbial before the cue: an
        unrecognised subject, so the previous speaker does not continue."""
        start = ctx.sentence_of(cue.start).start
        if floor is not None:
            start = max(start, floor)
        # «ایرنا: برخی کارشناسان می‌گویند …»: after a colon the clause starts anew
        start = max([i + 1 for i in range(start, cue.start) if doc[i].text in COLONS], default=start)
        return self._unknown_subject_at(doc, ctx, start, cue.start)

    @staticmethod
    def _past_opener(doc: Doc, i: int, end: int) -> int:
        """``i`` past an adverbial that opens the clause without a comma («در همین حال»)."""
        words = [j for j in range(i, min(end, i + 8)) if not doc[j].is_space]
        # an opener with a word after it
        opener = _opener([doc[j].norm_ for j in words[:-1]], CLAUSE_OPENERS)
        return words[len(opener)] if opener is not None else i

    @classmethod
    def _clause_head(cls, doc: Doc, i: int, end: int) -> int:
        """The first word of the clause from ``i`` (``end`` if none before it): past spaces,
        punctuation, the fillers of «این را …» and an opening adverbial with or without its
        comma («در همین حال، …»)."""
        while i < end and (doc[i].is_space or doc[i].is_punct or doc[i].norm_ in AFTER_FILLERS):
            i += 1
        i = cls._past_opener(doc, i, end)
        while i < end and (doc[i].is_space or doc[i].is_punct):
            i += 1
        return i

    @classmethod
    def _indefinite_source(cls, doc: Doc, i: int, end: int) -> Optional[int]:
        """The noun of an indefinite source that opens the clause from ``i`` to ``end``
        («مقام» of «یک مقام آگاه …», «از» of «یکی از نمایندگان …», after «این را» or an
        opening adverbial), else None."""
        i = cls._clause_head(doc, i, end)
        if i >= end or doc[i].norm_ not in INDEFINITE:
            return None
        nxt = next((j for j in range(i + 1, end) if not doc[j].is_space), None)
        if nxt is None:
            return None
        noun = doc[nxt].norm_
        if noun in INDEFINITE_SOURCE_NOUNS or (doc[i].norm_ == "یکی" and noun == "از"):
            return nxt
        return None

    @staticmethod
    def _unknown_subject_at(doc: Doc, ctx: "_Context", i: int, end: int) -> bool:
        """The clause from ``i`` to the cue at ``end`` opens with a word that is neither a
        mention nor an adverbial: a source the rules cannot name («یک مقام محلی …»,
        «برخی نمایندگان …»). An opening adverbial phrase closed by a comma («در همین
        حال، …») is skipped first."""
        # «در همین حال یک مقام آگاه … گفت»: an adverbial (with or without its comma), then
        # the source
        i = QuoteFinder._clause_head(doc, i, end)
        if i >= end:
            return False
        before = word_before(doc, i)
        if before is not None and doc[before].norm_ in DEMONSTRATIVES:
            return False  # «این کارشناس گفت»: the source named before
        if doc[i].norm_ in PREPOSITIONS and ctx.mention_starting(i) is None:
            comma = next((j for j in range(i + 1, end) if doc[j].text in COMMAS), None)
            if comma is not None and all(ctx.mention_starting(j) is None for j in range(i, comma)):
                i = comma + 1
                while i < end and (doc[i].is_space or doc[i].is_punct):
                    i += 1
                if i >= end:
                    return False
        return is_word(doc[i]) and ctx.mention_starting(i) is None and doc[i].norm_ not in ZERO_SUBJECT_OPENERS \
            and doc[i].norm_ not in PREPOSITIONS

    def _subject(self, doc: Doc, ctx: "_Context", cue: Span, floor: Optional[int] = None) -> Optional[Span]:
        """The subject of ``cue``: the first mention of its clause. ``floor`` is where the
        reported clause that holds the cue starts, when it is inside another quotation."""
        sent = ctx.sentence_of(cue.start)
        start = sent.start if floor is None else max(sent.start, floor)
        # inside a quotation («عراقچی گفت: گروسی به ما گفت که …») the clause starts after
        # the colon or opening quotation mark
        for i in range(cue.start - 1, sent.start - 1, -1):
            if doc[i].text == ":":
                start = i + 1
                break
            if doc[i].text in OPEN_QUOTES and not ctx.is_closing_quote(i):
                close = ctx.closing_quote(i)
                if close is None or close > cue.start:  # still open at the cue
                    start = i + 1
                    break
        # «…، اما رئیس‌جمهور آمریکا در … نوشت»؛ «…؛ نتانیاهو این را گفت»: a clause after a
        # semicolon or a contrastive conjunction has a subject of its own
        for i in range(cue.start - 1, start, -1):
            if ctx.inside_quotes(i, start):
                continue
            if self._clause_break(doc, ctx, i, start) and not (
                    doc[i].norm_ == "و" and any(doc[j].text in COMMAS for j in range(i + 1, cue.start))):
                subject = self._first_mention(doc, ctx, i + 1, cue.start, pronouns=True)
                if subject is not None:
                    if self._qualifies_indefinite(doc, i + 1, subject):
                        return None
                    return self._group(doc, ctx, subject, cue.start)
                break
        subject = self._first_mention(doc, ctx, start, cue.start, pronouns=True)
        if subject is not None and (self._group_noun_before(doc, start, subject.start)
                                    or self._qualifies_indefinite(doc, start, subject)):
            # «کارشناسان آب استان اصفهان می‌گویند»: the place qualifies an unnamed group;
            # «یک مقام آگاه در وزارت امور خارجه گفت»: the ministry qualifies an unnamed source
            return None
        return self._group(doc, ctx, subject, cue.start) if subject is not None else None

    @classmethod
    def _qualifies_indefinite(cls, doc: Doc, start: int, mention: Span) -> bool:
        """The clause from ``start`` opens with an indefinite source and ``mention`` comes
        after its noun: a name that qualifies the source («یک عضو تیم مذاکره‌کننده
        ایران»), not the speaker (which «یک [نماینده مجلس]» is, the noun's own mention)."""
        noun = cls._indefinite_source(doc, start, mention.end)
        return noun is not None and mention.start > noun

    @staticmethod
    def _group_noun_before(doc: Doc, start: int, mention: int) -> bool:
        """The clause opens with a plural noun of people that the mention qualifies
        («کارشناسان …», «نمایندگان خوزستان», «مقام‌های افغانستان»): no one source."""
        words = [t for t in doc[start:mention] if is_word(t)]
        return bool(words) and words[0].norm_.replace(ZWNJ, "") in GROUP_NOUNS and all(
            not t.is_punct for t in doc[words[0].i:mention])

    @staticmethod
    def _clause_break(doc: Doc, ctx: "_Context", i: int, start: int) -> bool:
        """Token ``i`` opens a clause with a subject of its own: after a semicolon
        («…؛ نتانیاهو گفت»), a contrastive conjunction after a comma («…، اما وزیر گفت»),
        «در حالی که», or «و» after a verb that ends the clause before («… سخن گفت و سعید
        جلیلی تأکید کرد», «… را خواند و وزارت خارجه آمریکا اعلام کرد»)."""
        token = doc[i]
        if token.text in CLAUSE_BREAKS:
            return True
        before = i - 1
        while before > start and doc[before].is_space:
            before -= 1
        if before <= start:
            return False
        if token.norm_ in CONTRAST:
            return doc[before].text in COMMAS
        if token.norm_ in THAT:
            return doc[before].norm_ in WHILE
        if token.norm_ == "و":
            return before + 1 in ctx.cue_ends or doc[before].norm_ in CLAUSE_VERBS
        return False

    def _group(self, doc: Doc, ctx: "_Context", subject: Span, end: int) -> Span:
        """«روسیه و چین اعلام کردند», «دولت‌های انگلیس، فرانسه و آلمان … اعلام کردند»:
        coordinated mentions are several sources, no one speaker (a GROUP span). A joint
        statement of institutions («وزارت امور خارجه و سازمان انرژی اتمی … اعلام کردند»)
        is attributed to the first one."""
        if subject.label_ in ("PRONOUN", "ORG"):
            return subject
        list_end, items, joined = self._list(doc, ctx, subject, end)
        if items > 1 and joined:
            if self._apposition(doc, subject, list_end, end):
                return subject
            return Span(doc, subject.start, list_end, label="GROUP")
        return subject

    @staticmethod
    def _apposition(doc: Doc, person: Span, list_end: int, cue_start: int) -> bool:
        """«جایانتا داناپالا، دیپلمات سریلانکایی و رئیس کنفرانس، … یادآور شد»: titles
        after a name and its comma describe that one person (a singular verb), unlike
        «ظریف، وزیر خارجه ایران و لاوروف، …»."""
        if person.label_ != "PERSON" or person.end >= len(doc) or doc[person.end].text not in ("،", ","):
            return False
        others = [e for e in doc.ents if person.end <= e.start and e.end <= list_end]
        verb = [t.norm_.replace(ZWNJ, "") for t in doc[cue_start:cue_start + 3] if not t.is_space]
        plural = any(w.endswith("ند") for w in verb)
        return bool(others) and all(e.label_ == "ROLE" for e in others) and not plural

    @staticmethod
    def _list(doc: Doc, ctx: "_Context", mention: Span, end: int) -> Tuple[int, int, bool]:
        """Where a list «A، B و C» that starts with ``mention`` ends, its length, and
        whether «و» joins it."""
        j, items, joined = mention.end, 1, False
        while j < end:
            k = j
            while k < end and doc[k].is_space:
                k += 1
            if k >= end or not (doc[k].text in ("،", ",") or doc[k].norm_ == "و"):
                break
            following = ctx.mention_at(k + 1)
            if following is None or following.label_ not in SPEAKER_LABELS or following.end > end:
                break
            joined = joined or doc[k].norm_ == "و"
            items += 1
            j = following.end
        return j, items, joined

    @staticmethod
    def _continues(doc: Doc, pronoun: Span) -> bool:
        """A continuation phrase right after the pronoun («وی در ادامه افزود»)."""
        words = [t.norm_ for t in doc[pronoun.end:pronoun.end + 4] if not t.is_space]
        return _opens_with(words, CONTINUATIONS)

    def _antecedent(self, doc: Doc, ctx: "_Context", pronoun: Span,
                    speaker_by_sentence: Dict[int, Tuple[str, bool]]) -> Optional[str]:
        """The referent of a pronoun speaker: the speaker of a quotation cued earlier in
        its own sentence («X تاکید کرد که …؛ وی گفت»), else the subject before it in its
        sentence, else the one person named before it in the sentence; else, walking back
        sentence by sentence, the speaker of a quotation cued in that sentence, else its
        subject, else the one person it names («بی‌بی‌سی فایلی از آقای اکبری منتشر کرد.
        او در این فایل گفته بود»). «وی», «او», «ایشان» stand for a person; «آنها» may stand
        for an organisation or a country too. None: nothing found; "": a person the
        knowledge base does not know."""
        plural = pronoun[0].norm_ in PLURAL_PRONOUNS

        def fits(mention: Optional[Span]) -> bool:
            if mention is None:
                return False
            if plural:  # «به گفته آنها»: a group of people is nobody; an organisation is itself
                return mention.label_ in SPEAKER_LABELS and mention.label_ not in ("PERSON", "ROLE") \
                    and bool(mention.kb_id_)
            return mention.label_ in ("PERSON", "ROLE")

        def in_sentence(start: int, end: int) -> Optional[str]:
            question = any(doc[k].norm_ in QUESTION_NOUNS for k in range(start, end))
            subject = None if question else self._first_mention(doc, ctx, start, end)
            if fits(subject):
                return subject.kb_id_
            if plural:
                return None
            if question or any(doc[k].norm_.startswith(ASK) for k in range(start, end)):
                # an interviewer's question: the one asked («از چاوز پرسید») answers, not
                # the people the question is about («پرسیدیم نگاه فهرست امید به لاریجانی چیست»)
                for k in range(start, end - 1):
                    asked = ctx.mention_at(k + 1) if doc[k].norm_ == "از" else None
                    if asked is not None and asked.label_ in ("PERSON", "ROLE"):
                        return asked.kb_id_ or ""
                return None
            people = set()
            i = start
            while i < end:
                quote = ctx.enclosing_quote(i)
                if quote is not None and quote[0] == i and quote[1] < end:
                    i = quote[1] + 1
                    continue
                mention = ctx.mention_at(i)
                if mention is not None and mention.start == i and mention.end <= end:
                    if mention.label_ in ("PERSON", "ROLE"):
                        people.add(mention.kb_id_ or mention.text)
                    i = mention.end
                    continue
                i += 1
            if len(people) == 1:
                (person,) = people
                return person if self._is_kb_id(doc, person) else ""
            return None

        sent = ctx.sentence_of(pronoun.start)
        entry = speaker_by_sentence.get(sent.start)
        if entry is not None and entry[1] != plural:
            return entry[0]
        # a sentence that starts inside a quotation («… این همان نگرانی ماست.»؛ او گفت):
        # the subject comes after the quotation
        quote = ctx.enclosing_quote(sent.start)
        start = quote[1] + 1 if quote is not None and quote[1] < pronoun.start else sent.start
        found = in_sentence(start, pronoun.start)
        if found is not None:
            return found
        # sentences of quoted speech are skipped: their names are not the text's subjects
        earlier_sents: List[Span] = []
        k = ctx.sentences_before_count(sent.start)
        while k > 0 and len(earlier_sents) < 4:
            k -= 1
            s = ctx.sents[k]
            if not (ctx.enclosing_quote(s.start) and ctx.enclosing_quote(s.end - 1)):
                earlier_sents.append(s)
        for earlier in earlier_sents:  # nearest first
            entry = speaker_by_sentence.get(earlier.start)
            if entry is not None and entry[1] != plural:
                return entry[0]
            found = in_sentence(earlier.start, earlier.end)
            if found is not None:
                return found
        return None

    @staticmethod
    def _is_kb_id(doc: Doc, value: str) -> bool:
        return any(ent.kb_id_ == value for ent in doc.ents)

    def _first_mention(self, doc: Doc, ctx: "_Context", start: int, end: int, pronouns: bool = False) -> Optional[Span]:
        """The first mention between ``start`` and ``end`` that is not inside a
        prepositional or adverbial phrase (which lasts until a comma or colon) nor inside
        a quotation («اسرائیل …»، نتانیاهو گفت: the words in «» are not the subject): the
        subject of the clause, often not the nearest name to the verb."""
        in_phrase = False
        # «در همین حال یک مقام آگاه … گفت»: an opening adverbial without its comma is not
        # a phrase that lasts until the next comma
        i = self._past_opener(doc, start, end)
        while i < end:
            token = doc[i]
            if token.is_space:
                i += 1
                continue
            if token.text in OPEN_QUOTES:
                close = ctx.closing_quote(i)
                if close is not None and close < end:
                    i = close + 1
                    continue
            if token.text in COMMAS or token.text == ":":
                # «پس از تصویب قطعنامه آمریکا، انگلیس، فرانسه و آلمان در …، اسلامی گفت»:
                # a list that continues a name of the phrase stays in the phrase
                following = ctx.mention_at(i + 1) if in_phrase and ctx.mention_ending(i) is not None else None
                if following is not None and following.end <= end:
                    list_end, items, joined = self._list(doc, ctx, following, end)
                    if joined:
                        i = list_end
                        continue
                in_phrase = False
                i += 1
                continue
            if token.norm_ in PHRASE_ENDS:
                in_phrase = False  # «درباره مذاکرات وین نیز سخنگو گفت»
                i += 1
                continue
            mention = ctx.mention_at(i)
            if mention is not None and (pronouns or mention.label_ != "PRONOUN") and mention.end <= end:
                if not in_phrase:
                    return mention
                i = mention.end
                continue
            if token.norm_ in PREPOSITIONS and not (i > start and doc[i - 1].norm_ in DEMONSTRATIVES):
                # «این واکنش آذر منصوری بود که …نوشت»: after a demonstrative, «واکنش» is a
                # noun, not the head of a prepositional phrase
                in_phrase = True
            i += 1
        return None

    @staticmethod
    def _speaker_kb(ctx: "_Context", speaker: Optional[Span], previous: Optional[str], passive: bool,
                    inherit: bool) -> Optional[str]:
        """The id of a written speaker; a cue without one continues ``previous``."""
        if passive:
            return None
        if speaker is None:
            return previous if inherit else None
        if not speaker.kb_id_ and speaker.label_ != "ROLE":
            # a name the linker could not resolve, with its title in apposition: «شکیب خلیل،
            # وزیر انرژی الجزایر، …» is the title's holder
            if speaker.end < len(speaker.doc) and speaker.doc[speaker.end].text in COMMAS:
                title = ctx.mention_starting(speaker.end + 1)
                if title is not None and title.label_ == "ROLE" and title.kb_id_:
                    return title.kb_id_
        return speaker.kb_id_ or None


class _Context:
    """Indexes of a Doc the rules need: sentences, paragraphs, mentions, quote marks."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self._sent_of: List[int] = [0] * len(doc)
        self.sents = list(doc.sents) if doc.has_annotation("SENT_START") else [doc[:]]
        for n, sent in enumerate(self.sents):
            for i in range(sent.start, sent.end):
                self._sent_of[i] = n
        self._para_of: List[int] = []
        self._paras: List[Tuple[int, int]] = []
        start = 0
        for token in doc:
            if "\n" in token.text or "\n" in token.whitespace_:
                end = token.i if "\n" in token.text else token.i + 1
                self._paras.append((start, end))
                start = token.i + 1
        self._paras.append((start, len(doc)))
        self._para_index = [0] * len(doc)
        for n, (s, e) in enumerate(self._paras):
            for i in range(s, min(e + 1, len(doc))):
                self._para_index[i] = n
        self._mention_start: Dict[int, Span] = {}
        self._mention_end: Dict[int, Span] = {}
        for ent in doc.ents:
            if ent.label_ in SPEAKER_LABELS:
                self._mention_start[ent.start] = ent
                self._mention_end[ent.end] = ent
        taken = set()
        for ent in doc.ents:
            taken.update(range(ent.start, ent.end))
        for token in doc:
            if token.norm_ in PRONOUNS and token.i not in taken:
                span = Span(doc, token.i, token.i + 1, label="PRONOUN")
                self._mention_start[token.i] = span
                self._mention_end[token.i + 1] = span
        self._quote_pairs = self._pair_quotes()
        self._quote_closers = set(self._quote_pairs.values())
        self._quote_openers: Dict[int, int] = {}
        # the pairs of marks around each token (marks included), in the order they were
        # paired: the lookups below read the token's own list instead of every pair
        self._quotes_at: Dict[int, List[Tuple[int, int]]] = defaultdict(list)
        for o, c in self._quote_pairs.items():
            self._quote_openers.setdefault(c, o)
            for i in range(o, c + 1):
                self._quotes_at[i].append((o, c))
        self._sent_starts = [sent.start for sent in self.sents]
        self.cues: Sequence[Cue] = ()
        self._cue_starts: List[int] = []
        self.cue_ends: Set[int] = set()

    def set_cues(self, cues: Sequence[Cue]) -> None:
        """The document's cues, in text order (``QuoteFinder._cues``)."""
        self.cues = cues
        self._cue_starts = [c.span.start for c in cues]
        self.cue_ends = {c.span.end for c in cues}

    @cached_property
    def _starts(self) -> List[int]:
        # built on the first nested cue only, not for every document
        return [token.idx for token in self.doc]

    def token_at(self, char: int) -> int:
        """The index of the token that holds character offset ``char``."""
        return bisect_right(self._starts, char) - 1

    def _pair_quotes(self) -> Dict[int, int]:
        pairs: Dict[int, int] = {}
        stack: List[int] = []
        straight_open: Optional[int] = None
        para = None
        for token in self.doc:
            if self.paragraph(token.i) != para:
                stack, straight_open, para = [], None, self.paragraph(token.i)
            if token.text in ("«", "“"):
                stack.append(token.i)
            elif token.text in ("»", "”") and stack:
                pairs[stack.pop()] = token.i
            elif token.text == '"':
                if straight_open is None:
                    straight_open = token.i
                else:
                    pairs[straight_open] = token.i
                    straight_open = None
        return pairs

    def closing_quote(self, open_at: int) -> Optional[int]:
        return self._quote_pairs.get(open_at)

    def opening_quote(self, close_at: int) -> Optional[int]:
        return self._quote_openers.get(close_at)

    def is_closing_quote(self, i: int) -> bool:
        """A closing mark of a pair (a straight «"» closes as often as it opens)."""
        return i in self._quote_closers

    def enclosing_quote(self, i: int) -> Optional[Tuple[int, int]]:
        """The (opening, closing) quotation marks around token ``i`` (marks included)."""
        pairs = self._quotes_at.get(i)
        return pairs[0] if pairs else None

    def inside_quotes(self, i: int, after: int) -> bool:
        return any(o >= after and o < i < c for o, c in self._quotes_at.get(i, ()))

    def sentence_index(self, i: int) -> int:
        return self._sent_of[min(max(i, 0), len(self.doc) - 1)]

    def sentences_before(self, start: int, n: Optional[int] = None) -> List[Span]:
        """The sentences (the last ``n`` of them) that start before token ``start``, in
        text order."""
        k = self.sentences_before_count(start)
        return self.sents[max(0, k - n) if n is not None else 0:k]

    def sentences_before_count(self, start: int) -> int:
        return bisect_left(self._sent_starts, start)

    def sentences_between(self, first: int, end: int) -> List[Span]:
        """The sentences that start after token ``first`` and before ``end``."""
        return self.sents[bisect_right(self._sent_starts, first):bisect_left(self._sent_starts, end)]

    def cues_from(self, lo: int, hi: int) -> Sequence[Cue]:
        """The cues that start at a token in [lo, hi), in text order: a look at the cues
        around a place, not at every cue of the document."""
        return self.cues[bisect_left(self._cue_starts, lo):bisect_left(self._cue_starts, hi)]

    def sentence_of(self, i: int) -> Span:
        return self.sents[self._sent_of[min(i, len(self.doc) - 1)]]

    def paragraph(self, i: int) -> int:
        return self._para_index[min(max(i, 0), len(self.doc) - 1)]

    def paragraphs(self) -> List[Tuple[int, int]]:
        return self._paras

    def paragraph_end(self, i: int) -> int:
        return self._paras[self.paragraph(i)][1]

    def next_word(self, i: int) -> Optional[int]:
        return word_after(self.doc, i + 1 if i >= 0 else 0)

    def mention_at(self, i: int) -> Optional[Span]:
        j = word_after(self.doc, i)
        return None if j is None else self._mention_start.get(j)

    def mention_starting(self, start: int) -> Optional[Span]:
        return self._mention_start.get(start)

    def mention_ending(self, end: int) -> Optional[Span]:
        return self._mention_end.get(end)

    def first_mention(self, start: int, end: int) -> Optional[Span]:
        for i in range(start, end):
            mention = self._mention_start.get(i)
            if mention is not None and mention.end <= end:
                return mention
        return None

    def trimmed(self, start: int, end: int) -> Optional[Span]:
        doc = self.doc
        while start < end and (doc[start].is_space or doc[start].text in COMMAS):
            start += 1
        while end > start and doc[end - 1].is_space:
            end -= 1
        if end <= start:
            return None
        return doc[start:end]
