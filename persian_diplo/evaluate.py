"""Evaluation of a pipeline on annotated records: entities per label, linking, quotations.

Entities: exact span and label, micro P/R/F and per label (the guidelines' scoring);
linking accuracy over matched entities whose gold record has a ``kb_id``; quotations:
:mod:`persian_diplo.quotes.scorer` (detection, content, cue, speaker, speaker entity,
who-said-what).
"""
from __future__ import annotations

from collections import Counter
from typing import Any, Dict, Iterable, List, Optional, Sequence

from spacy.language import Language

from .annotate import doc_to_record
from .quotes.scorer import score_records


def entity_scores(gold: Sequence[Dict[str, Any]], predicted: Sequence[Dict[str, Any]]) -> Dict[str, Dict[str, float]]:
    """Per-label and overall ("ALL") precision, recall, F1 and gold count; ALL also has
    ``link_acc`` and ``linked`` (matched gold entities with an id)."""
    tp: Counter = Counter()
    fp: Counter = Counter()
    fn: Counter = Counter()
    linked = correct = 0
    for g, p in zip(gold, predicted):
        gents = {(e["start"], e["end"], e["label"]): e.get("kb_id") for e in g.get("entities", [])}
        pents = {(e["start"], e["end"], e["label"]): e.get("kb_id") for e in p.get("entities", [])}
        for key, kb_id in gents.items():
            if key in pents:
                tp[key[2]] += 1
                if kb_id:
                    linked += 1
                    correct += pents[key] == kb_id
            else:
                fn[key[2]] += 1
        for key in pents:
            if key not in gents:
                fp[key[2]] += 1
    rows: Dict[str, Dict[str, float]] = {}
    for label in sorted(set(tp) | set(fp) | set(fn)) + ["ALL"]:
        t = sum(tp.values()) if label == "ALL" else tp[label]
        f_p = sum(fp.values()) if label == "ALL" else fp[label]
        f_n = sum(fn.values()) if label == "ALL" else fn[label]
        p = t / (t + f_p) if t + f_p else 0.0
        r = t / (t + f_n) if t + f_n else 0.0
        rows[label] = {"p": p, "r": r, "f": 2 * p * r / (p + r) if p + r else 0.0, "n": t + f_n}
    rows["ALL"]["link_acc"] = correct / linked if linked else 0.0
    rows["ALL"]["linked"] = linked
    return rows


def predict(nlp: Language, records: Iterable[Dict[str, Any]], batch_size: int = 32) -> List[Dict[str, Any]]:
    """Run ``nlp`` over the records' texts (with their dates) and return predicted records."""
    records = list(records)

    def docs():
        for record in records:
            doc = nlp.make_doc(record["text"])
            doc._.date = record.get("date")
            yield doc

    return [doc_to_record(doc, str(record.get("id", i))) for i, (doc, record)
            in enumerate(zip(nlp.pipe(docs(), batch_size=batch_size), records))]


def evaluate(nlp: Language, records: Iterable[Dict[str, Any]]) -> Dict[str, Any]:
    """All metrics of ``nlp`` on gold records."""
    gold = list(records)
    predicted = predict(nlp, gold)
    return {"documents": len(gold), "entities": entity_scores(gold, predicted), "quotes": score_records(gold, predicted)}


def format_report(result: Dict[str, Any], title: Optional[str] = None) -> str:
    lines = [f"== {title}"] if title else []
    lines.append(f"{'label':<10} {'P':>6} {'R':>6} {'F':>6} {'n':>6}")
    for label, row in result["entities"].items():
        lines.append(f"{label:<10} {100 * row['p']:6.1f} {100 * row['r']:6.1f} {100 * row['f']:6.1f} {int(row['n']):6d}")
    link = result["entities"]["ALL"]
    lines.append(f"linking accuracy: {100 * link['link_acc']:.1f} (over {int(link['linked'])} matched entities with a gold id)")
    q = result["quotes"]

    def pct(value: Optional[float]) -> str:
        return "n/a" if value is None else f"{100 * value:.1f}"

    lines.append(f"quotations: P {pct(q['quote_p'])}  R {pct(q['quote_r'])}  F {pct(q['quote_f'])}")
    lines.append(f"  over matched: content exact {pct(q['quote_content_exact'])}  cue {pct(q['quote_cue_acc'])}  "
                 f"speaker mention {pct(q['quote_speaker_acc'])}  speaker entity {pct(q['quote_entity_acc'])}")
    lines.append(f"  who said what: P {pct(q['quote_wsw_p'])}  R {pct(q['quote_wsw_r'])}  F {pct(q['quote_wsw_f'])}")
    return "\n".join(lines)
