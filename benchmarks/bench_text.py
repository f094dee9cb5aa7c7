"""Text-layer benchmark: speed, memory and accuracy of tokenizer, normaliser and sentences.

Prints one table:
- words per second and peak memory of ``persian_diplo.load()`` + ``nlp.pipe`` over at
  least 100k words of Persian text (UD dev sentences and ParsTwiNER tweets, repeated
  until the target is reached), measured in a fresh subprocess, with load time;
- CoNLL 2018 "Tokens" F1 against the UD Persian dev treebanks, ours and
  ``spacy.blank("fa")``'s;
- sentence F1 on the UD dev sentences joined into paragraphs of five, ours and spaCy's
  ``sentencizer``;
- ZWNJ restoration: every ZWNJ stripped from the UD dev words, restored by the
  normaliser, words restored exactly (all Persian words; words that had a ZWNJ).

    python benchmarks/bench_text.py [--shared ../shared] [--words 100000] [--n-process 1]
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TREEBANKS = {
    "PerDT": "ud_persian_perdt/fa_perdt-ud-dev.conllu",
    "Seraji": "ud_persian_seraji/fa_seraji-ud-dev.conllu",
}

SPEED_CHILD = r"""
import json, resource, sys, time
t0 = time.perf_counter()
import persian_diplo
nlp = persian_diplo.load(sys.argv[2] if len(sys.argv) > 2 and sys.argv[2] != "default" else None)
load_s = time.perf_counter() - t0
texts = json.load(open(sys.argv[1], encoding="utf-8"))
n_process = int(sys.argv[3])
words = sum(len(t.split()) for t in texts)
t1 = time.perf_counter()
tokens = 0
for doc in nlp.pipe(texts, batch_size=64, n_process=n_process):
    tokens += len(doc)
elapsed = time.perf_counter() - t1
peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
children_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"load_s": load_s, "words": words, "tokens": tokens, "seconds": elapsed,
                  "peak_mb": peak_kb / 1024, "children_peak_mb": children_kb / 1024}))
"""


def benchmark_texts(shared: Path, target_words: int) -> list:
    from persian_diplo.text.conllu import read_conllu

    base = []
    for relative in TREEBANKS.values():
        sentences = [s.text for s in read_conllu(shared / "data" / "external" / relative)]
        base.extend(" ".join(sentences[i:i + 8]) for i in range(0, len(sentences), 8))
    tweets = shared / "data" / "external" / "parstwiner" / "train.txt"
    if tweets.exists():
        current = []
        for line in tweets.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                if current:
                    base.append(" ".join(current))
                current = []
            else:
                current.append(line.split("\t")[0])
    texts, words = [], 0
    while words < target_words:
        for text in base:
            texts.append(text)
            words += len(text.split())
            if words >= target_words:
                break
    return texts


def speed(texts: list, model: str, n_process: int, tmp: Path) -> dict:
    path = tmp / "bench_texts.json"
    path.write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
    out = subprocess.run([sys.executable, "-c", SPEED_CHILD, str(path), model, str(n_process)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--words", type=int, default=100_000)
    parser.add_argument("--model", default="default")
    parser.add_argument("--n-process", type=int, default=1)
    args = parser.parse_args()

    import tempfile

    import spacy

    import persian_diplo
    from persian_diplo.text.conllu import read_conllu, sentence_f1, token_f1, zwnj_restoration
    from persian_diplo.text.normalizer import Normalizer

    rows = []
    texts = benchmark_texts(args.shared, args.words)
    with tempfile.TemporaryDirectory() as tmp:
        result = speed(texts, args.model, args.n_process, Path(tmp))
    wps = result["words"] / result["seconds"]
    rows.append(("speed", f"load() + nlp.pipe, {result['words']:,} words, n_process={args.n_process}",
                 f"{wps:,.0f} words/s"))
    rows.append(("speed", "load time", f"{result['load_s']:.2f} s"))
    peak = max(result["peak_mb"], result["children_peak_mb"])
    rows.append(("memory", "peak resident memory (max of process and children)", f"{peak:,.0f} MB"))

    ours = persian_diplo.blank()
    blank = spacy.blank("fa")
    blank_sent = spacy.blank("fa")
    blank_sent.add_pipe("sentencizer")
    normalizer = Normalizer()
    for name, relative in TREEBANKS.items():
        sentences = list(read_conllu(args.shared / "data" / "external" / relative))
        t_ours = token_f1(sentences, lambda t: [x.text for x in ours.make_doc(t)])
        t_blank = token_f1(sentences, lambda t: [x.text for x in blank.make_doc(t)])
        rows.append(("tokens F1", f"UD {name} dev ({t_ours.gold:,} tokens): persian_diplo / spacy.blank('fa')",
                     f"{100 * t_ours.f1:.2f} / {100 * t_blank.f1:.2f}"))
        s_ours = sentence_f1(sentences, lambda t: [s.text for s in ours(t).sents])
        s_blank = sentence_f1(sentences, lambda t: [s.text for s in blank_sent(t).sents])
        rows.append(("sentence F1", f"UD {name} dev ({s_ours.gold:,} sentences, paragraphs of 5): ours / spaCy sentencizer",
                     f"{100 * s_ours.f1:.2f} / {100 * s_blank.f1:.2f}"))
        z = zwnj_restoration(sentences, normalizer)
        rows.append(("ZWNJ restored", f"UD {name} dev: all {z.words:,} words / {z.zwnj_words:,} words written with ZWNJ",
                     f"{100 * z.accuracy:.2f} % / {100 * z.zwnj_accuracy:.2f} %"))

    width = max(len(r[1]) for r in rows)
    print(f"{'metric':<14} {'what':<{width}}  value")
    print(f"{'-' * 14} {'-' * width}  {'-' * 20}")
    for metric, what, value in rows:
        print(f"{metric:<14} {what:<{width}}  {value}")


if __name__ == "__main__":
    main()
