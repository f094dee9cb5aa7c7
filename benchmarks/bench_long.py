"""Long documents: words per second and peak memory as one document grows.

News articles are short, but users also feed the pipeline long texts: a whole
parliamentary session, an interview transcript, a day's wire copy in one string. Each row
joins the corpus's articles (blank lines between them, each keeping its own text) into
one document of about N words and runs the bundled pipeline over it, in a fresh process,
once per size; the time per component shows which one grows faster than the text. A
pipeline whose components are linear in the text keeps its words per second as N grows.

    python benchmarks/bench_long.py [--sizes 2000 8000 32000 96000] [--model PATH]

Not a test: it prints figures. The largest default size stays under spaCy's
``nlp.max_length`` (1,000,000 characters).
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import json, resource, sys, time
import persian_diplo
text = open(sys.argv[1], encoding="utf-8").read()
nlp = persian_diplo.load(None if sys.argv[2] == "default" else sys.argv[2])
doc = nlp.make_doc(text)
doc._.date = "2024-06-01"
times = {}
t0 = time.perf_counter()
for name, proc in nlp.pipeline:
    t = time.perf_counter()
    doc = proc(doc)
    times[name] = time.perf_counter() - t
seconds = time.perf_counter() - t0
print(json.dumps({"words": len(text.split()), "tokens": len(doc), "entities": len(doc.ents),
                  "quotes": len(doc._.quotes), "seconds": seconds, "times": times,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def long_text(records, words: int) -> str:
    """Articles joined by blank lines until the text has about ``words`` words."""
    parts, count = [], 0
    while count < words:
        for record in records:
            parts.append(record["text"].strip())
            count += len(record["text"].split())
            if count >= words:
                break
    return "\n\n".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 8000, 32000, 96000])
    parser.add_argument("--data", type=Path, default=ROOT / "corpus" / "dev.jsonl")
    parser.add_argument("--model", default="default")
    args = parser.parse_args()
    import tempfile

    records = [json.loads(line) for line in args.data.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            path = Path(tmp) / f"long_{size}.txt"
            path.write_text(long_text(records, size), encoding="utf-8")
            out = subprocess.run([sys.executable, "-c", CHILD, str(path), args.model], capture_output=True,
                                 text=True, cwd=ROOT)
            if out.returncode != 0:
                sys.exit(f"size {size}: the run failed:\n{out.stderr[-2000:]}")
            rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
    names = list(rows[0]["times"])
    print(f"{'words':>8} {'tokens':>8} {'entities':>9} {'quotes':>7} {'words/s':>9} {'peak MB':>8}   "
          + " ".join(f"{n.replace('diplo_', ''):>10}" for n in names))
    for r in rows:
        print(f"{r['words']:>8,} {r['tokens']:>8,} {r['entities']:>9,} {r['quotes']:>7,} "
              f"{r['words'] / r['seconds']:>9,.0f} {r['peak_mb']:>8,.0f}   "
              + " ".join(f"{r['times'][n]:>9.2f}s" for n in names))


if __name__ == "__main__":
    main()
