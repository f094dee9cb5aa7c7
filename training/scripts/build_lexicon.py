"""Build persian_diplo/text/data/{lexicon,verbs}.tsv from hazm's word and verb lists.

hazm (https://github.com/roshan-research/hazm, MIT licence, copyright (c) 2013
Alireza Nourian) ships `hazm/data/words.dat` (word, frequency, POS tags) and
`hazm/data/verbs.dat` (past#present stems). This script reads them from the hazm
wheel (fetched by `training/project.yml`'s `lexicon` asset), maps every form to the
normaliser's character normal form, and writes two small TSV files that ship in the
package. Nothing is downloaded at run time.

    python training/scripts/build_lexicon.py assets/hazm-0.10.0-py3-none-any.whl persian_diplo/text/data
"""
from __future__ import annotations

import re
import sys
import zipfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from persian_diplo.text.chars import ZWNJ, normalize_chars  # noqa: E402

WORD = re.compile(r"^[\u0621-\u063a\u0641-\u064a\u067e\u0686\u0698\u06a9\u06af\u06cc\u200c]+$")


def clean(form: str) -> str:
    form = normalize_chars(form)
    form = re.sub(f"{ZWNJ}+", ZWNJ, form).strip(ZWNJ)
    return form


def main(wheel: str, out_dir: str) -> None:
    out = Path(out_dir)
    with zipfile.ZipFile(wheel) as archive:
        words_raw = archive.read("hazm/data/words.dat").decode("utf-8")
        verbs_raw = archive.read("hazm/data/verbs.dat").decode("utf-8")
    freq: Counter = Counter()
    tags: dict = {}
    seen = set()
    for line in words_raw.splitlines():
        form, count, pos = (line.split("\t") + [""])[:3]
        form = clean(form)
        if len(form) < 2 or not WORD.match(form):
            continue
        freq[form] += int(count)
        tags.setdefault(form, set()).update(t for t in pos.split(",") if t.isalpha())
        seen.add(form)
    with open(out / "lexicon.tsv", "w", encoding="utf-8") as handle:
        handle.write("# form\tfrequency\tPOS tags (hazm 0.10.0 words.dat, MIT; see README.md)\n")
        for form in sorted(seen):
            handle.write(f"{form}\t{freq[form]}\t{','.join(sorted(tags[form]))}\n")
    verbs = set()
    for line in verbs_raw.splitlines():
        past, _, present = line.partition("#")
        verbs.add((clean(past), clean(present)))
    with open(out / "verbs.tsv", "w", encoding="utf-8") as handle:
        handle.write("# past stem\tpresent stem (hazm 0.10.0 verbs.dat, MIT; see README.md)\n")
        for past, present in sorted(verbs):
            handle.write(f"{past}\t{present}\n")
    print(f"{len(seen)} word forms, {sum(ZWNJ in f for f in seen)} with ZWNJ, {len(verbs)} verbs")


if __name__ == "__main__":
    main(*sys.argv[1:3])
