"""The ``persian-diplo`` command line (also ``python -m persian_diplo``).

A thin layer over the package: argument parsing, progress, and errors turned into one
readable line and a non-zero exit status (``--debug`` shows the traceback).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

from .about import __version__
from .corpus.io import InputError, atomic_writer, dumps

EXIT_ERROR = 1
EXIT_USAGE = 2


class CLIError(Exception):
    """An error the user can fix; its message is printed as is."""


# ---------------------------------------------------------------------------- annotate
def cmd_annotate(args: argparse.Namespace) -> int:
    import time

    from .annotate import annotate, expand_inputs, open_sink, read_documents, skip_done

    if args.n_process < 1 or args.batch_size < 1 or args.part_size < 1 or args.chunk_size < 1:
        raise CLIError("--n-process, --batch-size, --part-size and --chunk-size must be at least 1")
    if args.scheduler and args.n_process != 1:
        raise CLIError("--n-process is for a local run; with --scheduler the cluster's workers do the work")
    files = expand_inputs(args.inputs or ["-"])
    if args.output:
        sink = open_sink(args.output, args.format, resume=not args.overwrite, part_size=args.part_size)
        if sink.done:
            print(f"resuming: {len(sink.done):,} documents already in {args.output} are skipped", file=sys.stderr)
    else:
        if args.format == "parquet":
            raise CLIError("Parquet output needs --output DIR")
        sink = _StdoutSink()
    skipped = [0]
    documents = skip_done(read_documents(files), sink.done, skipped=skipped)
    if args.scheduler:
        try:
            from .dask import annotate_on_cluster
        except ImportError as err:
            raise CLIError(str(err)) from None
        records = annotate_on_cluster(args.scheduler, documents, model=args.model, kb_files=args.kb,
                                      date=args.date, chunk_size=args.chunk_size, batch_size=args.batch_size)
    else:
        nlp = _load(args.model, args.kb)
        records = annotate(nlp, documents, batch_size=args.batch_size, n_process=args.n_process, date=args.date)
    progress = _progress(args, unit="doc")
    count = words = 0
    start = time.perf_counter()
    try:
        for document, record in records:
            sink.write(record)
            count += 1
            words += len(document.text.split())
            if count % args.batch_size == 0:
                sink.flush()
            progress.update(1)
            elapsed = time.perf_counter() - start
            if elapsed > 0:
                progress.set_postfix_str(f"{words / elapsed:,.0f} words/s", refresh=False)
    finally:
        sink.close()
        progress.close()
    if args.output:
        elapsed = time.perf_counter() - start
        rate = f", {words / elapsed:,.0f} words/s" if elapsed > 0 and count else ""
        print(f"wrote {count:,} documents ({words:,} words{rate}) to {args.output}"
              + (f"; skipped {skipped[0]:,} already there" if skipped[0] else ""), file=sys.stderr)
    return 0


class _StdoutSink:
    done: frozenset = frozenset()

    def write(self, record: Dict[str, Any]) -> None:
        sys.stdout.write(dumps(record) + "\n")

    def flush(self) -> None:
        sys.stdout.flush()

    def close(self) -> None:
        sys.stdout.flush()


def _progress(args: argparse.Namespace, unit: str):
    from tqdm import tqdm

    show = args.progress if args.progress is not None else sys.stderr.isatty()
    return tqdm(unit=unit, disable=not show, file=sys.stderr, dynamic_ncols=True)


def _load(model: Optional[str], kb_files: Sequence[Path] = ()):
    from . import load
    from .kb import KBError

    try:
        return load(model, kb_files=kb_files)
    except OSError as err:
        raise CLIError(f"cannot load pipeline {model or 'default'}: {err}") from None
    except KBError as err:
        raise CLIError(str(err)) from None


# ---------------------------------------------------------------------------- kb
def _kb(files: Sequence[Path]):
    from . import kb
    from .kb import KBError

    try:
        return kb.load(*files) if files else kb.default()
    except KBError as err:
        raise CLIError(str(err)) from None


def _entity_line(record: Dict[str, Any]) -> str:
    return f"{record['id']:<32} {record['label']:<10} {record['name_fa']} ({record['name_en']})"


def cmd_kb_lookup(args: argparse.Namespace) -> int:
    base = _kb(args.kb)
    record = base.get(args.name)
    found = [record] if record else base.lookup(args.name, args.label)
    if args.json:
        print(json.dumps(found, ensure_ascii=False, indent=2))
    for record in found if not args.json else []:
        print(_entity_line(record))
        for office in record.get("offices", []):
            to = f" to {office['to']}" if office.get("to") else ""
            print(f"    {office['role']} of {office['of']}{to}: {office.get('start')} – {office.get('end') or 'now'}")
    return 0 if found else EXIT_ERROR


def cmd_kb_holders(args: argparse.Namespace) -> int:
    base = _kb(args.kb)
    people = base.holders(args.role, args.of, args.date, to=args.to)
    for record in people:
        print(_entity_line(record))
    if not people:
        print(f"nobody holds {args.role} of {args.of} on {args.date or 'today'} in the knowledge base", file=sys.stderr)
    return 0 if people else EXIT_ERROR


def cmd_kb_validate(args: argparse.Namespace) -> int:
    base = _kb(args.files)
    for warning in base.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    conflicts = base.alias_conflicts()
    for alias, ids in conflicts.items():
        print(f"warning: name {alias!r} is shared by {', '.join(ids)} (explain it in ambiguity.jsonl)", file=sys.stderr)
    print(f"ok: {len(base)} entities, {len(base.warnings)} dangling references, {len(conflicts)} unexplained shared names")
    return 0


# ---------------------------------------------------------------------------- evaluate
def cmd_evaluate(args: argparse.Namespace) -> int:
    from .corpus.converters import read_any
    from .evaluate import evaluate, format_report

    nlp = _load(None if args.model in ("default", None) else args.model, args.kb)
    records = []
    for path in args.data:
        records.extend(read_any(path))
    if not records:
        raise CLIError("no records to evaluate")
    if args.date:
        for record in records:
            record.setdefault("date", args.date)
    result = evaluate(nlp, records)
    result["model"] = str(args.model)
    report = format_report(result, f"{args.model} on {', '.join(map(str, args.data))} ({len(records)} documents)")
    if args.output:
        with atomic_writer(args.output) as handle:
            handle.write(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print(report)
    return 0


# ---------------------------------------------------------------------------- train
def cmd_train(args: argparse.Namespace) -> int:
    from .train import train

    overrides: Dict[str, Any] = {}
    if args.max_steps is not None:
        overrides["training.max_steps"] = args.max_steps
    if args.patience is not None:
        overrides["training.patience"] = args.patience
    if args.eval_frequency is not None:
        overrides["training.eval_frequency"] = args.eval_frequency
    if args.model_name:
        overrides["paths.transformer"] = args.model_name
    try:
        train(args.data, args.output, dev=args.dev, base=args.base, config=args.config, overrides=overrides,
              seed=args.seed)
    except (FileNotFoundError, ValueError) as err:
        raise CLIError(str(err)) from None
    print(f"saved the trained pipeline to {args.output}; load it with persian_diplo.load({str(args.output)!r})",
          file=sys.stderr)
    return 0


# ---------------------------------------------------------------------------- info
def cmd_info(args: argparse.Namespace) -> int:
    import spacy

    nlp = _load(args.model)
    labels: Dict[str, List[str]] = {}
    for name, pipe in nlp.pipeline:
        pipe_labels = getattr(pipe, "labels", None)
        if pipe_labels:
            labels[name] = sorted(pipe_labels)
    info = {
        "persian_diplo": __version__,
        "spacy": spacy.__version__,
        "pipeline": str(args.model or "default"),
        "lang": nlp.lang,
        "components": nlp.pipe_names,
        "labels": labels,
        "pipeline_version": nlp.meta.get("version"),
    }
    if args.json:
        print(json.dumps(info, ensure_ascii=False, indent=2))
    else:
        print(f"persian_diplo {info['persian_diplo']} (spaCy {info['spacy']})")
        print(f"pipeline   {info['pipeline']} (version {info['pipeline_version']}, lang {info['lang']})")
        print(f"components {', '.join(info['components']) or '(none)'}")
        for name, names in labels.items():
            print(f"labels     {name}: {', '.join(names)}")
    return 0


# ---------------------------------------------------------------------------- normalize
def cmd_normalize(args: argparse.Namespace) -> int:
    from .text.normalizer import normalize

    text = sys.stdin.read() if not args.text else " ".join(args.text)
    sys.stdout.write(normalize(text, digits=args.digits))
    if args.text:
        sys.stdout.write("\n")
    return 0


# ---------------------------------------------------------------------------- corpus
def _read_records(paths: Sequence[str]):
    """(where, record) from JSONL files or markup files (by extension)."""
    from .corpus.io import iter_jsonl
    from .corpus.markup import MarkupError, convert_file

    for name in paths:
        path = Path(name)
        if not path.exists():
            raise InputError(f"{path}: no such file")
        if path.suffix in (".txt", ".md", ".markup"):
            try:
                for line, record in convert_file(path):
                    yield f"{path}:{line}", record
            except MarkupError as err:
                raise InputError(str(err)) from None
        else:
            for line, record in iter_jsonl(path):
                yield f"{path}:{line}", record


def cmd_corpus_validate(args: argparse.Namespace) -> int:
    from .corpus.schema import validate_record

    errors = warnings = records = 0
    seen: Dict[str, str] = {}
    for where, record in _read_records(args.files):
        records += 1
        problems = validate_record(record)
        rid = record.get("id") if isinstance(record, dict) else None
        if rid is not None:
            if str(rid) in seen:
                problems.append(_problem(f"id {rid!r} is already used at {seen[str(rid)]}"))
            seen[str(rid)] = where
        for problem in problems:
            if problem.severity == "error":
                errors += 1
            else:
                warnings += 1
                if not args.warnings:
                    continue
            print(f"{where}: {problem}", file=sys.stderr)
    status = "ok" if not errors else "FAILED"
    print(f"{status}: {records} records, {errors} errors, {warnings} warnings"
          + ("" if args.warnings or not warnings else " (--warnings to list them)"))
    return 0 if not errors else EXIT_ERROR


def _problem(message: str):
    from .corpus.schema import Problem

    return Problem(message)


def cmd_corpus_stats(args: argparse.Namespace) -> int:
    from .corpus.stats import corpus_stats, format_stats

    stats = corpus_stats(record for _, record in _read_records(args.files))
    if args.json:
        print(json.dumps(stats, ensure_ascii=False, indent=2))
    else:
        print(format_stats(stats))
    return 0


def cmd_corpus_consistency(args: argparse.Namespace) -> int:
    from .corpus.consistency import find_inconsistencies

    found = find_inconsistencies((record for _, record in _read_records(args.files)), min_count=args.min_count)
    labels = [i for i in found if i.kind == "label"]
    kb_ids = [i for i in found if i.kind == "kb_id"]
    print(f"{len(labels)} strings with more than one label, {len(kb_ids)} with more than one id under one label")
    for item in (labels + kb_ids)[: args.limit]:
        print(f"  {item}")
    return 0


def cmd_corpus_import(args: argparse.Namespace) -> int:
    """Other annotation formats (doccano, Label Studio, BIO/CoNLL, DocBin) to guideline JSONL."""
    from .corpus.converters import read_any
    from .corpus.io import write_jsonl

    kwargs: Dict[str, Any] = {}
    if args.label_map:
        kwargs["label_map"] = args.label_map
    if args.sentences_per_doc != 1:
        kwargs["sentences_per_doc"] = args.sentences_per_doc
    records = []
    for path in args.files:
        try:
            records.extend(read_any(path, args.format, **kwargs))
        except (TypeError, ValueError) as err:
            if isinstance(err, InputError):
                raise
            raise CLIError(f"{path}: {err}") from None
    count = write_jsonl(args.output, records)
    print(f"wrote {count} records to {args.output}", file=sys.stderr)
    return 0


def cmd_corpus_docbin(args: argparse.Namespace) -> int:
    """Guideline records (JSONL or markup) to a spaCy DocBin for `spacy train`."""
    from .corpus.converters import write_docbin
    from .pipeline import blank

    records = [record for _, record in _read_records(args.files)]
    stats = write_docbin(records, blank(), args.output)
    print(f"wrote {stats.docs} documents ({stats.entities} entities) to {args.output}", file=sys.stderr)
    return 0


def cmd_corpus_convert(args: argparse.Namespace) -> int:
    """Markup or JSONL in, JSONL out (validated)."""
    from .corpus.io import write_jsonl
    from .corpus.schema import validate_record

    records = []
    for where, record in _read_records(args.files):
        errors = [p for p in validate_record(record) if p.severity == "error"]
        if errors:
            raise CLIError(f"{where}: {errors[0]}")
        records.append(record)
    count = write_jsonl(args.output, records)
    print(f"wrote {count} records to {args.output}", file=sys.stderr)
    return 0


# ---------------------------------------------------------------------------- parser
def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="persian-diplo", description="Political entities and quotations in Persian news.")
    parser.add_argument("--version", action="version", version=f"persian_diplo {__version__}")
    parser.add_argument("--debug", action="store_true", help="show the traceback of an error")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("annotate", help="annotate documents: JSONL records or Parquet tables",
                       description="Annotate .txt files, .jsonl files of {\"id\", \"text\"} lines (gzipped too), "
                                   "directories, globs, or standard input ('-' or nothing). Output: one JSONL "
                                   "record per document in the annotation guidelines' format, or Parquet tables "
                                   "(documents, entities, quotes) in a directory. Streaming, and resumable: "
                                   "rerun the same command after an interruption and it skips the documents "
                                   "already written.")
    p.add_argument("inputs", nargs="*", help="files, directories or glob patterns; '-' or none: standard input")
    p.add_argument("-o", "--output", type=Path,
                   help="a .jsonl file, or a directory for Parquet tables; default: JSONL on standard output")
    p.add_argument("--format", choices=("auto", "jsonl", "parquet"), default="auto",
                   help="output format (auto: JSONL for a .jsonl path, Parquet otherwise)")
    p.add_argument("--overwrite", action="store_true",
                   help="start afresh instead of resuming an existing output")
    p.add_argument("-m", "--model", help="pipeline directory or name (default: the bundled pipeline)")
    p.add_argument("--n-process", type=int, default=1, help="processes (default 1)")
    p.add_argument("--batch-size", type=int, default=64, help="documents per batch (default 64)")
    p.add_argument("--part-size", type=int, default=1000, help="Parquet: documents per part file (default 1000)")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="run on an existing Dask cluster (tcp://host:8786); needs persian_diplo[dask]")
    p.add_argument("--chunk-size", type=int, default=64, help="--scheduler: documents per task (default 64)")
    p.add_argument("--date", help="document date (ISO 8601) for inputs that give none")
    _add_kb_option(p)
    p.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="progress bar with documents and words per second on standard error "
                        "(default: when it is a terminal)")
    p.set_defaults(func=cmd_annotate)

    p = sub.add_parser("evaluate", help="entity, linking and quotation scores of a pipeline on annotated data")
    p.add_argument("model", help="pipeline directory, or 'default' for the bundled one")
    p.add_argument("data", nargs="+", type=Path, help="annotated records (JSONL, or any format `corpus import` reads)")
    _add_kb_option(p)
    p.add_argument("--date", help="date (ISO 8601) of records that give none")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("-o", "--output", type=Path, help="also write the scores as JSON to this file")
    p.set_defaults(func=cmd_evaluate)

    p = sub.add_parser("train", help="train or fine-tune the pipeline on your annotations",
                       description="Train the NER on annotated documents (the guidelines' JSONL, doccano, Label Studio, "
                                   "BIO/CoNLL or DocBin), add the gazetteer, linker and quotation rules, print dev scores, "
                                   "and save to --output (replaced only when everything succeeded).")
    p.add_argument("--data", type=Path, action="append", required=True, help="training annotations (repeatable)")
    p.add_argument("--dev", type=Path, action="append", default=[], help="evaluation annotations (default: 10%% of --data)")
    p.add_argument("--base", default="default", help="default (fine-tune the shipped pipeline), blank, or a pipeline directory")
    p.add_argument("--config", default="cnn", help="cnn (CPU, default), trf (transformer) or a .cfg path")
    p.add_argument("--model-name", help="trf: the transformer (a Hugging Face name or a local directory)")
    p.add_argument("-o", "--output", type=Path, required=True)
    p.add_argument("--max-steps", type=int)
    p.add_argument("--patience", type=int, help="stop after this many steps without improvement")
    p.add_argument("--eval-frequency", type=int)
    p.add_argument("--seed", type=int, default=0)
    p.set_defaults(func=cmd_train)

    p = sub.add_parser("info", help="version, components and labels of a pipeline")
    p.add_argument("-m", "--model", help="pipeline directory or name (default: the bundled pipeline)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_info)

    p = sub.add_parser("normalize", help="print the normal form of text (arguments or standard input)")
    p.add_argument("text", nargs="*")
    p.add_argument("--digits", choices=("persian", "ascii"), default="persian")
    p.set_defaults(func=cmd_normalize)

    kbp = sub.add_parser("kb", help="the knowledge base: look up entities and office holders")
    ksub = kbp.add_subparsers(dest="kb_command", metavar="COMMAND")
    p = ksub.add_parser("lookup", help="entities by id or by name in any spelling")
    p.add_argument("name")
    p.add_argument("--label")
    _add_kb_option(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_kb_lookup)
    p = ksub.add_parser("holders", help="who held an office on a date: holders ROLE OF [--date]")
    p.add_argument("role", help="role id, e.g. president")
    p.add_argument("of", help="country or organisation id, e.g. russia")
    p.add_argument("--date", help="ISO 8601 date (default: today)")
    p.add_argument("--to", help="host country of an ambassador or envoy")
    _add_kb_option(p)
    p.set_defaults(func=cmd_kb_holders)
    p = ksub.add_parser("validate", help="validate JSONL entity files together with the shipped knowledge base")
    p.add_argument("files", nargs="*", type=Path)
    p.set_defaults(func=cmd_kb_validate)
    kbp.set_defaults(func=lambda a: _usage(kbp))

    corpus = sub.add_parser("corpus", help="annotated corpora: validate, count, convert")
    csub = corpus.add_subparsers(dest="corpus_command", metavar="COMMAND")
    p = csub.add_parser("validate", help="check records against the annotation guidelines' schema")
    p.add_argument("files", nargs="+", help="JSONL files, or markup files (.txt)")
    p.add_argument("--warnings", action="store_true", help="list warnings too")
    p.set_defaults(func=cmd_corpus_validate)
    p = csub.add_parser("stats", help="documents, entities per label, quotation counts")
    p.add_argument("files", nargs="+")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_corpus_stats)
    p = csub.add_parser("import", help="doccano, Label Studio, BIO/CoNLL or DocBin files to guideline JSONL")
    p.add_argument("files", nargs="+")
    p.add_argument("-o", "--output", type=Path, required=True)
    p.add_argument("--format", default="auto", choices=("auto", "records", "doccano", "label_studio", "bio", "docbin"))
    p.add_argument("--label-map", help="arman, peyma or parstwiner: map that set's labels to the guidelines'")
    p.add_argument("--sentences-per-doc", type=int, default=1, help="BIO: sentences grouped into one document")
    p.set_defaults(func=cmd_corpus_import)
    p = csub.add_parser("docbin", help="guideline JSONL or markup to a spaCy DocBin (.spacy)")
    p.add_argument("files", nargs="+")
    p.add_argument("-o", "--output", type=Path, required=True)
    p.set_defaults(func=cmd_corpus_docbin)
    p = csub.add_parser("consistency", help="strings labelled differently across documents, for review")
    p.add_argument("files", nargs="+")
    p.add_argument("--min-count", type=int, default=2, help="ignore strings seen fewer times (default 2)")
    p.add_argument("--limit", type=int, default=100, help="rows to print (default 100)")
    p.set_defaults(func=cmd_corpus_consistency)
    p = csub.add_parser("convert", help="markup or JSONL files to one validated JSONL file")
    p.add_argument("files", nargs="+")
    p.add_argument("-o", "--output", type=Path, required=True)
    p.set_defaults(func=cmd_corpus_convert)
    corpus.set_defaults(func=lambda a: _usage(corpus))
    return parser


def _add_kb_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--kb", type=Path, action="append", default=[], metavar="FILE",
                        help="JSONL file of your own knowledge-base entities (repeatable)")


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return EXIT_USAGE


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        return _usage(parser)
    try:
        return int(args.func(args) or 0)
    except (CLIError, InputError) as err:
        print(f"persian-diplo: error: {err}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("persian-diplo: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # the reader went away (`| head`): not an error of ours
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except Exception as err:  # noqa: BLE001 - one readable line, not a traceback
        if args.debug:
            raise
        print(f"persian-diplo: error: {type(err).__name__}: {err} (run with --debug for the traceback)", file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
