"""An archive through the command line: flat memory, killed and resumed, and the same
tables as the Dask path.

1. Writes ``--docs`` documents (default 10,000) to a temporary archive: paragraphs of
   the corpus articles, alone or in pairs, half as ``.txt`` files in nested folders,
   half as gzipped JSONL files.
2. Runs ``persian-diplo annotate ARCHIVE -o TABLES`` (Parquet) and sends it SIGKILL
   once half of the documents are written; samples its resident memory (RSS) every
   0.2 s.
3. Runs the same command again: it resumes; RSS sampled again.
4. Annotates the archive with ``persian_diplo.dask.write_parquet`` on a LocalCluster of
   2 worker processes and compares the three tables row for row.

    python benchmarks/bench_scale.py [--docs 10000] [--workers 2] [--keep DIR]

Prints one table: documents and words, each run's documents, time and words per
second, RSS after 10 %, 50 % and 90 % of each run's documents and its peak, and
whether the tables are equal.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def paragraphs() -> list:
    out = []
    for split in ("train", "dev", "test"):
        with open(ROOT / "corpus" / f"{split}.jsonl", encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                out.extend((p, record["date"]) for p in record["text"].split("\n") if len(p.split()) >= 8)
    return out


def write_archive(folder: Path, n: int) -> int:
    pieces = paragraphs()
    words = 0
    half = n // 2
    for i in range(n):
        first, date = pieces[i % len(pieces)]
        text = first if i % 3 else first + "\n" + pieces[(i * 7 + 1) % len(pieces)][0]
        words += len(text.split())
        if i < half:
            path = folder / "txt" / f"{i // 1000:02d}" / f"{(i // 100) % 10}" / f"doc{i:06d}.txt"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        else:
            part = folder / "jsonl" / f"wire-{(i - half) // 1000:03d}.jsonl.gz"
            part.parent.mkdir(parents=True, exist_ok=True)
            with gzip.open(part, "at", encoding="utf-8") as handle:
                handle.write(json.dumps({"id": f"wire-{i}", "text": text, "date": date}, ensure_ascii=False) + "\n")
    return words


def rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except FileNotFoundError:
        pass
    return 0.0


def documents_written(out: Path, part_size: int) -> int:
    return part_size * len(list((out / "documents").glob("part-*.parquet"))) if (out / "documents").exists() else 0


def run(command: list, out: Path, part_size: int, stop_at: int = 0) -> dict:
    start = time.perf_counter()
    first = documents_written(out, part_size)
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    samples = []  # (documents written, RSS MB)
    killed = False
    while process.poll() is None:
        done = documents_written(out, part_size)
        samples.append((done, rss_mb(process.pid)))
        if stop_at and done >= stop_at:
            os.kill(process.pid, signal.SIGKILL)
            killed = True
            break
        time.sleep(0.2)
    stderr = process.communicate()[1]
    if not killed and process.returncode != 0:
        raise SystemExit(f"annotate failed:\n{stderr}")
    return {"seconds": time.perf_counter() - start, "samples": samples, "killed": killed, "stderr": stderr,
            "documents": documents_written(out, part_size) - first}


def at_fraction(samples: list, fraction: float, first: int, last: int) -> float:
    target = first + fraction * (last - first)
    values = [rss for done, rss in samples if done >= target and rss]
    return values[0] if values else float("nan")


def compare(cli: Path, dask_out: Path) -> dict:
    import pandas as pd

    from persian_diplo import tables

    result = {}
    for name in tables.TABLES:
        a, b = pd.read_parquet(cli / name), pd.read_parquet(dask_out / name)
        keys = ["doc_id"] + (["index"] if "index" in a.columns else [])
        a = a.sort_values(keys).reset_index(drop=True).astype(object).where(a.notna(), None)
        b = b.sort_values(keys).reset_index(drop=True).astype(object).where(b.notna(), None)
        result[name] = (len(a), a.equals(b))
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--part-size", type=int, default=250)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--keep", type=Path, help="keep the archive and the tables in this directory")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    work = args.keep or tmp
    archive, cli_out, dask_out = work / "archive", work / "tables-cli", work / "tables-dask"
    for folder in (archive, cli_out, dask_out):
        shutil.rmtree(folder, ignore_errors=True)
    archive.mkdir(parents=True)
    words = write_archive(archive, args.docs)
    command = [sys.executable, "-m", "persian_diplo", "annotate", str(archive), "-o", str(cli_out),
               "--part-size", str(args.part_size), "--no-progress"]
    first = run(command, cli_out, args.part_size, stop_at=args.docs // 2)
    second = run(command, cli_out, args.part_size)

    from dask.distributed import Client, LocalCluster

    import persian_diplo.dask as pdd

    with LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster):
        t0 = time.perf_counter()
        counts = pdd.write_parquet([str(archive)], dask_out, files_per_partition=200)
        dask_seconds = time.perf_counter() - t0
    equal = compare(cli_out, dask_out)

    rows = [("archive", f"{args.docs:,} documents, {words:,} words ({archive})")]
    for name, result, lo, hi in (("run 1 (killed)", first, 0, first["documents"]),
                                 ("run 2 (resumed)", second, first["documents"], args.docs)):
        s = result["samples"]
        rows.append((name, f"{result['documents']:,} documents in {result['seconds']:.0f} s "
                           f"(incl. load){', SIGKILL at ' + str(s[-1][0]) + ' written' if result['killed'] else ''}"))
        rows.append(("  RSS at 10 / 50 / 90 % of its documents",
                     " / ".join(f"{at_fraction(s, f, lo, hi):,.0f}" for f in (0.1, 0.5, 0.9)) + " MB"))
        rows.append(("  peak RSS", f"{max((r for _, r in s), default=0):,.0f} MB"))
    resumed = [ln for ln in second["stderr"].splitlines() if ln.startswith("resuming")]
    rows.append(("resume message", resumed[0] if resumed else "(none)"))
    rows.append((f"Dask LocalCluster, {args.workers} workers", f"{counts['documents']:,} documents in {dask_seconds:.0f} s "
                                                              f"(incl. worker start and load)"))
    rows.append(("tables CLI (killed + resumed) == Dask",
                 ", ".join(f"{k}: {n:,} rows {'equal' if ok else 'DIFFERENT'}" for k, (n, ok) in equal.items())))
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        print(f"{key:<{width}}  {value}")
    if not args.keep:
        shutil.rmtree(tmp, ignore_errors=True)
    if not all(ok for _, ok in equal.values()):
        sys.exit(1)


if __name__ == "__main__":
    main()
