"""Scores on a split as an article nobody annotated meets the pipeline: with a knowledge
base that lacks every referent the split names and the train split does not.

The corpus's knowledge base was completed with the ids the train and dev splits name, so
on dev the gazetteer and the linker know every referent (2 of 2,942 dev mentions have an
id the knowledge base lacks), while the test split, never looked at, names referents the
knowledge base lacks in 6 % of its mentions (20 % of its EVENT mentions). Scoring dev
with those ids held out of the knowledge base shows what the knowledge base contributes
and what the pipeline does on referents it has never seen, without touching the test
split. Held out: the records whose id the split's gold entities or speakers name and the
train split's do not (200 of dev's 887 ids).

    python benchmarks/bench_unseen.py [--data corpus/dev.jsonl] [--train corpus/train.jsonl]
        [--model PATH] [--blind benchmarks/data/dev_events_blind.jsonl] [--json]

Prints, for the full and the held-out knowledge base: entity P/R/F per label, linking
accuracy, quotation F and who-said-what F. With ``--blind``, a third row: the held-out
knowledge base with those records (written again for the held-out ids by someone who saw
neither the split nor the knowledge base's own records: ``dev_events_blind.jsonl`` has
dev's 46 held-out events, named from their English names and dates alone). It measures
what the knowledge base's coverage is worth on unseen articles when its names come from
compilers, as the names of events no split mentions do, rather than from the split's own
gold forms.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Dict, Iterable, Set

ROOT = Path(__file__).resolve().parents[1]


def named_ids(records: Iterable[Dict[str, Any]]) -> Set[str]:
    """The knowledge-base ids gold records name (entities and quotation speakers)."""
    ids: Set[str] = set()
    for record in records:
        ids.update(e["kb_id"] for e in record.get("entities", []) if e.get("kb_id"))
        ids.update(q["speaker_kb_id"] for q in record.get("quotes", []) if q.get("speaker_kb_id"))
    return ids


def without(kb, held: Set[str]):
    """A copy of ``kb`` (its ambiguity notes and the normal forms of its names with it)
    without the records whose id is in ``held``; references to them become warnings, as
    for a user's partial knowledge base."""
    from persian_diplo.kb.base import KnowledgeBase

    data = kb.to_dict(name_keys=True)
    data["records"] = [r for r in data["records"] if r["id"] not in held]
    return KnowledgeBase.from_dict(data)


def use_kb(nlp, kb) -> None:
    """Point the pipeline's linker, gazetteer and the NER's knowledge-base features at ``kb``."""
    nlp.get_pipe("diplo_linker").kb = kb
    for name in ("diplo_gazetteer", "diplo_kb_features"):
        if name in nlp.pipe_names:
            nlp.get_pipe(name).build(kb)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT / "corpus" / "dev.jsonl")
    parser.add_argument("--train", type=Path, default=ROOT / "corpus" / "train.jsonl")
    parser.add_argument("--model", help="a pipeline directory (default: the bundled pipeline)")
    parser.add_argument("--blind", type=Path, help="knowledge-base records (JSONL) for held-out ids, written blind")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    import persian_diplo
    from persian_diplo.corpus.io import read_jsonl
    from persian_diplo.evaluate import evaluate

    gold = list(read_jsonl(args.data))
    held = named_ids(gold) - named_ids(read_jsonl(args.train))
    nlp = persian_diplo.load(args.model) if args.model else persian_diplo.load()
    full = nlp.get_pipe("diplo_linker").kb
    known = {r["id"] for r in full}
    results = {"held_ids": len(held & known), "full": evaluate(nlp, gold)}
    held_kb = without(full, held)
    use_kb(nlp, held_kb)
    results["held_out"] = evaluate(nlp, gold)
    rows = ["full", "held_out"]
    if args.blind:
        records = list(read_jsonl(args.blind))
        stray = sorted(r["id"] for r in records if r.get("id") not in held)
        if stray:
            sys.exit(f"{args.blind}: records for ids that are not held out: {', '.join(stray)}")
        held_kb.add_records(records, source=str(args.blind))
        use_kb(nlp, held_kb)
        results["blind"] = evaluate(nlp, gold)
        rows.append("blind")
    if args.json:
        print(json.dumps(results, indent=2))
        return
    print(f"{args.data.name}: {len(gold)} documents; {results['held_ids']} knowledge-base ids it names "
          f"and {args.train.name} does not are held out")
    labels = list(results["full"]["entities"])
    print(f"{'':<25}" + "".join(f"{label:>10}" for label in labels) + f"{'link':>8}{'quote F':>9}{'wsw F':>8}")
    titles = {"full": "full knowledge base", "held_out": "held-out knowledge base", "blind": "held out + blind records"}
    for name in rows:
        ents, quotes = results[name]["entities"], results[name]["quotes"]
        print(f"{titles[name]:<25}" + "".join(f"{100 * ents[label]['f']:10.1f}" for label in labels)
              + f"{100 * ents['ALL']['link_acc']:8.1f}{100 * quotes['quote_f']:9.1f}{100 * quotes['quote_wsw_f']:8.1f}")


if __name__ == "__main__":
    main()
