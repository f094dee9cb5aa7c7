"""Entity, linking and quotation scores per label: rules alone, a trained model alone,
and the model with the rules, so the gazetteer's contribution is visible.

    python benchmarks/bench_entities.py [--data corpus/dev.jsonl ...] [--model PATH] [--json]

Without ``--data`` it scores the seed article (dated 2020-03-04) and the corpus dev split.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def pipelines(model=None):
    import spacy

    import persian_diplo
    from persian_diplo.pipeline import RULE_PIPES

    yield "rules only", persian_diplo.blank(RULE_PIPES)
    if model:
        nlp = spacy.load(model)
        for name in ("diplo_gazetteer",):
            if name in nlp.pipe_names:
                nlp.remove_pipe(name)
        for name in ("diplo_linker", "diplo_quotes"):
            if name not in nlp.pipe_names:
                nlp.add_pipe(name)
        yield "model only", nlp
        from persian_diplo.train import add_rule_components

        yield "model + rules", add_rule_components(spacy.load(model))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, action="append")
    parser.add_argument("--model", help="a trained pipeline (with ner) to compare with the rules")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from persian_diplo.corpus.io import read_jsonl
    from persian_diplo.evaluate import evaluate, format_report

    data = args.data or [ROOT / "examples" / "seed_article.gold.jsonl", ROOT / "corpus" / "dev.jsonl"]
    results = {}
    for path in data:
        gold = list(read_jsonl(path))
        for record in gold:
            if record["id"] == "seed-000":
                record.setdefault("date", "2020-03-04")  # the article's date is not printed in it
        for name, nlp in pipelines(args.model):
            results[f"{path.name} / {name}"] = evaluate(nlp, gold)
    if args.json:
        print(json.dumps(results, indent=2))
        return
    for title, result in results.items():
        print(format_report(result, title) + "\n")


if __name__ == "__main__":
    main()
