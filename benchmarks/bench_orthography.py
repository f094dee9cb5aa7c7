"""How the pipeline holds up when a split is written as other outlets write it.

Each variant changes characters one for one (a space becomes a no-break space, «ی»
becomes «ي», a ZWNJ becomes a space), so the gold offsets still hold and the scores are
comparable with the text as written. Prints entity F, quotation F and who-said-what F per
variant.

    python benchmarks/bench_orthography.py --data corpus/dev.jsonl [--model PATH]
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Callable, Dict

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import persian_diplo  # noqa: E402
from persian_diplo.evaluate import evaluate  # noqa: E402
from persian_diplo.train import ORTHOGRAPHIES, nbsp_every, rewrite  # noqa: E402


VARIANTS: Dict[str, Callable[[], Callable[[str], str]]] = {
    "as written": lambda: lambda ch: ch,
    "ZWNJ typed as a space": ORTHOGRAPHIES["zwnj_spaced"],
    "Arabic «ي ك»": ORTHOGRAPHIES["arabic_letters"],
    "ASCII digits": ORTHOGRAPHIES["ascii_digits"],
    "\"\" for «»": lambda: lambda ch: '"' if ch in "«»" else ch,
    "every 10th space an NBSP": nbsp_every(10),
    "every 2nd space an NBSP": nbsp_every(2),
    "every space an NBSP": nbsp_every(1),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="corpus/dev.jsonl", help="gold JSONL (default: the dev split)")
    parser.add_argument("--model", default=None, help="a pipeline directory (default: the bundled one)")
    args = parser.parse_args()
    nlp = persian_diplo.load(args.model) if args.model else persian_diplo.load()
    records = [json.loads(line) for line in Path(args.data).read_text(encoding="utf-8").splitlines() if line.strip()]
    print(f"{args.data}: {len(records)} documents, model {args.model or 'bundled'}")
    print(f"{'variant':28} {'entity F':>9} {'quote F':>8} {'who said what F':>16} {'seconds':>8}")
    for name, orthography in VARIANTS.items():
        start = time.perf_counter()
        result = evaluate(nlp, [dict(r, text=rewrite(r["text"], orthography)) for r in records])
        quotes = result["quotes"]
        print(f"{name:28} {result['entities']['ALL']['f'] * 100:9.1f} {quotes['quote_f'] * 100:8.1f} "
              f"{quotes['quote_wsw_f'] * 100:16.1f} {time.perf_counter() - start:8.1f}")


if __name__ == "__main__":
    main()
