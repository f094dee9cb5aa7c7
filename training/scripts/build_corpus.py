"""Convert the corpus markup (corpus/src/*.txt) to guideline JSONL records and split
them by document into train / dev / test (corpus/{train,dev,test}.jsonl).

The split of a document is fixed by a hash of its id (10 % test, 10 % dev, 80 %
train), so adding documents never moves old ones between splits. The seed article is
in train: it is the worked example of the guidelines and of the tests.

    python training/scripts/build_corpus.py [--src corpus/src] [--out corpus]
"""
from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from persian_diplo.corpus.io import write_jsonl  # noqa: E402
from persian_diplo.corpus.markup import MarkupError, convert_file  # noqa: E402
from persian_diplo.corpus.schema import validate_record  # noqa: E402
from persian_diplo.corpus.stats import corpus_stats, format_stats  # noqa: E402

SPLITS = ("train", "dev", "test")


def split_of(doc_id: str) -> str:
    if doc_id.startswith("seed"):
        return "train"
    bucket = int(hashlib.sha1(doc_id.encode("utf-8")).hexdigest(), 16) % 10
    return "test" if bucket == 0 else "dev" if bucket == 1 else "train"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--src", type=Path, default=ROOT / "corpus" / "src")
    parser.add_argument("--out", type=Path, default=ROOT / "corpus")
    args = parser.parse_args()
    records, errors = [], 0
    for path in sorted(args.src.glob("*.txt")):
        try:
            documents = convert_file(path)
        except MarkupError as err:
            print(err, file=sys.stderr)
            errors += 1
            continue
        for line, record in documents:
            for problem in validate_record(record):
                if problem.severity == "error":
                    print(f"{path}:{line}: {problem}", file=sys.stderr)
                    errors += 1
            record.setdefault("meta", {})["source_file"] = path.name
            records.append(record)
    ids = [r["id"] for r in records]
    duplicates = {i for i in ids if ids.count(i) > 1}
    if duplicates:
        print(f"duplicate ids: {sorted(duplicates)}", file=sys.stderr)
        errors += 1
    if errors:
        print(f"{errors} error(s): nothing written", file=sys.stderr)
        return 1
    for split in SPLITS:
        chosen = [r for r in records if split_of(r["id"]) == split]
        write_jsonl(args.out / f"{split}.jsonl", chosen)
        print(f"== {split}: {len(chosen)} documents -> {args.out / (split + '.jsonl')}")
    print(format_stats(corpus_stats(records)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
