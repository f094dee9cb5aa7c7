"""The quotation data model: ``Quote`` objects over spans, stored as plain data.

A Doc keeps its quotations in ``doc._.quote_data``: a list of dicts with character
offsets (``{"kind", "content": [start, end], "cue": [...], "speaker": [...] or None,
"speaker_kb_id", "optional"}``). Plain data survives ``Doc.to_bytes``, ``DocBin``
(``store_user_data=True``) and ``nlp.pipe(n_process=2)``. ``doc._.quotes`` is a getter
that turns it into :class:`Quote` objects with spaCy ``Span`` parts.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, List, Optional

from spacy.tokens import Doc, Span

from .. import extensions

QUOTES_ATTR = "quote_data"


@dataclass(frozen=True)
class Quote:
    """One quotation: who (``speaker``, ``speaker_kb_id``) said what (``content``),
    introduced by which speech verb (``cue``)."""

    kind: str  # "direct" or "indirect"
    content: Span
    cue: Span
    speaker: Optional[Span]
    speaker_kb_id: Optional[str]
    optional: bool = False

    @property
    def doc(self) -> Doc:
        return self.content.doc

    def to_dict(self) -> Dict[str, Any]:
        """The guidelines' record of the quotation (character offsets into ``doc.text``)."""
        def part(span: Optional[Span]) -> Optional[Dict[str, int]]:
            return None if span is None else {"start": span.start_char, "end": span.end_char}

        record: Dict[str, Any] = {"kind": self.kind, "speaker": part(self.speaker), "cue": part(self.cue),
                                  "content": part(self.content), "speaker_kb_id": self.speaker_kb_id}
        if self.optional:
            record["optional"] = True
        return record

    def __repr__(self) -> str:
        speaker = self.speaker.text if self.speaker is not None else None
        return (f"Quote({self.kind}, speaker={speaker!r} [{self.speaker_kb_id}], cue={self.cue.text!r}, "
                f"content={self.content.text[:40]!r}…)")


def _span(doc: Doc, offsets: Optional[List[int]]) -> Optional[Span]:
    if offsets is None:
        return None
    return doc.char_span(offsets[0], offsets[1], alignment_mode="expand")


def quotes_of(doc: Doc) -> List[Quote]:
    """The Doc's quotations as :class:`Quote` objects, in text order."""
    quotes = []
    for item in doc._.get(QUOTES_ATTR) or []:
        content, cue = _span(doc, item["content"]), _span(doc, item["cue"])
        if content is None or cue is None:
            continue
        quotes.append(Quote(item["kind"], content, cue, _span(doc, item.get("speaker")),
                            item.get("speaker_kb_id"), bool(item.get("optional", False))))
    return quotes


def quote_item(kind: str, content: Span, cue: Span, speaker: Optional[Span], speaker_kb_id: Optional[str],
               optional: bool = False) -> Dict[str, Any]:
    """The stored form of one quotation."""
    item: Dict[str, Any] = {
        "kind": kind,
        "content": [content.start_char, content.end_char],
        "cue": [cue.start_char, cue.end_char],
        "speaker": None if speaker is None else [speaker.start_char, speaker.end_char],
        "speaker_kb_id": speaker_kb_id,
    }
    if optional:
        item["optional"] = True
    return item


def items_from_records(quotes: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """Guidelines' quotation records → stored form (for gold docs)."""
    items = []
    for q in quotes:
        items.append({
            "kind": q["kind"],
            "content": [q["content"]["start"], q["content"]["end"]],
            "cue": [q["cue"]["start"], q["cue"]["end"]],
            "speaker": None if q.get("speaker") is None else [q["speaker"]["start"], q["speaker"]["end"]],
            "speaker_kb_id": q.get("speaker_kb_id"),
            **({"optional": True} if q.get("optional") else {}),
        })
    return items


extensions.register(Doc, QUOTES_ATTR, default=None)
extensions.register(Doc, "quotes", getter=quotes_of)
