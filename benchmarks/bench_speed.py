"""Speed and memory of the full pipeline, against a plain spaCy tok2vec + NER pipeline.

Prints one table. Every figure comes from a fresh subprocess, on the same texts: the
news articles of the corpus (train, dev and test: 541 articles, about 100k words;
repeated when --words asks for more):

- plain spaCy: ``spacy.blank("fa")``'s tokenizer + the bundled pipeline's own tok2vec
  and NER (same architecture, same width, same weights), words per second;
- the full bundled pipeline (text layer, tok2vec, NER, gazetteer, linker, quotations):
  import + load time, words per second in one process, peak memory (max RSS);
- its share of time per component (each component run over all documents in turn);
- ``nlp.pipe(n_process=2)``; ``persian_diplo.annotate.annotate`` (what the command line
  runs: documents in, guideline records out) in 1 and 2 processes; and a Dask
  ``LocalCluster`` of 2 single-threaded worker processes (pipelines loaded before the
  clock starts), words per second;
- the ratio of the full pipeline's throughput to the plain one's.

    python benchmarks/bench_speed.py [--words 100000] [--model default] [--no-dask] [--json FILE]

Run it on a quiet machine: the figures are wall-clock. Whether torch is installed
matters: thinc imports it with spaCy when it is there (``pip install persian_diplo``
does not install it; the ``transformers`` extra does), which adds about 2 s to the load
and 250 MB to the memory; the table says which case was measured.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

COMMON = r"""
import json, resource, sys, time
T0 = time.perf_counter()
texts = json.load(open(sys.argv[1], encoding="utf-8"))
model = None if sys.argv[2] == "default" else sys.argv[2]
words = sum(len(t.split()) for t in texts)
def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
def emit(**values):
    print("RESULT " + json.dumps(values))
"""

FULL = COMMON + r"""
t0 = time.perf_counter()
import persian_diplo
import_s = time.perf_counter() - t0
nlp = persian_diplo.load(model)
load_s = time.perf_counter() - t0
t1 = time.perf_counter()
tokens = sum(len(doc) for doc in nlp.pipe(texts, batch_size=64))
seconds = time.perf_counter() - t1
emit(import_s=import_s, load_s=load_s, words=words, tokens=tokens, seconds=seconds, peak_mb=peak_mb(),
     torch="torch" in sys.modules, pipeline=nlp.pipe_names)
"""

PLAIN = COMMON + r"""
import spacy
import persian_diplo
from spacy.util import registry
path = persian_diplo.default_pipeline_path() if model is None else model
nlp = spacy.load(path, exclude=[n for n in spacy.load(path).pipe_names if n not in ("tok2vec", "ner")])
nlp.tokenizer = registry.tokenizers.get("spacy.Tokenizer.v1")()(nlp)  # spaCy's own fa tokenizer
list(nlp.pipe(texts[:5]))
t1 = time.perf_counter()
tokens = sum(len(doc) for doc in nlp.pipe(texts, batch_size=64))
seconds = time.perf_counter() - t1
emit(words=words, tokens=tokens, seconds=seconds, peak_mb=peak_mb(), pipeline=nlp.pipe_names)
"""

COMPONENTS = COMMON + r"""
import persian_diplo
nlp = persian_diplo.load(model)
times = {}
t = time.perf_counter()
docs = [nlp.make_doc(text) for text in texts]
times["tokenizer"] = time.perf_counter() - t
for name, proc in nlp.pipeline:
    t = time.perf_counter()
    docs = list(proc.pipe(docs, batch_size=64))
    times[name] = time.perf_counter() - t
emit(times=times, words=words)
"""

MULTI = COMMON + r"""
import persian_diplo
nlp = persian_diplo.load(model)
t1 = time.perf_counter()
tokens = sum(len(doc) for doc in nlp.pipe(texts, batch_size=32, n_process=int(sys.argv[3])))
seconds = time.perf_counter() - t1
emit(words=words, seconds=seconds, peak_mb=peak_mb(),
     children_peak_mb=resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
"""

RECORDS = COMMON + r"""
import persian_diplo
from persian_diplo.annotate import InputDocument, annotate, warm_up
nlp = persian_diplo.load(model)
warm_up(nlp)
documents = [InputDocument(str(i), t) for i, t in enumerate(texts)]
t1 = time.perf_counter()
count = sum(1 for _ in annotate(nlp, documents, n_process=int(sys.argv[3])))
seconds = time.perf_counter() - t1
emit(words=words, seconds=seconds, documents=count, peak_mb=peak_mb())
"""

DASK = COMMON + r"""
import dask.bag as db
from dask.distributed import Client, LocalCluster
import persian_diplo.dask as pdd
if __name__ == "__main__":
    with LocalCluster(n_workers=int(sys.argv[3]), threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        client.run(pdd.worker_pipeline, model)  # load one pipeline per worker before the clock starts
        items = [{"id": str(i), "text": t} for i, t in enumerate(texts)]
        bag = db.from_sequence(items, npartitions=4 * int(sys.argv[3]))
        t1 = time.perf_counter()
        records = pdd.annotate_bag(bag, model=model).compute()
        seconds = time.perf_counter() - t1
        emit(words=words, seconds=seconds, documents=len(records), loads=client.run(pdd.load_count))
"""


def run_child(code: str, texts_path: Path, model: str, *extra: str) -> dict:
    script = texts_path.parent / "child.py"
    script.write_text(code, encoding="utf-8")
    result = subprocess.run([sys.executable, str(script), str(texts_path), model, *extra],
                            capture_output=True, text=True, cwd=str(texts_path.parent))
    for line in result.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT "):])
    raise SystemExit(f"benchmark step failed:\n{result.stderr[-3000:]}")


def corpus_texts(target_words: int) -> list:
    texts = []
    for split in ("train", "dev", "test"):
        with open(ROOT / "corpus" / f"{split}.jsonl", encoding="utf-8") as handle:
            texts.extend(json.loads(line)["text"] for line in handle if line.strip())
    out, words = [], 0
    while words < target_words:
        for text in texts:
            out.append(text)
            words += len(text.split())
            if words >= target_words:
                break
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--words", type=int, default=100_000)
    parser.add_argument("--model", default="default")
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--no-dask", action="store_true")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    args = parser.parse_args()

    texts = corpus_texts(args.words)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "texts.json"
        path.write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
        plain = run_child(PLAIN, path, args.model)
        full = run_child(FULL, path, args.model)
        components = run_child(COMPONENTS, path, args.model)
        multi = run_child(MULTI, path, args.model, str(args.processes))
        records_1 = run_child(RECORDS, path, args.model, "1")
        records_n = run_child(RECORDS, path, args.model, str(args.processes))
        dask_result = None
        if not args.no_dask:
            try:
                import dask  # noqa: F401
                import distributed  # noqa: F401
            except ImportError:
                print("(dask not installed: no Dask row; pip install \"persian_diplo[dask]\")", file=sys.stderr)
            else:
                dask_result = run_child(DASK, path, args.model, str(args.processes))

    wps = lambda r: r["words"] / r["seconds"]  # noqa: E731
    total = sum(components["times"].values())
    ours = [n for n in components["times"] if n not in ("tok2vec", "ner")]
    rows = [
        ("machine", f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"),
        ("text", f"{len(texts)} news articles, {full['words']:,} words ({full['tokens']:,} tokens)"),
        ("torch imported with spaCy", "yes" if full["torch"] else "no (plain install)"),
        ("plain spaCy tok2vec + NER, 1 process", f"{wps(plain):,.0f} words/s"),
        ("full pipeline, 1 process", f"{wps(full):,.0f} words/s"),
        ("ratio full / plain", f"{wps(full) / wps(plain):.2f}"),
        (f"full pipeline, nlp.pipe(n_process={args.processes})", f"{wps(multi):,.0f} words/s ({wps(multi) / wps(full):.2f}x)"),
        ("annotate() to records (the CLI), 1 process", f"{wps(records_1):,.0f} words/s"),
        (f"annotate() to records (the CLI), {args.processes} processes",
         f"{wps(records_n):,.0f} words/s ({wps(records_n) / wps(records_1):.2f}x)"),
    ]
    if dask_result:
        rows.append((f"Dask LocalCluster, {args.processes} workers x 1 thread",
                     f"{wps(dask_result):,.0f} words/s ({wps(dask_result) / wps(full):.2f}x); pipelines loaded: "
                     f"{sorted(dask_result['loads'].values())}"))
    rows += [
        ("import + load()", f"{full['load_s']:.2f} s (import {full['import_s']:.2f} s)"),
        ("peak memory (max RSS), load + 1 process run", f"{full['peak_mb']:,.0f} MB"),
        ("custom components' share of time", f"{100 * sum(components['times'][n] for n in ours) / total:.1f} %"),
    ]
    rows += [(f"  {name}", f"{100 * seconds / total:5.1f} %  ({seconds:.2f} s)")
             for name, seconds in components["times"].items()]
    width = max(len(k) for k, _ in rows)
    print(f"{'measure':<{width}}  value")
    print("-" * (width + 40))
    for key, value in rows:
        print(f"{key:<{width}}  {value}")
    if args.json:
        args.json.write_text(json.dumps({"plain": plain, "full": full, "components": components,
                                         "multi": multi, "records_1": records_1, "records_n": records_n, "dask": dask_result}, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
