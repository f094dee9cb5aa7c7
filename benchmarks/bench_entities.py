"""Entity and quotation scores of a pipeline on annotated records, per label.

By default it scores the rules alone (tokenizer, normaliser, gazetteer and linker
built from the knowledge base, quotation rules) on the seed article and on the corpus
dev split. With ``--model PATH`` (a pipeline with a trained ``ner``) it also scores the
model alone and the model with the gazetteer filling what it left, so that the
gazetteer's contribution is visible.

    python benchmarks/bench_entities.py [--data corpus/dev.jsonl] [--model PATH]
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Dict, Iterable, List

ROOT = Path(__file__).resolve().parents[1]


def entity_scores(gold: Iterable[Dict], predicted: Iterable[Dict]) -> Dict[str, Dict[str, float]]:
    tp, fp, fn = Counter(), Counter(), Counter()
    linked = correct_links = 0
    for g, p in zip(gold, predicted):
        gents = {(e["start"], e["end"], e["label"]): e.get("kb_id") for e in g["entities"]}
        pents = {(e["start"], e["end"], e["label"]): e.get("kb_id") for e in p["entities"]}
        for key, kb_id in gents.items():
            if key in pents:
                tp[key[2]] += 1
                if kb_id:
                    linked += 1
                    correct_links += pents[key] == kb_id
            else:
                fn[key[2]] += 1
        for key in pents:
            if key not in gents:
                fp[key[2]] += 1
    rows = {}
    for label in sorted(set(tp) | set(fp) | set(fn)) + ["ALL"]:
        t = sum(tp.values()) if label == "ALL" else tp[label]
        f_p = sum(fp.values()) if label == "ALL" else fp[label]
        f_n = sum(fn.values()) if label == "ALL" else fn[label]
        p = t / (t + f_p) if t + f_p else 0.0
        r = t / (t + f_n) if t + f_n else 0.0
        rows[label] = {"p": p, "r": r, "f": 2 * p * r / (p + r) if p + r else 0.0, "n": t + f_n}
    rows["ALL"]["link_acc"] = correct_links / linked if linked else 0.0
    return rows


def annotate(nlp, records: List[Dict]) -> List[Dict]:
    from persian_diplo.annotate import doc_to_record

    out = []
    for record in records:
        doc = nlp.make_doc(record["text"])
        doc._.date = record.get("date")
        out.append(doc_to_record(nlp(doc), record["id"]))
    return out


def pipelines(model: str = None):
    import spacy

    import persian_diplo
    from persian_diplo.pipeline import RULE_PIPES

    yield "rules only", persian_diplo.blank(RULE_PIPES)
    if model:
        nlp = spacy.load(model)
        for name in ("diplo_gazetteer", "diplo_linker", "diplo_quotes"):
            if name in nlp.pipe_names:
                nlp.remove_pipe(name)
        nlp.add_pipe("diplo_linker")
        nlp.add_pipe("diplo_quotes")
        yield "model only", nlp
        nlp = spacy.load(model)
        if "diplo_gazetteer" not in nlp.pipe_names:
            nlp.add_pipe("diplo_gazetteer", after="ner")
        for name in ("diplo_linker", "diplo_quotes"):
            if name not in nlp.pipe_names:
                nlp.add_pipe(name)
        yield "model + rules", nlp


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, action="append",
                        help="JSONL records (default: examples/seed_article.gold.jsonl and corpus/dev.jsonl)")
    parser.add_argument("--model", help="a trained pipeline to compare with the rules")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from persian_diplo.corpus.io import read_jsonl
    from persian_diplo.quotes.scorer import score_records

    data = args.data or [ROOT / "examples" / "seed_article.gold.jsonl", ROOT / "corpus" / "dev.jsonl"]
    results = {}
    for path in data:
        gold = list(read_jsonl(path))
        if path.name.startswith("seed"):
            for g in gold:
                g.setdefault("date", "2020-03-04")  # the article's date (not printed in it)
        for name, nlp in pipelines(args.model):
            predicted = annotate(nlp, gold)
            results[f"{path.name} / {name}"] = {"entities": entity_scores(gold, predicted),
                                                "quotes": score_records(gold, predicted)}
    if args.json:
        print(json.dumps(results, indent=2))
        return
    for title, result in results.items():
        print(f"\n== {title}")
        print(f"{'label':<10} {'P':>6} {'R':>6} {'F':>6} {'n':>6}")
        for label, row in result["entities"].items():
            print(f"{label:<10} {100 * row['p']:6.1f} {100 * row['r']:6.1f} {100 * row['f']:6.1f} {row['n']:6d}")
        print(f"linking accuracy over matched entities with a gold id: {100 * result['entities']['ALL']['link_acc']:.1f}")
        q = result["quotes"]
        fmt = lambda v: "n/a" if v is None else f"{100 * v:.1f}"
        print(f"quotes: P {fmt(q['quote_p'])} R {fmt(q['quote_r'])} F {fmt(q['quote_f'])} | content exact "
              f"{fmt(q['quote_content_exact'])} cue {fmt(q['quote_cue_acc'])} speaker {fmt(q['quote_speaker_acc'])} "
              f"entity {fmt(q['quote_entity_acc'])} | who-said-what F {fmt(q['quote_wsw_f'])}")


if __name__ == "__main__":
    main()
