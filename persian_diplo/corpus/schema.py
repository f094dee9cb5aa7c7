"""The annotation record of ANNOTATION_GUIDELINES.md and its validator.

A record is one document:

    {"id": str, "text": str, "date": "YYYY-MM-DD" (optional),
     "entities": [{"start", "end", "label", "kb_id"}],
     "quotes": [{"kind", "speaker": {"start", "end"} | None, "cue": {...},
                 "content": {...}, "speaker_kb_id": str | None, "optional": bool}]}

Offsets are code-point indices into ``text``, end exclusive. ``validate_record``
returns every problem it finds (it does not stop at the first), each a short
sentence that names the field, so a caller can prefix file and line.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Dict, Iterable, List, Optional, Tuple

LABELS = ("PERSON", "ROLE", "GPE", "LOC", "ORG", "NORP", "EVENT", "AGREEMENT")
QUOTE_KINDS = ("direct", "indirect")
KB_ID_RE = re.compile(r"^[a-z0-9]+(?:_[a-z0-9]+)*$")
DATE_RE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")

ZWNJ = "\u200c"
#: Third-person pronouns that the guidelines allow as a speaker mention.
PRONOUNS = frozenset({"وی", "او", "ایشان", "آنها", "آن‌ها", "آنان", "ایشان"})
_ARABIC_LETTERS = str.maketrans({"ي": "ی", "ك": "ک", "ى": "ی"})


def is_pronoun(text: str) -> bool:
    """A pronoun speaker, in any spelling («وي» with Arabic yeh too)."""
    return text.translate(_ARABIC_LETTERS) in PRONOUNS


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a record. ``severity`` is "error" or "warning"."""

    message: str
    severity: str = "error"

    def __str__(self) -> str:
        return self.message if self.severity == "error" else f"warning: {self.message}"


def trim_whitespace(text: str, start: int, end: int) -> Tuple[int, int]:
    """Offsets without the white space that writers and annotation tools leave at span edges."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _is_word_char(ch: str) -> bool:
    """A letter, mark or digit, or ZWNJ: anything that continues a Persian word."""
    if ch == ZWNJ:
        return True
    cat = unicodedata.category(ch)
    return cat[0] in ("L", "M", "N")


def cuts_word(text: str, start: int, end: int) -> bool:
    """True when ``text[start:end]`` begins or ends inside a longer word."""
    before = start > 0 and _is_word_char(text[start - 1]) and _is_word_char(text[start])
    after = end < len(text) and _is_word_char(text[end]) and _is_word_char(text[end - 1])
    return before or after


def _check_offsets(span: Any, text: str, where: str) -> List[Problem]:
    if not isinstance(span, dict):
        return [Problem(f"{where} must be an object with start and end, got {type(span).__name__}")]
    start, end = span.get("start"), span.get("end")
    if not isinstance(start, int) or not isinstance(end, int) or isinstance(start, bool) or isinstance(end, bool):
        return [Problem(f"{where} needs integer start and end, got {start!r} and {end!r}")]
    if not 0 <= start < end <= len(text):
        return [Problem(f"{where} offsets {start}-{end} are not inside the text (length {len(text)})")]
    problems = []
    piece = text[start:end]
    if piece != piece.strip():
        problems.append(Problem(f"{where} {piece!r} starts or ends with white space"))
    return problems


def _check_kb_id(value: Any, where: str) -> List[Problem]:
    if value is None or (isinstance(value, str) and KB_ID_RE.match(value)):
        return []
    return [Problem(f"{where} {value!r} is not a snake_case id or null")]


def _overlaps(a: Dict[str, int], b: Dict[str, int]) -> bool:
    return a["start"] < b["end"] and b["start"] < a["end"]


def validate_record(record: Any, labels: Iterable[str] = LABELS) -> List[Problem]:
    """Check one record against the guidelines' schema. Returns all problems found."""
    if not isinstance(record, dict):
        return [Problem(f"a record must be a JSON object, got {type(record).__name__}")]
    known = set(labels)
    problems: List[Problem] = []
    text = record.get("text")
    if not isinstance(record.get("id"), (str, int)) or record.get("id") == "":
        problems.append(Problem("record has no 'id'"))
    if not isinstance(text, str):
        return problems + [Problem("record has no 'text' string")]
    if "date" in record and record["date"] is not None:
        if not isinstance(record["date"], str) or not DATE_RE.match(record["date"]):
            problems.append(Problem(f"date {record['date']!r} is not ISO 8601 (YYYY-MM-DD)"))

    entities = record.get("entities", [])
    if not isinstance(entities, list):
        problems.append(Problem("'entities' must be a list"))
        entities = []
    good_entities = []
    for i, ent in enumerate(entities):
        where = f"entity {i}"
        span_problems = _check_offsets(ent, text, where)
        problems.extend(span_problems)
        if not isinstance(ent, dict):
            continue
        label = ent.get("label")
        if label not in known:
            problems.append(Problem(f"{where} has unknown label {label!r} (known: {', '.join(sorted(known))})"))
        problems.extend(_check_kb_id(ent.get("kb_id"), f"{where} kb_id"))
        if span_problems:
            continue
        if cuts_word(text, ent["start"], ent["end"]):
            piece = text[max(0, ent["start"] - 3): ent["end"] + 3]
            problems.append(Problem(f"{where} {text[ent['start']:ent['end']]!r} cuts a word (…{piece}…)", "warning"))
        if "text" in ent and ent["text"] != text[ent["start"]:ent["end"]]:
            problems.append(Problem(f"{where} says text {ent['text']!r} but the offsets cover {text[ent['start']:ent['end']]!r}"))
        good_entities.append((i, ent))
    ordered = sorted(good_entities, key=lambda item: (item[1]["start"], item[1]["end"]))
    for (i, a), (j, b) in zip(ordered, ordered[1:]):
        if _overlaps(a, b):
            problems.append(Problem(f"entities {i} and {j} overlap ({text[a['start']:a['end']]!r}, {text[b['start']:b['end']]!r})"))

    quotes = record.get("quotes", [])
    if not isinstance(quotes, list):
        problems.append(Problem("'quotes' must be a list"))
        quotes = []
    for i, quote in enumerate(quotes):
        where = f"quote {i}"
        if not isinstance(quote, dict):
            problems.append(Problem(f"{where} must be an object"))
            continue
        if quote.get("kind") not in QUOTE_KINDS:
            problems.append(Problem(f"{where} kind {quote.get('kind')!r} is not 'direct' or 'indirect'"))
        parts = {}
        for part in ("cue", "content"):
            if quote.get(part) is None:
                problems.append(Problem(f"{where} has no {part}"))
                continue
            part_problems = _check_offsets(quote[part], text, f"{where} {part}")
            problems.extend(part_problems)
            if not part_problems:
                parts[part] = quote[part]
        if quote.get("speaker") is not None:
            part_problems = _check_offsets(quote["speaker"], text, f"{where} speaker")
            problems.extend(part_problems)
            if not part_problems:
                parts["speaker"] = quote["speaker"]
        problems.extend(_check_kb_id(quote.get("speaker_kb_id"), f"{where} speaker_kb_id"))
        if "optional" in quote and not isinstance(quote["optional"], bool):
            problems.append(Problem(f"{where} optional must be true or false"))
        if "cue" in parts:
            cue = parts["cue"]
            if cuts_word(text, cue["start"], cue["end"]):
                problems.append(Problem(f"{where} cue {text[cue['start']:cue['end']]!r} is part of a longer word"))
        for a, b in (("cue", "content"), ("speaker", "content"), ("speaker", "cue")):
            if a in parts and b in parts and _overlaps(parts[a], parts[b]):
                problems.append(Problem(f"{where} {a} and {b} overlap"))
        if "speaker" in parts:
            sp = parts["speaker"]
            spoken = text[sp["start"]:sp["end"]]
            is_entity = any(e["start"] == sp["start"] and e["end"] == sp["end"] for _, e in good_entities)
            if not is_entity and not is_pronoun(spoken):
                problems.append(Problem(f"{where} speaker {spoken!r} is neither an entity nor a pronoun", "warning"))
            if is_pronoun(spoken) and quote.get("speaker_kb_id") is None:
                problems.append(Problem(f"{where} pronoun speaker {spoken!r} has no speaker_kb_id: resolve it to "
                                        "the person it refers to (markup: {qN:d>person_id …})", "warning"))
    return problems


def span_text(record: Dict[str, Any], span: Optional[Dict[str, int]]) -> Optional[str]:
    """The text a ``{"start", "end"}`` span covers, or None."""
    if span is None:
        return None
    return record["text"][span["start"]:span["end"]]
