"""Quotation metrics, as the annotation guidelines define them.

A predicted quotation matches a gold one when their contents overlap by at least half
of the longer content's tokens (tokens: white-space separated words; punctuation and
spaces at both ends ignored). Each gold quotation is matched at most once, greedily by
overlap. A prediction that matches an ``optional`` gold quotation is neither rewarded
nor penalised; an unmatched optional gold quotation is not a miss.

Reported: detection P/R/F (``quote_p``, ``quote_r``, ``quote_f``); over matched
quotations, exact content boundaries after trimming (``quote_content_exact``), cue
(``quote_cue_acc``), speaker mention (``quote_speaker_acc``, both empty counts as right)
and speaker entity (``quote_entity_acc``); and who-said-what P/R/F (``quote_wsw_*``): a
match whose speaker entity is right.
"""
from __future__ import annotations

import re
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

import spacy
from spacy.tokens import Doc

from .model import QUOTES_ATTR, items_from_records

_EDGES = "[\\s.,!?؟،؛:;«»\"“”'()\\-…]*"
_LEFT = re.compile("^" + _EDGES)
_RIGHT = re.compile(_EDGES + "$")
_WORD = re.compile(r"\S+")


def _trim(text: str, start: int, end: int) -> Tuple[int, int]:
    """Offsets without the punctuation and spaces at both ends (scoring ignores them)."""
    piece = text[start:end]
    left = _LEFT.match(piece).end()
    if left == len(piece):
        return start, start
    right = len(piece) - _RIGHT.search(piece, left).start()
    return start + left, end - right


def _words(text: str, start: int, end: int) -> List[Tuple[int, int]]:
    s, e = _trim(text, start, end)
    return [(s + m.start(), s + m.end()) for m in _WORD.finditer(text[s:e])]


def _overlap(text: str, a: Sequence[int], b: Sequence[int]) -> float:
    wa, wb = _words(text, a[0], a[1]), _words(text, b[0], b[1])
    if not wa or not wb:
        return 0.0
    lo, hi = max(a[0], b[0]), min(a[1], b[1])
    shared = sum(1 for s, e in wa if s >= lo and e <= hi)
    shared = max(shared, sum(1 for s, e in wb if s >= lo and e <= hi))
    return shared / max(len(wa), len(wb))


def gold_items(doc: Doc) -> List[Dict[str, Any]]:
    """The gold quotations of a reference Doc: ``doc._.quote_data``, or the records that
    the corpus converters keep in ``doc.user_data["persian_diplo"]["quotes"]``."""
    items = doc._.get(QUOTES_ATTR)
    if items is not None:
        return list(items)
    stored = doc.user_data.get("persian_diplo") if isinstance(doc.user_data, dict) else None
    if isinstance(stored, dict) and stored.get("quotes") is not None:
        return items_from_records(stored["quotes"])
    return []


def match_quotes(text: str, gold: Sequence[Dict[str, Any]], predicted: Sequence[Dict[str, Any]]) -> List[Tuple[int, int]]:
    """Greedy one-to-one matching: (gold index, predicted index) pairs."""
    pairs = []
    for g, gq in enumerate(gold):
        for p, pq in enumerate(predicted):
            overlap = _overlap(text, gq["content"], pq["content"])
            if overlap >= 0.5:
                pairs.append((overlap, g, p))
    pairs.sort(reverse=True)
    used_g, used_p, matched = set(), set(), []
    for _, g, p in pairs:
        if g in used_g or p in used_p:
            continue
        used_g.add(g)
        used_p.add(p)
        matched.append((g, p))
    return matched


class QuoteCounts:
    def __init__(self) -> None:
        self.tp = self.fp = self.fn = 0
        self.exact = self.cue = self.speaker = self.entity = self.wsw = 0

    def add(self, text: str, gold: Sequence[Dict[str, Any]], predicted: Sequence[Dict[str, Any]]) -> None:
        matched = match_quotes(text, gold, predicted)
        matched_g = {g for g, _ in matched}
        matched_p = {p for _, p in matched}
        for g, p in matched:
            gq, pq = gold[g], predicted[p]
            if gq.get("optional"):
                continue
            self.tp += 1
            self.exact += _trim(text, *gq["content"]) == _trim(text, *pq["content"])
            self.cue += list(gq["cue"]) == list(pq["cue"])
            gs, ps = gq.get("speaker"), pq.get("speaker")
            self.speaker += (gs is None and ps is None) or (gs is not None and ps is not None and list(gs) == list(ps))
            same_entity = gq.get("speaker_kb_id") == pq.get("speaker_kb_id")
            self.entity += same_entity
            self.wsw += same_entity
        self.fp += sum(1 for p in range(len(predicted)) if p not in matched_p)
        self.fn += sum(1 for g, gq in enumerate(gold) if g not in matched_g and not gq.get("optional"))

    def scores(self) -> Dict[str, Optional[float]]:
        def prf(tp: int) -> Tuple[float, float, float]:
            p = tp / (tp + self.fp + (self.tp - tp)) if (self.tp + self.fp) else 0.0
            r = tp / (self.tp + self.fn) if (self.tp + self.fn) else 0.0
            return p, r, (2 * p * r / (p + r) if p + r else 0.0)

        p, r, f = prf(self.tp)
        wp, wr, wf = prf(self.wsw)
        acc = (lambda n: n / self.tp if self.tp else None)
        return {
            "quote_p": p, "quote_r": r, "quote_f": f,
            "quote_content_exact": acc(self.exact), "quote_cue_acc": acc(self.cue),
            "quote_speaker_acc": acc(self.speaker), "quote_entity_acc": acc(self.entity),
            "quote_wsw_p": wp, "quote_wsw_r": wr, "quote_wsw_f": wf,
        }


def score_quotes(examples: Iterable[Any]) -> Dict[str, Any]:
    """spaCy scorer: quotation metrics over ``Example`` objects."""
    counts = QuoteCounts()
    for example in examples:
        predicted = example.predicted._.get(QUOTES_ATTR) or []
        counts.add(example.predicted.text, gold_items(example.reference), predicted)
    return counts.scores()


def score_records(gold: Iterable[Dict[str, Any]], predicted: Iterable[Dict[str, Any]]) -> Dict[str, Any]:
    """The same metrics over guideline records (paired by position)."""
    counts = QuoteCounts()
    for g, p in zip(gold, predicted):
        counts.add(g["text"], items_from_records(g.get("quotes", [])), items_from_records(p.get("quotes", [])))
    return counts.scores()


@spacy.registry.scorers("persian_diplo.quotes_scorer.v1")
def make_quotes_scorer():
    return score_quotes
