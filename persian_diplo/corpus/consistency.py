"""Annotation consistency across a corpus: the same string labelled differently.

For every entity string (compared in normal form, so «رئیسجمهور» and «رئیس‌جمهور» are
one string), count the labels and knowledge-base ids it gets across documents, and
count how often it occurs unannotated in documents that annotate it elsewhere. Real
ambiguity is fine («آستانه» the city and the threshold) — the report is for review,
and the datasheet documents the decisions.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Optional, Tuple

from ..text.normalizer import Normalizer


@dataclass
class Inconsistency:
    text: str
    labels: Counter
    kb_ids: Counter
    examples: Dict[str, List[str]] = field(default_factory=dict)  # label -> document ids

    @property
    def kind(self) -> str:
        return "label" if len(self.labels) > 1 else "kb_id"

    def __str__(self) -> str:
        labels = ", ".join(f"{label} ×{n} ({', '.join(self.examples[label][:3])})" for label, n in self.labels.most_common())
        line = f"{self.text!r}: {labels}"
        if len(self.kb_ids) > 1:
            line += " | ids: " + ", ".join(f"{k or 'null'} ×{n}" for k, n in self.kb_ids.most_common())
        return line


def find_inconsistencies(records: Iterable[Dict[str, Any]], normalizer: Optional[Normalizer] = None,
                         min_count: int = 2) -> List[Inconsistency]:
    """Strings labelled with different labels (or linked to different ids under one
    label, ROLE excepted) in different places, most frequent first."""
    normalizer = normalizer or Normalizer()
    labels: Dict[str, Counter] = defaultdict(Counter)
    ids: Dict[Tuple[str, str], Counter] = defaultdict(Counter)
    examples: Dict[str, Dict[str, List[str]]] = defaultdict(lambda: defaultdict(list))
    for record in records:
        text = record["text"]
        for ent in record.get("entities", []):
            key = " ".join(normalizer.text(text[ent["start"]:ent["end"]]).split())
            labels[key][ent["label"]] += 1
            ids[(key, ent["label"])][ent.get("kb_id")] += 1
            if record["id"] not in examples[key][ent["label"]]:
                examples[key][ent["label"]].append(str(record["id"]))
    found = []
    for key, counter in labels.items():
        if sum(counter.values()) < min_count:
            continue
        kb = Counter()
        for label in counter:
            kb.update(ids[(key, label)])
        # a ROLE links to whoever held the office at the document's date: not a conflict
        id_conflict = any(len([k for k in ids[(key, label)] if k]) > 1 for label in counter if label != "ROLE")
        if len(counter) > 1 or id_conflict:
            found.append(Inconsistency(key, counter, kb, {k: v for k, v in examples[key].items()}))
    found.sort(key=lambda i: -sum(i.labels.values()))
    return found
