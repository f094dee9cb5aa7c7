"""``diplo_linker``: every entity gets ``ent.kb_id_`` and ``ent._.entity``.

Resolution, in order:

* a name or alias of one knowledge-base record (any spelling) → that record;
* several records share the name → the one already mentioned in the document, else a
  person holding an office on the document's date, else the documented preference;
* a ROLE → the holder of its office on the document's date: «رئیس‌جمهور روسیه» in
  2020 → ``vladimir_putin``; a bare title («رئیس‌جمهور», «وزیر امور خارجه») → the person
  mentioned earlier in the document who holds that office, else the holder of the
  Iranian office the bare title means in Iranian news; «سفیر ایران در روسیه»,
  «نماینده مردم تبریز در مجلس» use the host country and constituency;
* a surname alone that the knowledge base does not know → the person mentioned earlier
  with a name ending in it.

The document's date is ``doc._.date`` (ISO 8601), else the component's
``default_date``, else today. ``ent.kb_id_`` is empty where nothing is known.
"""
from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple, Union

from spacy.language import Language
from spacy.tokens import Doc, Span

from .. import extensions
from ..serialize import MsgpackState
from ..kb.base import KnowledgeBase, parse_date
from .gazetteer import norm_tokenizer
from .titles import RoleParse, Title, TitleTable, load_titles, title_from_dict, title_to_dict

#: Labels a mention may be linked across when the knowledge base files the name under
#: another label: a city named for its government (GPE/ORG), a region (GPE/LOC).
#: A PERSON is never linked to a place that shares its name («سودانی» is not Sudan).
COMPATIBLE = {"GPE": ("LOC", "ORG"), "LOC": ("GPE",), "ORG": ("GPE",), "EVENT": ("AGREEMENT",),
              "AGREEMENT": ("EVENT",), "ROLE": ("PERSON",)}

#: knowledge base of each pipeline (by vocab), for the ``ent._.entity`` getter
_KB_BY_VOCAB: Dict[int, KnowledgeBase] = {}


def kb_for(doc: Doc) -> KnowledgeBase:
    return _KB_BY_VOCAB.get(id(doc.vocab)) or KnowledgeBase.default()


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
        self.kb = kb if kb is not None else KnowledgeBase.default()
        self.titles = list(titles) if titles is not None else load_titles()
        self._table: Optional[TitleTable] = None
        _KB_BY_VOCAB[id(nlp.vocab)] = self.kb

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
            _KB_BY_VOCAB[id(self.nlp.vocab)] = self.kb
        self.kb.add_files([path])
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
        for ent in doc.ents:
            kb_id = self.link(ent, date, history) or ""
            linked.append(Span(doc, ent.start, ent.end, label=ent.label, kb_id=kb_id))
            history.append((ent, kb_id))
        doc.ents = self._appositives(doc, linked)
        return doc

    def _appositives(self, doc: Doc, ents: List[Span]) -> List[Span]:
        """«الکساندر دکرو، نخست‌وزیر بلژیک»: a person the knowledge base does not know
        and the ROLE in apposition after it name the same person, so the PERSON takes
        the id the ROLE resolved to (and the other way round)."""
        for n in range(len(ents) - 1):
            person, role = ents[n], ents[n + 1]
            if person.label_ != "PERSON" or role.label_ != "ROLE":
                continue
            between = [t for t in doc[person.end:role.start] if not t.is_space]
            if len(between) != 1 or between[0].text not in ("،", ","):
                continue
            if not person.kb_id_ and role.kb_id_:
                ents[n] = Span(doc, person.start, person.end, label=person.label, kb_id=role.kb_id)
            elif person.kb_id_ and not role.kb_id_ and any(self.kb.offices_of(person.kb_id_)):
                ents[n + 1] = Span(doc, role.start, role.end, label=role.label, kb_id=person.kb_id)
        return ents

    def pipe(self, stream: Iterable[Doc], batch_size: int = 128) -> Iterable[Doc]:
        for doc in stream:
            yield self(doc)

    def link(self, ent: Span, date: _dt.date, history: Sequence[Tuple[Span, str]] = ()) -> Optional[str]:
        """The knowledge-base id of one entity mention, or None."""
        if ent.label_ == "ROLE":
            return self.link_role(ent, date, history)
        if ent.kb_id_ and ent.kb_id_ in self.kb:
            return ent.kb_id_
        candidates = self.kb.lookup(ent.text, ent.label_) or [
            r for r in self.kb.lookup(ent.text) if r["label"] in COMPATIBLE.get(ent.label_, ())]
        ids = list(dict.fromkeys(r["id"] for r in candidates))
        if len(ids) == 1:
            return ids[0]
        if ids:
            return self._choose(ids, ent, date, history)
        if ent.label_ == "PERSON":
            return self._surname(ent, history)
        return None

    def _choose(self, ids: List[str], ent: Span, date: _dt.date, history: Sequence[Tuple[Span, str]]) -> Optional[str]:
        for _, earlier in reversed(history):
            if earlier in ids:
                return earlier
        entry = self.kb.ambiguity.get(self.kb.normalize(ent.text))
        if entry and entry["resolution"].startswith("prefer:"):
            preferred = entry["resolution"].split(":", 1)[1]
            if preferred in ids:
                return preferred
        if ent.label_ == "PERSON":
            in_office = [i for i in ids if self.kb.offices_of(i, date)]
            if len(in_office) == 1:
                return in_office[0]
        return None

    def _surname(self, ent: Span, history: Sequence[Tuple[Span, str]]) -> Optional[str]:
        norms = [t.norm_ for t in ent if not t.is_space]
        for earlier, kb_id in reversed(history):
            if earlier.label_ != "PERSON" or not kb_id:
                continue
            earlier_norms = [t.norm_ for t in earlier if not t.is_space]
            if len(earlier_norms) > len(norms) and earlier_norms[-len(norms):] == norms:
                return kb_id
        return None

    # ----- roles -----------------------------------------------------------------------
    def _lookup_id(self, norms: Sequence[str], labels: Sequence[str]) -> Optional[str]:
        if not norms:
            return None
        hits = self.kb.alias_index().get(" ".join(norms), [])
        ids = [rid for rid, label in hits if label in labels]
        return ids[0] if ids else None

    def parse_role(self, ent: Span) -> Optional[RoleParse]:
        norms = [t.norm_ for t in ent if not t.is_space]
        return self.table.parse(norms)

    def link_role(self, ent: Span, date: _dt.date, history: Sequence[Tuple[Span, str]] = ()) -> Optional[str]:
        parse = self.parse_role(ent)
        if parse is None:
            return None
        title = parse.title
        of = self._lookup_id(parse.qualifier, ("GPE", "ORG")) if parse.qualifier else None
        if parse.qualifier and of is None:
            return None  # a qualifier the knowledge base does not know: nobody to name
        to = self._lookup_id(parse.to, ("GPE", "ORG")) if parse.to else None
        if to is not None:
            record = self.kb.get(to)
            if record and record.get("type") == "city" and record.get("country") and title.qualifier != "constituency":
                to = record["country"]
        if title.qualifier == "constituency":
            to, of = of, None
        if of is None:
            # a bare title: the holder mentioned earlier in the document, if any
            for earlier, kb_id in reversed(history):
                if kb_id and any(o.role in title.roles for o in self.kb.offices_of(kb_id, date)):
                    person = self.kb.get(kb_id)
                    if person and person["label"] == "PERSON":
                        offices = [o for o in self.kb.offices_of(kb_id, date) if o.role in title.roles]
                        if any(o.of == title.institution(None) for o in offices) or title.default_of is None:
                            return kb_id
        institution = title.institution(of)
        if institution is None:
            return None
        people: List[str] = []
        for role in title.roles:
            for inst in dict.fromkeys([institution, of] if of else [institution]):
                for person in self.kb.holders(role, inst, date, to=to):
                    if person["id"] not in people:
                        people.append(person["id"])
        if len(people) == 1:
            return people[0]
        for _, earlier in reversed(history):
            if earlier in people:
                return earlier
        return None

    # ----- serialisation -----------------------------------------------------------------
    def _state(self) -> Dict[str, Any]:
        return {"cfg": {"default_date": self.default_date}, "kb": self.kb.to_dict(),
                "titles": [title_to_dict(t) for t in self.titles]}

    def _load_state(self, state: Dict[str, Any]) -> None:
        self.default_date = state["cfg"]["default_date"]
        self.kb = KnowledgeBase.from_dict(state["kb"])
        self.titles = [title_from_dict(t, i) for i, t in enumerate(state["titles"])]
        self._table = None
        _KB_BY_VOCAB[id(self.nlp.vocab)] = self.kb

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
