"""Write the entity-swap augmenter's names (the knowledge base's, per label) to a JSON
file, so that the shipped NER's training does not change each time the knowledge base
grows. Refreshing the file changes the training data: retrain after it.

usage: python scripts/swap_names.py swap_names.json
"""
import json
import sys
from pathlib import Path

from persian_diplo.train import swap_names


def main(out: str) -> None:
    names = swap_names()
    with Path(out).open("w", encoding="utf-8") as fh:
        json.dump(names, fh, ensure_ascii=False, indent=1, sort_keys=True)
        fh.write("\n")
    print(f"{out}: " + ", ".join(f"{len(v)} {k}" for k, v in sorted(names.items())))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
