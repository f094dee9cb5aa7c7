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


def _some_spaces(every: int) -> Callable[[str], str]:
    def transform(text: str) -> str:
        out, spaces = [], 0
        for ch in text:
            if ch == " ":
                spaces += 1
                ch = "\u00a0" if spaces % every == 0 else ch
            out.append(ch)
        return "".join(out)
    return transform


VARIANTS: Dict[str, Callable[[str], str]] = {
    "as written": lambda text: text,
    "ZWNJ typed as a space": lambda text: text.replace("\u200c", " "),
    "Arabic «ي ك»": lambda text: text.replace("ی", "ي").replace("ک", "ك"),
    "ASCII digits": lambda text: text.translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")),
    "\"\" for «»": lambda text: text.replace("«", '"').replace("»", '"'),
    "every 10th space an NBSP": _some_spaces(10),
    "every 2nd space an NBSP": _some_spaces(2),
    "every space an NBSP": _some_spaces(1),
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
    for name, transform in VARIANTS.items():
        start = time.perf_counter()
        result = evaluate(nlp, [dict(r, text=transform(r["text"])) for r in records])
        quotes = result["quotes"]
        print(f"{name:28} {result['entities']['ALL']['f'] * 100:9.1f} {quotes['quote_f'] * 100:8.1f} "
              f"{quotes['quote_wsw_f'] * 100:16.1f} {time.perf_counter() - start:8.1f}")


if __name__ == "__main__":
    main()
