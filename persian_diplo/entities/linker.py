"""``diplo_linker``: every entity gets ``ent.kb_id_`` and ``ent._.entity``.

Resolution, in order:

* a person named earlier in the document whose name ends with this one («کلینتون»
  after «هیلاری کلینتون», «سودانی» after «محمد شیاع السودانی»): the document's context
  wins over a global reading of the surname;
* a name or alias of one knowledge-base record (any spelling, without honorifics:
  «سید ابراهیم رئیسی», «سیدعباس موسوی», «سردار قاسم رضایی»; a hyphen read as a ZWNJ)
  → that record;
* several records share the name → the one already mentioned in the document, else a
  person holding an office on the document's date, else the documented preference;
* a ROLE → the holder of its office on the document's date: «رئیس‌جمهور روسیه» in
  2020 → ``vladimir_putin``; a bare title («رئیس‌جمهور», «وزیر امور خارجه») → the person
  mentioned earlier in the document who holds that office (where nobody holding the
  Iranian office is named, one holding it abroad named earlier in the paragraph), else
  the holder of the Iranian office the bare title means in Iranian news; «سفیر ایران در
  روسیه», «نماینده مردم تبریز در مجلس» use the host country and constituency; a
  demonym names the country («وزیر خارجه سعودی»); «جدید» and «منتخب» name the holder
  who just took office or is about to, «سابق» only one named earlier; «وزیر X» is the
  minister of the ORG «وزارت X»; an office that ends on the date is still held that
  day; «یک نماینده», «یکی از …» are unnamed holders (no id);
* a surname alone that neither the document nor the knowledge base's names resolve →
  the one person of the knowledge base with that surname holding an office on the date;
* an ORG «روابط عمومی X», «دفتر سیاسی X» → the organisation X; a mention the model
  tagged ORG, GPE or LOC that only a person is named by → that person (and the label
  PERSON).

The document's date is ``doc._.date`` (ISO 8601), else the component's
``default_date``, else today. ``ent.kb_id_`` is empty where nothing is known.
"""
from __future__ import annotations

import datetime as _dt
from collections import OrderedDict, defaultdict
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple, Union

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from .. import extensions
from ..serialize import MsgpackState
from ..kb.base import HONORIFICS, KnowledgeBase, parse_date
from ..quotes.finder import DEMONSTRATIVES
from .gazetteer import norm_tokenizer
from .titles import (GOVERNMENT, REGIME_MODIFIERS, REGIME_WORDS, RoleParse, Title, TitleTable, load_titles,
                     title_from_dict, title_to_dict)

#: Labels a mention may be linked across when the knowledge base files the name under
#: another label: a city named for its government (GPE/ORG), a region (GPE/LOC).
#: A PERSON is never linked to a place that shares its name («سودانی» is not Sudan).
COMPATIBLE = {"GPE": ("LOC", "ORG"), "LOC": ("GPE",), "ORG": ("GPE",), "EVENT": ("AGREEMENT",),
              "AGREEMENT": ("EVENT",), "ROLE": ("PERSON",)}

#: Words before a name that are not part of it: «سید», religious and military ranks
#: («امیر» for the army's generals and a Gulf ruler: «امیر کیومرث حیدری», «امیر تمیم»),
#: «آقای», and «العظمی» of «آیت‌الله العظمی» (a span that lost the «آیت‌الله»: «العظمی مکارم
#: شیرازی»). «سید ابراهیم رئیسی», «سردار قاسم رضایی» are looked up without them (after the
#: name as written: «امیر حاتمی» is a name).
NAME_HONORIFICS = HONORIFICS | frozenset({"سیده", "حجت‌الاسلام‌والمسلمین", "سردار", "سرهنگ", "سپهبد",
                                          "ارتشبد", "امیر", "دریابان", "دریاسالار", "ژنرال", "آقای", "خانم",
                                          "آیت‌الله‌العظمی", "العظمی"})
#: «سیدعباس موسوی»: «سید» written joined to the first name
JOINED_PREFIXES = ("سید",)
#: Modifiers of a title that do not change the office: «نخست‌وزیر جدید عراق»,
#: «رئیس‌جمهور منتخب», «وزیر خارجه وقت»; NEW also accepts the holder about to take office,
#: FORMER only a holder mentioned earlier in the document.
#: generic heads of organisation names: «سخنگوی شورا», «دبیر مجمع», «رئیس کمیته» name
#: the holder at the organisation of that kind named earlier in the document
ORG_HEADS = frozenset({"شورا", "مجمع", "کمیته", "کنفرانس", "سازمان", "آژانس", "کمیسیون", "ستاد", "بنیاد",
                       "اتحادیه", "جبهه", "حزب", "دیوان", "مجلس", "نهاد", "انجمن", "اتاق", "بانک", "شرکت"})
#: «our country» as a title's qualifier: Iran, in the Iranian news the library reads
OUR_COUNTRY = frozenset({("کشورمان",), ("کشور", "ما"), ("کشور", "عزیزمان")})
NEW_MODIFIERS = frozenset({"جدید", "تازه", "نو"})
ELECT_MODIFIERS = frozenset({"منتخب"})
FORMER_MODIFIERS = frozenset({"سابق", "پیشین", "اسبق", "قبلی"})
TITLE_MODIFIERS = NEW_MODIFIERS | ELECT_MODIFIERS | FORMER_MODIFIERS | frozenset({"کنونی", "فعلی", "وقت", "موقت"})
#: «یک نماینده مجلس», «یکی از معاونان وزیر»: an unnamed holder, not a person to link
INDEFINITE = frozenset({"یک", "یکی"})
#: members of a large body: «نماینده», «نماینده مجلس» without a constituency is one of
#: 290 members, unnamed, unless a demonstrative points back to one named in the paragraph
#: («این نماینده»)
MEMBER_ROLES = frozenset({"member_of_parliament"})
#: offices held in a host country: «سفیر روسیه» with no «در …» is the ambassador in the
#: country the article speaks of
HOSTED_ROLES = frozenset({"ambassador"})
#: the offices a country's «رهبر» (leader) may hold when it has no supreme leader: «رهبر
#: چین» after «شی جین‌پینگ، رئیس‌جمهور چین» is Xi, «رهبر کرملین» Putin
LEADER_ROLES = frozenset({"president", "prime_minister", "chancellor", "king", "emir", "sultan", "supreme_leader"})
#: the title roles of «رهبر» alone (leader of a party, a movement or a supreme-leader state)
LEADER_TITLE = frozenset({"party_leader", "secretary_general", "faction_leader", "supreme_leader"})
#: envoys a title may name loosely: «سفیر فرانسه» for France's representative at the UN
ENVOY_ROLES = frozenset({"ambassador", "permanent_representative", "special_envoy"})
#: days ahead in which an elected or newly named holder is looked for («رئیس‌جمهور منتخب»)
INCOMING_DAYS = (7, 30, 60, 90, 180)
#: a holder who took office fewer days ago than this is «جدید»
RECENT_DAYS = 365
#: «وزیر راه و شهرسازی» is the «minister» of the ORG «وزارت راه و شهرسازی»
MINISTER_WORD, MINISTRY_WORD = "وزیر", "وزارت"

#: Labels under which the model sometimes tags a person's name: such a mention that
#: names nothing of its label is linked to the person of that name
MISTAKEN_FOR_PERSON = ("ORG", "GPE", "LOC")
#: Units that speak for the organisation named after them (normal forms)
ORG_UNITS = ("روابط عمومی", "دفتر سیاسی", "دبیرخانه")

#: Letters that two transliterations of one foreign name exchange («ژوزپ»/«جوزپ»,
#: «رامافوسا»/«رامافوزا»); long vowels inside a word come and go too («نولند»/«نولاند»)
_TRANSLIT = str.maketrans({"ژ": "ج", "ز": "س", "ص": "س", "ث": "س", "ذ": "س", "ض": "س", "ظ": "س",
                           "ط": "ت", "ح": "ه", "غ": "ق", "ئ": "ی", "أ": "ا", "إ": "ا", "آ": "ا",
                           "ؤ": "و", "ء": None, "\u200c": None, "-": None})
_LONG_VOWELS = frozenset("اوی")
#: a word at least this frequent in the normaliser's lexicon is a Persian word or name,
#: which has one spelling: «محمود» is not a variant of «محمد»
KNOWN_WORD_FREQ = 1000


def ezafe_of(word: str, written: str) -> bool:
    """Whether ``written`` is ``word`` or its ezafe form before a complement («شورا» →
    «شورای», «سخنگو» → «سخنگوی»)."""
    return written in (word, word + "ی", word + "\u200cی")


def _ezafe_bases(written: str) -> Tuple[str, ...]:
    """The words ``written`` may be the form of: ``ezafe_of(word, written)`` for each."""
    bases = [written]
    if written.endswith("ی"):
        bases.append(written[:-1])
    if written.endswith("\u200cی"):
        bases.append(written[:-2])
    return tuple(bases)


def transliteration_key(word: str) -> str:
    """The letters two spellings of one foreign name share: «نولاند», «نولند» → «نلند»."""
    word = (word[2:] if word.startswith("ال") and len(word) > 4 else word).translate(_TRANSLIT)
    return word[:1] + "".join(ch for ch in word[1:] if ch not in _LONG_VOWELS)


#: the linker of each pipeline (by vocab), whose knowledge base the ``ent._.entity``
#: getter reads
_KB_BY_VOCAB: Dict[int, "EntityLinker"] = {}


def kb_for(doc: Doc) -> KnowledgeBase:
    linker = _KB_BY_VOCAB.get(id(doc.vocab))
    return linker.kb if linker is not None else KnowledgeBase.default()


class _People:
    """The distinct people (id, name words without the Arabic article) of mentions added
    one at a time; ``recent_first`` lists them by their latest mention, most recent first,
    which is the order in which ``EntityLinker._surname`` tries them. A person mentioned
    again moves to the front: the same answer as scanning every earlier mention, nearest
    first, in time proportional to the number of distinct people."""

    def __init__(self, linker: "EntityLinker"):
        self._linker = linker
        self._order: "OrderedDict[Tuple[str, Tuple[str, ...]], None]" = OrderedDict()

    def add(self, span: Span, kb_id: str) -> None:
        if span.label_ != "PERSON" or not kb_id:
            return
        key = (kb_id, tuple(self._linker._bare(n) for n in self._linker._name_norms(span)))
        self._order.pop(key, None)
        self._order[key] = None

    def recent_first(self) -> List[Tuple[str, List[str]]]:
        return [(kb_id, list(words)) for kb_id, words in reversed(self._order)]


class _History:
    """What the linker has read of a document so far, indexed as the list of (mention,
    id) grows: its distinct people (``_People``) and the place of each id's last mention.
    Reading only the new end of the list keeps a long document linear."""

    def __init__(self, linker: "EntityLinker"):
        self.people = _People(linker)
        self.last: Dict[str, int] = {}
        self.seen = 0

    def read(self, history: Sequence[Tuple[Span, str]]) -> "_History":
        for n in range(self.seen, len(history)):
            span, kb_id = history[n]
            self.people.add(span, kb_id)
            if kb_id:
                self.last[kb_id] = n
        self.seen = len(history)
        return self


def _entity_getter(span: Span) -> Optional[Dict[str, Any]]:
    return kb_for(span.doc).get(span.kb_id_) if span.kb_id_ else None


extensions.register(Span, "entity", getter=_entity_getter)


class EntityLinker(MsgpackState):
    state_file = "kb.msgpack"

    def __init__(self, nlp: Language, name: str = "diplo_linker", *, default_date: Optional[str] = None,
                 kb: Optional[KnowledgeBase] = None, titles: Optional[Sequence[Title]] = None):
        if default_date is not None:
            parse_date(default_date)  # validates
        self.nlp = nlp
        self.name = name
        self.default_date = default_date
        # the package's knowledge base is read on first use: a pipeline loaded from disk
        # replaces it with the one it saved, so reading it first would waste a second
        self._kb: Optional[KnowledgeBase] = kb
        self.titles = list(titles) if titles is not None else load_titles()
        self._table: Optional[TitleTable] = None
        self._surname_index: Optional[Dict[str, List[str]]] = None
        self._surname_kb: Optional[KnowledgeBase] = None
        self._honorific_norms: Optional[frozenset] = None
        self._first_name_index: Dict[str, List[str]] = {}
        self._translit_index: Dict[Tuple[str, ...], List[Tuple[str, Tuple[str, ...]]]] = {}
        # the history list being linked and its index (_indexed)
        self._history_index: Optional[Tuple[Sequence[Tuple[Span, str]], _History]] = None
        _KB_BY_VOCAB[id(nlp.vocab)] = self

    @property
    def kb(self) -> KnowledgeBase:
        if self._kb is None:
            self._kb = KnowledgeBase.default()
        return self._kb

    @kb.setter
    def kb(self, value: KnowledgeBase) -> None:
        self._kb = value

    @property
    def table(self) -> TitleTable:
        if self._table is None:
            self._table = TitleTable(self.titles, norm_tokenizer(self.nlp))
        return self._table

    def add_kb_file(self, path: Union[str, Path]) -> List[Dict[str, Any]]:
        """Add the entities of a JSONL file to the knowledge base (and to the gazetteer
        of the same pipeline, if there is one). Returns the added records."""
        before = set(r["id"] for r in self.kb)
        if self.kb is KnowledgeBase.default():
            self.kb = KnowledgeBase.from_dict(self.kb.to_dict())
        self.kb.add_files([path])
        self._surname_index = None
        added = [r for r in self.kb if r["id"] not in before]
        for name, proc in self.nlp.pipeline:
            if hasattr(proc, "add_entities"):
                proc.add_entities(self.kb, added)
        return added

    # ----- linking ---------------------------------------------------------------------
    def doc_date(self, doc: Doc) -> _dt.date:
        value = doc._.date or self.default_date
        if value:
            try:
                return parse_date(value)  # type: ignore[return-value]
            except ValueError:
                raise ValueError(f"doc._.date {value!r} is not an ISO 8601 date (YYYY-MM-DD)") from None
        return _dt.date.today()

    def __call__(self, doc: Doc) -> Doc:
        if not doc.ents:
            return doc
        date = self.doc_date(doc)
        history: List[Tuple[Span, str]] = []
        linked = []
        try:
            for ent in doc.ents:
                kb_id = self.link(ent, date, history) or ""
                label = ent.label_
                if label in MISTAKEN_FOR_PERSON and kb_id and (self.kb.get(kb_id) or {}).get("label") == "PERSON":
                    label = "PERSON"  # the knowledge base knows the name as a person's only
                linked.append(Span(doc, ent.start, ent.end, label=label, kb_id=kb_id))
                history.append((ent, kb_id))
        finally:
            self._history_index = None
        doc.ents = self._repeated_titles(self._later_names(self._appositives(doc, linked), date))
        return doc

    def _repeated_titles(self, ents: List[Span]) -> List[Span]:
        """A title of two or more words that repeats, whole or cut short, one that an
        earlier mention resolved («جایانتا داناپالا، رئیس کنفرانس بازنگری …» … «رئیس
        کنفرانس»; «سخنگوی ائتلاف سعودی» … «سخنگوی ائتلاف»): the same person, where the
        knowledge base names nobody. Not an indefinite or a bare member («یک دیپلمات
        اروپایی», «نماینده مجلس»)."""
        # the resolved titles so far, by the words their first two words may be written
        # for (ezafe_of): a title looks only at those that can match it
        resolved: Dict[Tuple[str, str], List[Tuple[List[str], str]]] = defaultdict(list)
        for n, span in enumerate(ents):
            if span.label_ != "ROLE":
                continue
            words = self._role_norms(span)
            if len(words) < 2:
                continue
            if not span.kb_id_ and not self._indefinite(span):
                parse = self.table.parse(words)
                if parse is None or not set(parse.title.roles) <= MEMBER_ROLES:
                    for before, kb_id in reversed(resolved.get((words[0], words[1]), ())):
                        if len(before) >= len(words) and all(ezafe_of(w, b) for w, b in zip(words, before)):
                            ents[n] = span = Span(span.doc, span.start, span.end, label=span.label, kb_id=kb_id)
                            break
            if span.kb_id_:
                for key in {(a, b) for a in _ezafe_bases(words[0]) for b in _ezafe_bases(words[1])}:
                    resolved[key].append((words, span.kb_id_))
        return ents

    def _later_names(self, ents: List[Span], date: _dt.date) -> List[Span]:
        """A surname written before the full name («متکی: …» in a headline, «منوچهر متکی»
        in the text): the document's full name wins over the knowledge base's reading of
        the surname alone; else a person of the knowledge base with that surname."""
        single = [n for n, span in enumerate(ents) if span.label_ == "PERSON" and len(self._name_norms(span)) == 1]
        if not single:
            return ents
        # the people after each single name, nearest first (read from the end, as the
        # entities were before this pass changed any of them)
        after: Dict[int, List[Tuple[str, List[str]]]] = {}
        later = _People(self)
        wanted = set(single)
        for n in range(len(ents) - 1, -1, -1):
            if n in wanted:
                after[n] = later.recent_first()
            later.add(ents[n], ents[n].kb_id_)
        earlier = _People(self)
        for n, span in enumerate(ents):
            if n in wanted and not (span.kb_id_ and self._surname(span, earlier.recent_first(), date)):
                # (a name an earlier full name resolved stays as it is)
                kb_id = self._surname(span, after[n], date) or span.kb_id_ or self._kb_surname(span, date)
                if kb_id and kb_id != span.kb_id_:
                    ents[n] = span = Span(span.doc, span.start, span.end, label=span.label, kb_id=kb_id)
            earlier.add(span, span.kb_id_)
        return ents

    def _appositives(self, doc: Doc, ents: List[Span]) -> List[Span]:
        """«الکساندر دکرو، نخست‌وزیر بلژیک»: a PERSON and the ROLE in apposition after it
        name the same person: a person the knowledge base does not know takes the id the
        ROLE resolved to, and a ROLE after a known person takes the person's."""
        for n in range(len(ents) - 1):
            person, role = ents[n], ents[n + 1]
            if person.label_ != "PERSON" or role.label_ != "ROLE":
                continue
            between = [t for t in doc[person.end:role.start] if not t.is_space]
            if len(between) != 1 or between[0].text not in ("،", ","):
                continue
            if not person.kb_id_ and role.kb_id_:
                ents[n] = Span(doc, person.start, person.end, label=person.label, kb_id=role.kb_id)
            elif person.kb_id_ and role.kb_id_ != person.kb_id_:
                # the title in apposition is the person's, whatever it names read alone
                # («فرانسوا دلاتر، سفیر فرانسه» is France's envoy at the UN, not its
                # ambassador in Tehran; «ژوزف عون، فرمانده ارتش» is Lebanon's commander;
                # «بریت رایس-آندرسن، رئیس کمیته نوبل نروژ» holds an office the KB lacks):
                # 2,134 of the 2,135 such pairs of the train and dev splits
                ents[n + 1] = Span(doc, role.start, role.end, label=role.label, kb_id=person.kb_id)
        return ents

    def pipe(self, stream: Iterable[Doc], batch_size: int = 128) -> Iterable[Doc]:
        for doc in stream:
            yield self(doc)

    def link(self, ent: Span, date: _dt.date, history: Sequence[Tuple[Span, str]] = ()) -> Optional[str]:
        """The knowledge-base id of one entity mention, or None."""
        if ent.label_ == "ROLE":
            if self._indefinite(ent):
                return None
            found = self.link_role(ent, date, history)
            if found is None and self.parse_role(ent) is None:
                found = self._link_name(ent, "PERSON", date, history)  # a name the model tagged ROLE
            return found
        found = self._link_name(ent, ent.label_, date, history)
        if found is None and ent.label_ == "PERSON" and self.parse_role(ent) is not None:
            found = self.link_role(ent, date, history)  # a title the model tagged PERSON («سفیر:»)
        if found is None and ent.label_ in MISTAKEN_FOR_PERSON:
            # a person's name the model tagged ORG or GPE («اسماعیلی افزود»): nothing of the
            # span's own label has the name, a person does
            found = self._link_name(ent, "PERSON", date, history)
        return found

    def _link_name(self, ent: Span, label: str, date: _dt.date, history: Sequence[Tuple[Span, str]]) -> Optional[str]:
        if label == "PERSON":
            # the document's context wins over a global reading: «کلینتون» after «هیلاری کلینتون»
            found = self._surname(ent, self._indexed(history).people.recent_first(), date)
            if found:
                return found
        if ent.kb_id_ and ent.kb_id_ in self.kb:
            return ent.kb_id_
        for text in self._name_variants(ent):
            candidates = self.kb.lookup(text, label) or [
                r for r in self.kb.lookup(text) if r["label"] in COMPATIBLE.get(label, ())]
            ids = list(dict.fromkeys(r["id"] for r in candidates))
            if len(ids) == 1:
                return ids[0]
            if ids:
                return self._choose(ids, ent, date, history)
        if label == "ORG":
            return self._inner_org(ent) or self._short_org(ent, history)
        if label == "PERSON":
            return self._transliterated(ent, date)
        return None

    def _short_org(self, ent: Span, history: Sequence[Tuple[Span, str]]) -> Optional[str]:
        """An organisation named by its head noun alone after its full name: «اتحادیه»
        after «اتحادیه اروپا», «مجمع» after «مجمع تشخیص مصلحت نظام», «دیوان» after
        «دیوان بین‌المللی دادگستری»."""
        norms = [t.norm_ for t in ent if not t.is_space]
        if len(norms) != 1 or norms[0] not in ORG_HEADS:
            return None
        return self._named_org(norms[0], history)

    def _transliterated(self, ent: Span, date: _dt.date) -> Optional[str]:
        """A foreign name in another transliteration than the knowledge base's: «ژوزپ
        بورل» is «جوزپ بورل», «ویکتوریا نولند» is «ویکتوریا نولاند». Every word of the
        mention is the knowledge-base name's word, or a word the lexicon does not know
        as Persian that differs from it only in letters transliterations exchange; one
        person (or one holding an office on the date) must fit."""
        norms = self._name_norms(ent)
        if len(norms) < 2:
            return None
        ids = []
        for kb_id, words in self._translit_names().get(tuple(transliteration_key(n) for n in norms), []):
            if all(m == w or not self._known_word(m) for m, w in zip(norms, words)) and kb_id not in ids:
                ids.append(kb_id)
        if len(ids) > 1:
            ids = [i for i in ids if self.kb.offices_of(i, date)]
        return ids[0] if len(ids) == 1 else None

    def _known_word(self, word: str) -> bool:
        return self.kb.word_frequency(word) >= KNOWN_WORD_FREQ

    def _translit_names(self) -> Dict[Tuple[str, ...], List[Tuple[str, Tuple[str, ...]]]]:
        """Transliteration keys of every multi-word person name → (id, name words)."""
        self._surnames()
        return self._translit_index

    def _name_norms(self, ent: Span) -> List[str]:
        """The normal forms of a name without the honorifics before it."""
        norms = [t.norm_ for t in ent if not t.is_space]
        honorifics = self._honorifics()
        while len(norms) > 1:
            if norms[0] in honorifics:
                norms = norms[1:]
            elif len(norms) > 2 and f"{norms[0]}\u200c{norms[1]}" in honorifics:
                norms = norms[2:]
            else:
                break
        return norms

    def _honorifics(self) -> frozenset:
        if self._honorific_norms is None:
            self._honorific_norms = frozenset(self.kb.normalize(h) for h in NAME_HONORIFICS)
        return self._honorific_norms

    def _name_variants(self, ent: Span) -> List[str]:
        """Spellings to look a name up by: as written; without honorifics («سید ابراهیم
        رئیسی», «سردار قاسم رضایی»); without a joined «سید» («سیدعباس موسوی»); with a
        hyphen read as a ZWNJ («ژان-ایو لودریان»)."""
        variants = [ent.text]
        norms = self._name_norms(ent)
        variants.append(" ".join(norms))
        for prefix in JOINED_PREFIXES:
            if len(norms) > 1 and norms[0].startswith(prefix) and len(norms[0]) > len(prefix) + 1:
                variants.append(" ".join([norms[0][len(prefix):]] + norms[1:]))
        if "-" in ent.text:
            variants.append(ent.text.replace("-", "\u200c"))
        return list(dict.fromkeys(v for v in variants if v.strip()))

    def _inner_org(self, ent: Span) -> Optional[str]:
        """A unit that speaks for its organisation, with the organisation's name after it:
        «روابط عمومی سپاه پاسداران», «دفتر سیاسی انصارالله», «دبیرخانه شورای عالی امنیت
        ملی» are that organisation. (Other «X of Y» names are organisations of their own:
        «شورای عالی قوه قضاییه» is not the judiciary.)"""
        norms = [t.norm_ for t in ent if not t.is_space]
        for unit in ORG_UNITS:
            head = unit.split()
            if len(norms) > len(head) and norms[:len(head)] == head:
                hits = self.kb.alias_index().get(" ".join(norms[len(head):]), [])
                ids = list(dict.fromkeys(rid for rid, label in hits if label == "ORG"))
                if len(ids) == 1:
                    return ids[0]
        return None

    def _choose(self, ids: List[str], ent: Span, date: _dt.date, history: Sequence[Tuple[Span, str]]) -> Optional[str]:
        for _, earlier in reversed(history):
            if earlier in ids:
                return earlier
        entry = self.kb.ambiguity.get(self.kb.normalize(ent.text))
        if ent.label_ in ("EVENT", "AGREEMENT"):
            # «توافق پاریس» in 2005 is the nuclear agreement of 2004: the climate agreement
            # of 2015 did not exist yet
            existing = [i for i in ids if not self._later_than(self.kb.get(i), date)]
            if len(existing) == 1:
                return existing[0]
            if existing and entry and entry["resolution"] == "context":
                # a name used again for a newer agreement means the newest one that exists
                return max(existing, key=lambda i: self._when(self.kb.get(i)))
        if entry and entry["resolution"].startswith("prefer:"):
            preferred = entry["resolution"].split(":", 1)[1]
            if preferred in ids:
                return preferred
        if ent.label_ == "PERSON":
            in_office = [i for i in ids if self.kb.offices_of(i, date)]
            if len(in_office) == 1:
                return in_office[0]
        return None

    @staticmethod
    def _when(record: Optional[Dict[str, Any]]) -> str:
        """An event's or agreement's ``date`` or ``start`` as written (ISO, sortable), or ""."""
        when = (record or {}).get("date") or (record or {}).get("start")
        return when if isinstance(when, str) else ""

    @classmethod
    def _later_than(cls, record: Optional[Dict[str, Any]], date: _dt.date) -> bool:
        """Whether an event or agreement dates from after ``date`` (a year or a year and
        month meaning its first day; the knowledge base validated the date)."""
        when = cls._when(record)
        return bool(when) and parse_date(when) > date

    @staticmethod
    def _bare(norm: str) -> str:
        """A name word without the Arabic article: «السودانی» → «سودانی»."""
        return norm[2:] if norm.startswith("ال") and len(norm) > 4 else norm

    def _indexed(self, history: Sequence[Tuple[Span, str]]) -> _History:
        """The index of ``history`` (mentions and their ids, in text order). The list the
        linker grows while it reads a document keeps its index and only its new end is
        read, so a long document costs linear time, not quadratic."""
        cached = self._history_index
        if cached is None or cached[0] is not history or cached[1].seen > len(history):
            cached = (history, _History(self))
        self._history_index = cached
        return cached[1].read(history)

    def _surname(self, ent: Span, people: Sequence[Tuple[str, Sequence[str]]], date: _dt.date) -> Optional[str]:
        """The person of a (nearest first) earlier mention whose name ends with this one:
        «پوتین» after «ولادیمیر پوتین», «سودانی» after «محمد شیاع السودانی»; of two such
        people («جوزف عون», «میشل عون») the one in office on the date; else whose double
        surname opens with it: «باقری» after «علی باقری کنی». ``people``: (id, name words
        without the Arabic article), nearest first (``_People.recent_first``)."""
        norms = [self._bare(n) for n in self._name_norms(ent)]
        found = [kb_id for kb_id, earlier_norms in people
                 if len(earlier_norms) > len(norms) and earlier_norms[-len(norms):] == norms]
        if found:
            in_office = [kb_id for kb_id in found if self.kb.offices_of(kb_id, date)]
            return (in_office or found)[0]
        # the first part of a double surname: «باقری» after «علی باقری کنی»
        for kb_id, earlier_norms in people:
            if any(earlier_norms[i:i + len(norms)] == norms for i in range(1, len(earlier_norms) - len(norms))):
                return kb_id
        # one word that opens one earlier person's name: a name written surname first
        # («چوی» after «چوی جونگ‌کون»), or a given name («نازنین» after «نازنین زاغری»); two
        # such people («یون سوک یول», «یون کانگ هیون») leave it unresolved
        if len(norms) == 1:
            opening = {kb_id for kb_id, earlier_norms in people if len(earlier_norms) > 1 and earlier_norms[0] == norms[0]}
            if len(opening) == 1:
                return opening.pop()
        return None

    def _kb_surname(self, ent: Span, date: _dt.date) -> Optional[str]:
        """A surname alone that the knowledge base does not list as a name: the one person
        of the knowledge base with that surname who holds an office on the date, else the
        only person with that surname."""
        norms = self._name_norms(ent)
        if len(norms) != 1:
            return None
        first = self._first_names().get(norms[0], [])
        if len(first) > 1:
            return None  # «سعید» alone is a first name more often than a surname
        ids = self._surnames().get(self._bare(norms[0]), [])
        in_office = [i for i in ids if self.kb.offices_of(i, date)]
        if len(in_office) == 1:
            return in_office[0]
        if len(ids) == 1:
            return ids[0]
        if not ids and len(first) == 1 and self.kb.offices_of(first[0], date):
            # a name written surname first («چوی», «یون»), or a ruler by his first name
            # («تمیم»): the one person whose name starts with it, holding an office then
            return first[0]
        return None

    def _surnames(self) -> Dict[str, List[str]]:
        """Last word of every multi-word person name → the people. The same pass over the
        names fills ``_first_name_index`` (first words) and ``_translit_index``
        (transliteration keys of the whole name)."""
        if self._surname_index is None or self._surname_kb is not self.kb:
            index: Dict[str, List[str]] = {}
            first: Dict[str, List[str]] = {}
            translit: Dict[Tuple[str, ...], List[Tuple[str, Tuple[str, ...]]]] = {}
            for record in self.kb.entities("PERSON"):
                for name in [record["name_fa"]] + record.get("aliases_fa", []):
                    words = tuple(self.kb.normal_name(name).split())
                    if len(words) > 1:
                        for key, table in ((words[0], first), (self._bare(words[-1]), index)):
                            ids = table.setdefault(key, [])
                            if record["id"] not in ids:
                                ids.append(record["id"])
                        translit.setdefault(tuple(transliteration_key(w) for w in words), []).append(
                            (record["id"], words))
            self._surname_index, self._surname_kb = index, self.kb
            self._first_name_index, self._translit_index = first, translit
        return self._surname_index

    def _first_names(self) -> Dict[str, List[str]]:
        """First word of every multi-word person name → the people."""
        self._surnames()
        return self._first_name_index

    # ----- roles -----------------------------------------------------------------------
    def _lookup_id(self, norms: Sequence[str], labels: Sequence[str]) -> Optional[str]:
        if not norms:
            return None
        hits = self.kb.alias_index().get(" ".join(norms), [])
        ids = [rid for rid, label in hits if label in labels]
        return ids[0] if ids else None

    @staticmethod
    def _role_norms(ent: Span) -> List[str]:
        """A ROLE mention's normal forms without the modifiers that do not change the
        office («جدید», «منتخب», «سابق», «وقت»)."""
        return [t.norm_ for t in ent if not t.is_space and t.norm_ not in TITLE_MODIFIERS]

    def parse_role(self, ent: Span) -> Optional[RoleParse]:
        return self.table.parse(self._role_norms(ent))

    @staticmethod
    def _words_before(ent: Span) -> List[Token]:
        """The words among the two tokens before the mention."""
        return [t for t in ent.doc[max(0, ent.start - 2):ent.start] if not t.is_space]

    @classmethod
    def _indefinite(cls, ent: Span) -> bool:
        """«یک نماینده مجلس», «یکی از معاونان وزیر»: an unnamed holder."""
        words = cls._words_before(ent)
        return ent[0].norm_ in INDEFINITE or (bool(words) and words[-1].norm_ in INDEFINITE) or (
            len(words) == 2 and words[0].norm_ == "یکی" and words[1].norm_ == "از")

    @classmethod
    def _pointed(cls, ent: Span) -> bool:
        """A demonstrative right before the mention: «این نماینده»."""
        words = cls._words_before(ent)
        return bool(words) and words[-1].norm_ in DEMONSTRATIVES

    def _held(self, office, date: _dt.date, former: bool) -> bool:
        """An office held on the date (or, for «سابق», before it). An office that ends on
        the date without a successor that day was still held that day."""
        if former:
            return office.end is not None and office.end <= date
        return office.held_on(date) or office.end == date

    def _office_to(self, office) -> Optional[str]:
        """An office's host country, or a member of parliament's constituency (the
        ``constituency`` field of the record's office)."""
        if office.to:
            return office.to
        record = self.kb.get(office.person) or {}
        for item in record.get("offices", []):
            if item.get("role") == office.role and item.get("of") == office.of and item.get("constituency") and \
                    parse_date(item.get("start")) == office.start:
                return item["constituency"]
        return None

    def _holders(self, roles: Iterable[str], institutions: Iterable[str], date: _dt.date,
                 to: Optional[str]) -> List[str]:
        people: List[str] = []
        for role in roles:
            for inst in institutions:
                for person in self.kb.holders(role, inst, date):
                    if person["id"] in people:
                        continue
                    if to is None or any(self._office_to(o) == to for o in self.kb.offices_of(person["id"], date)
                                         if o.role == role and o.of == inst):
                        people.append(person["id"])
        return people

    def _from_history(self, roles: Iterable[str], history: Sequence[Tuple[Span, str]], date: _dt.date,
                      institution: Optional[str] = None, to: Optional[str] = None,
                      former: bool = False, paragraph_of: Optional[Span] = None) -> Optional[str]:
        """The nearest person mentioned earlier who holds one of ``roles`` on the date (of
        ``institution`` and with host ``to`` where given; in the paragraph of
        ``paragraph_of`` where given)."""
        roles = set(roles)
        for earlier, kb_id in reversed(history):
            if paragraph_of is not None and any("\n" in t.text_with_ws for t in
                                                paragraph_of.doc[earlier.end - 1:paragraph_of.start]):
                break
            person = self.kb.get(kb_id) if kb_id else None
            if not person or person["label"] != "PERSON":
                continue
            offices = [o for o in self.kb.offices_of(kb_id) if o.role in roles and self._held(o, date, former)
                       and (to is None or self._office_to(o) == to)]
            if offices and (institution is None or any(o.of == institution for o in offices)):
                return kb_id
        return None

    def link_role(self, ent: Span, date: _dt.date, history: Sequence[Tuple[Span, str]] = ()) -> Optional[str]:
        norms = self._role_norms(ent)
        words = {t.norm_ for t in ent}
        new, former = bool(words & (NEW_MODIFIERS | ELECT_MODIFIERS)), bool(words & FORMER_MODIFIERS)
        elect = bool(words & ELECT_MODIFIERS)
        parse = self.table.parse(norms)
        if parse is None:
            return self._minister(norms, date, history)
        title = parse.title
        if set(title.roles) <= MEMBER_ROLES and not parse.qualifier and not parse.to:
            # «این نماینده»: a member named earlier in the paragraph; else an unnamed one
            return self._from_history(title.roles, history, date, paragraph_of=ent) if self._pointed(ent) else None
        government = self._government(title, parse.qualifier) if not parse.to else None
        if government is not None:
            return self._term_holder(title, government, date, history)
        of = None
        # «سخنگوی شورا» after «شورای نگهبان», «دبیر مجمع» after «مجمع تشخیص مصلحت نظام»
        named = self._named_org(parse.qualifier[0], history) \
            if len(parse.qualifier) == 1 and parse.qualifier[0] in ORG_HEADS else None
        if parse.qualifier in OUR_COUNTRY:
            of = "iran"  # «رئیس‌جمهور کشورمان», «سفیر کشورمان در بغداد» in Iranian news
        elif named is not None:
            of = named
        elif parse.qualifier:
            # «وزیر خارجه سعودی»: a demonym names the country
            of = self._lookup_id(parse.qualifier, ("GPE", "ORG"))
            if of is None and title.qualifier == "country":
                of = self._lookup_id(parse.qualifier, ("NORP",))
            if of is None and title.qualifier == "country" and len(parse.qualifier) > 1 \
                    and parse.qualifier[0] in REGIME_WORDS:
                # «وزیر خارجه دولت افغانستان», «وزیر خارجه حکومت طالبان», «… دولت موقت عراق»
                rest = tuple(parse.qualifier[1:])
                for modifier in REGIME_MODIFIERS:
                    if rest[:len(modifier)] == modifier and len(rest) > len(modifier):
                        rest = rest[len(modifier):]
                        break
                of = self._lookup_id(rest, ("GPE", "ORG"))
            if of is None:
                return None  # a qualifier the knowledge base does not know: nobody to name
            if title.qualifier == "country":
                # «وزیر خارجه طالبان» after 2021-08-15: Afghanistan's
                of = self._governed(of, date) or of
        to = self._lookup_id(parse.to, ("GPE", "ORG")) if parse.to else None
        if to is not None and title.qualifier != "constituency":
            to = self._country_of(to)
        if title.qualifier == "constituency":
            to, of = of, None
        if new:
            # «رئیس‌جمهور جدید» in an article about Lebanon's new president: a person
            # mentioned earlier who just took the office, or is about to
            found = self._new_from_history(title.roles, history, date, title.institution(of) if of else None)
            if found:
                return found
        if (of is None and not new) or former:
            # a bare title: the holder mentioned earlier in the document, if any («نماینده
            # مردم تبریز» only an MP of Tabriz)
            institution = title.institution(of) if (of is not None or title.default_of is not None) else None
            found = self._from_history(title.roles, history, date, institution, to, former)
            if found is None and institution is not None and of is None and not former:
                # «لیز تراس، وزیر خارجه بریتانیا، گفت … وزیر خارجه افزود»: where no holder
                # of the Iranian office is named, a holder named earlier in the paragraph
                found = self._from_history(title.roles, history, date, None, to, former, paragraph_of=ent)
            if found or former or set(title.roles) <= MEMBER_ROLES:
                # a constituency elects several members and the knowledge base knows few
                # of them: «نماینده مردم اهواز» not named in the document is unnamed
                return found
        institution = title.institution(of)
        if institution is None:
            return None
        institutions = list(dict.fromkeys([institution, of] if of else [institution]))
        people = self._holders(title.roles, institutions, date, to)
        if new:
            # «نخست‌وزیر جدید»: a holder who just took office, else the one about to;
            # «رئیس‌جمهور منتخب»: the one about to take office, else one who just did
            recent = [p for p in people if any(o.role in title.roles and o.start and (date - o.start).days <= RECENT_DAYS
                                                 for o in self.kb.offices_of(p, date))]
            incoming: List[str] = []
            for days in INCOMING_DAYS:
                incoming = [p for p in self._holders(title.roles, institutions, date + _dt.timedelta(days=days), to)
                            if p not in people]
                if incoming:
                    break
            people = (incoming or recent) if elect else (recent or incoming)
            if not people:
                return None
        if not people:
            # the office ended on the date with nobody after it that day (a death): still held
            people = [p for p in self._holders(title.roles, institutions, date - _dt.timedelta(days=1), to)
                      if any(o.end == date and o.role in title.roles for o in self.kb.offices_of(p))]
        if not people and of is not None and set(title.roles) == LEADER_TITLE:
            # a country's leader that is not a supreme leader: the head of state or
            # government the text named before, if any
            record = self.kb.get(of)
            if record and record["label"] == "GPE" and record.get("type") == "country":
                return self._from_history(LEADER_ROLES, history, date, of)
            return None
        if len(people) > 1 and to is None and set(title.roles) & HOSTED_ROLES and \
                not any(earlier in people for _, earlier in history):
            people = self._by_host(people, title.roles, institutions, date, ent.doc)
        found = self._pick(people, history)
        if found is None and len(people) > 1 and title.ranked:
            # «رئیس امارات» names the head of state, not the speaker of its parliament nor
            # the head of its presidential office: a ranked title's roles in order of precedence
            for role in title.roles:
                first = [p for p in people if any(o.role == role and o.of in institutions
                                                  for o in self.kb.offices_of(p, date))]
                if first:
                    return first[0] if len(first) == 1 else None
        return found

    def _government(self, title: Title, qualifier: Sequence[str]) -> Optional[Dict[str, Any]]:
        """The government a title's qualifier names, with the dates of its term: «دولت
        یازدهم» in «وزیر خارجه دولت یازدهم», «دولت دوازدهم» in «سخنگوی دولت دوازدهم» (the
        title's own last word opens the name)."""
        candidates = [tuple(qualifier)]
        if qualifier and qualifier[0] != GOVERNMENT and any(form.split()[-1] == GOVERNMENT for form in title.forms):
            candidates.append((GOVERNMENT, *qualifier))
        for words in candidates:
            if not words or words[0] != GOVERNMENT:
                continue
            record = self.kb.get(self._lookup_id(words, ("ORG",)))
            if record and record.get("start") and record.get("country"):
                return record
        return None

    def _governed(self, org: str, date: _dt.date) -> Optional[str]:
        """The country an organisation governs on ``date`` (its record's ``governs``: the
        Taliban's Afghanistan since 2021-08-15), or None."""
        record = self.kb.get(org)
        for rule in (record or {}).get("governs", []):
            start, end = parse_date(rule.get("start")), parse_date(rule.get("end"), end=True)
            if (start is None or start <= date) and (end is None or date <= end):
                return rule["country"]
        return None

    def _term_holder(self, title: Title, government: Dict[str, Any], date: _dt.date,
                     history: Sequence[Tuple[Span, str]]) -> Optional[str]:
        """Who held the title's office in a government's term: on the document's date when
        it falls in the term; otherwise the holder named earlier in the document, else the
        one who held the office for most of the term («سخنگوی دولت دوازدهم» had two, so it
        names nobody unless the text does)."""
        roles = ["president"] if "president" in title.roles else title.roles  # «رئیس دولت سیزدهم»
        institution = title.institution(government["country"])
        if institution is None:
            return None
        start = parse_date(government["start"])
        end = parse_date(government["end"], end=True) if government.get("end") else None
        if start <= date and (end is None or date < end):
            people = self._holders(roles, [institution], date, None)
            if people:
                return self._pick(people, history)
        offices = [o for role in roles for o in self.kb.offices_during(role, institution, start, end)]
        people = list(dict.fromkeys(o.person for o in offices))
        for _, earlier in reversed(history):
            if earlier in people:
                return earlier
        last = end or max(date, start)  # a term still running: up to the document's date
        length = (last - start).days
        for person in people:
            held = sum((min(o.end or last, last) - max(o.start or start, start)).days
                       for o in offices if o.person == person)
            if length > 0 and 2 * held > length:
                return person
        return None

    def _country_of(self, place: str) -> str:
        """A city's country («سفیر ایران در بغداد» is the ambassador to Iraq); any other
        place or organisation id as it is."""
        record = self.kb.get(place)
        if record and record.get("type") == "city" and record.get("country"):
            return record["country"]
        return place

    def _by_host(self, people: Sequence[str], roles: Iterable[str], institutions: Sequence[str], date: _dt.date,
                 doc: Doc) -> List[str]:
        """Among ambassadors of one country, the one posted to the country the document
        names most («سفیر ایران» in an article about Iraq; «سفیر روسیه» in one about
        Tehran), or all of them when two hosts are named as often."""
        named: Dict[str, int] = defaultdict(int)
        for ent in doc.ents:
            if ent.label_ != "GPE":
                continue
            # the model's spans are not linked yet when a title before them is
            found = [ent.kb_id_] if ent.kb_id_ else list(dict.fromkeys(r["id"] for r in self.kb.lookup(ent.text, "GPE")))
            if len(found) == 1:
                named[self._country_of(found[0])] += 1
        roles = set(roles)
        host_of = {p: {self._office_to(o) for o in self.kb.offices_of(p, date) if o.role in roles and o.of in institutions}
                   for p in people}
        scores = {p: max((named.get(h, 0) for h in hosts if h), default=0) for p, hosts in host_of.items()}
        best = max(scores.values(), default=0)
        chosen = [p for p in people if scores[p] == best]
        return chosen if best > 0 else list(people)

    @staticmethod
    def _named_org(head: str, history: Sequence[Tuple[Span, str]]) -> Optional[str]:
        """The organisation named last in the document whose name opens with ``head``
        (its ezafe form too: «شورا» → «شورای نگهبان»)."""
        for earlier, kb_id in reversed(history):
            if earlier.label_ == "ORG" and kb_id:
                first = next((t.norm_ for t in earlier if not t.is_space), "")
                if ezafe_of(head, first):
                    return kb_id
        return None

    def _pick(self, people: Sequence[str], history: Sequence[Tuple[Span, str]]) -> Optional[str]:
        """The one holder, or among several the one mentioned last in the document."""
        if len(people) == 1:
            return people[0]
        last = self._indexed(history).last
        mentioned = [person for person in people if person in last]
        return max(mentioned, key=last.__getitem__) if mentioned else None

    def _new_from_history(self, roles: Iterable[str], history: Sequence[Tuple[Span, str]], date: _dt.date,
                          institution: Optional[str]) -> Optional[str]:
        roles = set(roles)
        for earlier, kb_id in reversed(history):
            person = self.kb.get(kb_id) if kb_id else None
            if not person or person["label"] != "PERSON":
                continue
            for o in self.kb.offices_of(kb_id):
                if o.role in roles and (institution is None or o.of == institution) and o.start is not None and \
                        -RECENT_DAYS <= (o.start - date).days <= INCOMING_DAYS[-1] and (o.end is None or o.end > date):
                    return kb_id
        return None

    def _minister(self, norms: Sequence[str], date: _dt.date, history: Sequence[Tuple[Span, str]]) -> Optional[str]:
        """Titles built on «وزیر» that the title table does not list: «وزیر راه و شهرسازی»
        is the minister of the ORG «وزارت راه و شهرسازی»; a bare «وزیر» or «معاون وزیر» is
        the minister (deputy minister) mentioned earlier in the document."""
        if not norms:
            return None
        deputy = norms[0] == "معاون" and len(norms) > 1 and norms[1] == MINISTER_WORD
        rest = list(norms[2:] if deputy else norms[1:]) if (deputy or norms[0] == MINISTER_WORD) else None
        if rest is None:
            return None
        if not rest:
            roles = [role for role, _ in self.kb.roles() if role.endswith("minister") and
                     role.startswith("deputy_") == deputy and role not in ("prime_minister", "deputy_prime_minister")]
            if not deputy:
                roles.append("minister")
            return self._from_history(dict.fromkeys(roles), history, date)
        if deputy:
            return None
        ministry = self._lookup_id([MINISTRY_WORD] + rest, ("ORG",))
        if ministry is None:
            return None
        roles = [role for role, of in self.kb.roles() if of == ministry]
        people = self._holders(dict.fromkeys(roles), [ministry], date, None)
        return self._pick(people, history)

    # ----- serialisation -----------------------------------------------------------------
    def _state(self) -> Dict[str, Any]:
        return {"cfg": {"default_date": self.default_date}, "kb": self.kb.to_dict(name_keys=True),
                "titles": [title_to_dict(t) for t in self.titles]}

    def _pipeline_lexicon(self):
        """The lexicon of the pipeline's normaliser, already loaded when the linker's
        state is (it comes first), so the knowledge base needs not build its own."""
        if "diplo_normalizer" in self.nlp.component_names:
            proc = self.nlp.get_pipe("diplo_normalizer")
            normalizer = getattr(proc, "_normalizer", None)
            if normalizer is not None:
                return normalizer.lexicon
        return None

    def _load_state(self, state: Dict[str, Any]) -> None:
        self.default_date = state["cfg"]["default_date"]
        self.kb = KnowledgeBase.from_dict(state["kb"], lexicon=self._pipeline_lexicon())
        self.titles = [title_from_dict(t, i) for i, t in enumerate(state["titles"])]
        self._table = None
        _KB_BY_VOCAB[id(self.nlp.vocab)] = self

@Language.factory(
    "diplo_linker",
    assigns=["doc.ents", "span._.entity"],
    requires=["doc.ents", "token.norm"],
    default_config={"default_date": None},
)
def make_linker(nlp: Language, name: str, default_date: Optional[str]) -> EntityLinker:
    """Factory of ``diplo_linker``. ``default_date``: the date (ISO 8601) used for
    documents without ``doc._.date``; null means the day the pipeline runs."""
    return EntityLinker(nlp, name, default_date=default_date)
