"""The CNN recipe on the public Persian NER sets, beside the published anchors.

Trains ``persian_diplo/configs/cnn.cfg`` (our tokenizer, normaliser, augmenters; the
sets' own labels) on PEYMA train and on ARMAN ``train_fold1``, and scores on their dev
data: PEYMA ``dev.txt``; ARMAN has no dev file here, so the last 10 % of ``train_fold1``
(by sentence) is held out. Research-only data: nothing trained here is committed or
shipped; models go to a temporary folder.

Published anchors (their test splits, which are held back here, so the comparison is
indicative): ParsBERT PEYMA 93.1; Beheshti-NER PEYMA 90.6, ARMAN 84.0; Stanza ARMAN fold 1
80.1 (83.2 with ParsBERT).

    python benchmarks/bench_anchors.py [--shared ../shared] [--max-steps 4000] [--only peyma|arman]
                                       [--set components.tok2vec.model.encode.width=128 ...]

``--set`` overrides a setting of the config (spaCy's dotted names), to compare recipes.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ANCHORS = {"peyma": "ParsBERT 93.1, Beheshti-NER 90.6", "arman": "Beheshti-NER 84.0, Stanza 80.1 (83.2 with ParsBERT)"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--max-steps", type=int, default=4000)
    parser.add_argument("--only", choices=("peyma", "arman"))
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="override a config setting (value read as JSON, else as a string)")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from spacy.cli.train import train as spacy_train

    import persian_diplo
    from persian_diplo.corpus.converters import read_bio, write_docbin
    from persian_diplo.train import config_path, reachable

    overrides = {}
    for item in args.set:
        key, sep, value = item.partition("=")
        if not sep:
            parser.error(f"--set {item!r}: expected KEY=VALUE")
        try:
            overrides[key] = json.loads(value)
        except json.JSONDecodeError:
            overrides[key] = value
    external = args.shared / "data" / "external"
    sets = {
        "peyma": (external / "peyma" / "train.txt", external / "peyma" / "dev.txt"),
        "arman": (external / "arman" / "train_fold1.txt", None),
    }
    results = {}
    for name, (train_file, dev_file) in sets.items():
        if args.only and name != args.only:
            continue
        train = read_bio(train_file, labels=None)
        if dev_file is not None:
            dev = read_bio(dev_file, labels=None)
        else:
            cut = int(len(train) * 0.9)
            train, dev = train[:cut], train[cut:]
        train = reachable(train, print)
        nlp = persian_diplo.blank(pipes=())
        with tempfile.TemporaryDirectory() as tmp:
            write_docbin(train, nlp, Path(tmp) / "train.spacy")
            write_docbin(dev, nlp, Path(tmp) / "dev.spacy")
            spacy_train(config_path("cnn"), Path(tmp) / "model", overrides={
                "paths.train": str(Path(tmp) / "train.spacy"), "paths.dev": str(Path(tmp) / "dev.spacy"),
                "training.max_steps": args.max_steps, "training.eval_frequency": 500,
                "corpora.train.augmenter.swap_level": 0.0, **overrides})
            meta = json.loads((Path(tmp) / "model" / "model-best" / "meta.json").read_text())
        scores = meta["performance"]
        results[name] = {"train_sentences": len(train), "dev_sentences": len(dev), "ents_f": scores["ents_f"],
                         "ents_p": scores["ents_p"], "ents_r": scores["ents_r"],
                         "per_type": {k: v["f"] for k, v in (scores.get("ents_per_type") or {}).items()}}
    print(f"{'set':<8} {'train':>7} {'dev':>6} {'P':>6} {'R':>6} {'F1':>6}   published (test)")
    for name, r in results.items():
        print(f"{name:<8} {r['train_sentences']:>7} {r['dev_sentences']:>6} {100 * r['ents_p']:6.1f} "
              f"{100 * r['ents_r']:6.1f} {100 * r['ents_f']:6.1f}   {ANCHORS[name]}")
        print("         per label F1: " + ", ".join(f"{k} {100 * v:.1f}" for k, v in sorted(r["per_type"].items())))
    print(json.dumps(results))


if __name__ == "__main__":
    main()
