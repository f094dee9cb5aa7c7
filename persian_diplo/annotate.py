"""Batch annotation: read documents, run the pipeline, write guideline records.

Inputs are ``.txt`` files (one document each, its id the file name without extension),
``.jsonl`` files of ``{"id", "text"}`` objects (optionally ``"date"``), gzipped
versions of both, directories of such files, glob patterns, or ``-`` for standard
input (plain text, or JSONL when every line is a JSON object).
"""
from __future__ import annotations

import glob
import json
import multiprocessing
import sys
from collections import deque
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any, Dict, Iterable, Iterator, List, Optional, Sequence, Set, Tuple, Union

from spacy.language import Language
from spacy.tokens import Doc

from . import extensions  # noqa: F401  (installs doc._.date)
from .corpus.io import InputError, dumps, iter_jsonl, open_text, parse_jsonl_lines

TEXT_SUFFIXES = (".txt", ".txt.gz")
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".json.gz", ".ndjson")


@dataclass
class InputDocument:
    """One document to annotate, with where it came from (for error messages)."""

    id: str
    text: str
    date: Optional[str] = None
    meta: Dict[str, Any] = field(default_factory=dict)
    source: str = ""


def _suffix_kind(path: Path) -> Optional[str]:
    name = path.name.lower()
    if name.endswith(JSONL_SUFFIXES):
        return "jsonl"
    if name.endswith(TEXT_SUFFIXES):
        return "txt"
    return None


class InputFile(str):
    """A file name (a ``str``) that remembers the directory it was found under, so that
    documents get ids relative to it («2020/03/article-1», not «article-1» twice)."""

    base: Optional[str] = None

    def __new__(cls, name: str, base: Optional[str] = None) -> "InputFile":
        item = super().__new__(cls, name)
        item.base = base
        return item

    def document_id(self) -> str:
        """The id of a .txt document: its path under the directory it was found in (or
        its file name when the file was named directly), without extensions."""
        path = Path(str(self))
        if self.base is not None:
            try:
                path = path.relative_to(self.base)
            except ValueError:
                path = Path(path.name)
        else:
            path = Path(path.name)
        name = path.name
        for suffix in (".gz",) + TEXT_SUFFIXES + JSONL_SUFFIXES:
            if name.lower().endswith(suffix):
                name = name[: -len(suffix)]
        return (path.parent / name).as_posix() if str(path.parent) != "." else name


def expand_inputs(inputs: Sequence[str]) -> List[str]:
    """Files named by paths, directories (their .txt/.jsonl files, recursively, sorted)
    and glob patterns, in the order given. ``-`` stands for standard input. Files found
    in a directory remember it (:class:`InputFile`), for their documents' ids."""
    files: List[str] = []
    for item in inputs:
        if item == "-":
            files.append(item)
            continue
        path = Path(item)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and _suffix_kind(p))
            if not found:
                raise InputError(f"{path}: directory has no .txt or .jsonl files")
            files.extend(InputFile(str(p), str(path)) for p in found)
        elif path.exists():
            files.append(InputFile(item))
        elif any(ch in item for ch in "*?["):
            matches = sorted(glob.glob(item, recursive=True))
            if not matches:
                raise InputError(f"{item}: no file matches this pattern")
            files.extend(InputFile(m) for m in matches if Path(m).is_file())
        else:
            raise InputError(f"{item}: no such file")
    return files


def _record_document(obj: Dict[str, Any], where: str, default_id: str) -> InputDocument:
    text = obj.get("text")
    if not isinstance(text, str):
        raise InputError(f"{where}: the object has no \"text\" string")
    doc_id = obj.get("id", default_id)
    date = obj.get("date")
    if date is not None and not isinstance(date, str):
        raise InputError(f"{where}: \"date\" must be an ISO 8601 string")
    meta = {k: v for k, v in obj.items() if k not in ("id", "text", "date", "entities", "quotes")}
    return InputDocument(str(doc_id), text, date, meta, where)


def read_documents(files: Sequence[str], stdin=None) -> Iterator[InputDocument]:
    """Stream the documents of ``files`` (see :func:`expand_inputs`), one at a time: a
    JSONL file is read line by line, never whole."""
    for name in files:
        if name == "-":
            yield from _read_stdin(stdin if stdin is not None else sys.stdin)
            continue
        item = name if isinstance(name, InputFile) else InputFile(name)
        path = Path(item)
        kind = _suffix_kind(path)
        if kind == "jsonl":
            stem = item.document_id()
            for number, obj in iter_jsonl(path):
                yield _record_document(obj, f"{path}:{number}", f"{stem}-{number}")
        else:
            try:
                with open_text(path) as handle:
                    text = handle.read()
            except UnicodeDecodeError as err:
                raise InputError(f"{path}: not UTF-8 text ({err.reason} at byte {err.start})") from None
            yield InputDocument(item.document_id(), text, source=str(path))


def _read_stdin(stream) -> Iterator[InputDocument]:
    try:
        data = stream.read()
    except UnicodeDecodeError as err:
        raise InputError(f"<stdin>: not UTF-8 text ({err.reason})") from None
    lines = [ln for ln in data.splitlines() if ln.strip()]
    if lines and all(ln.lstrip().startswith("{") for ln in lines):
        for number, obj in parse_jsonl_lines(data.splitlines(), "<stdin>"):
            yield _record_document(obj, f"<stdin>:{number}", f"stdin-{number}")
    else:
        yield InputDocument("stdin", data, source="<stdin>")


def doc_to_record(doc: Doc, doc_id: str, date: Optional[str] = None, meta: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
    """The guidelines' record of an annotated Doc: id, text, entities, quotes (offsets
    are character offsets into ``doc.text``)."""
    record: Dict[str, Any] = {"id": doc_id}
    if date:
        record["date"] = date
    if meta:
        record.update({k: v for k, v in meta.items() if k not in record})
    record["text"] = doc.text
    record["entities"] = [
        {"start": ent.start_char, "end": ent.end_char, "label": ent.label_, "kb_id": ent.kb_id_ or None}
        for ent in doc.ents
    ]
    quotes = doc._.quotes if Doc.has_extension("quotes") else None
    record["quotes"] = [q.to_dict() for q in quotes] if quotes else []
    return record


#: A sentence that makes every component build what it builds on first use (the
#: quotation cue matcher, the linker's name and title indexes).
WARM_UP_TEXT = "عباس عراقچی، وزیر امور خارجه ایران، در تهران گفت: «ما به برجام پایبندیم.» وی افزود که گفت‌وگو ادامه دارد."


def warm_up(nlp: Language) -> None:
    """Run ``nlp`` once on a short text, outside any memory zone, so that what its
    components build lazily (with strings of their own) is built in the permanent
    vocabulary. Call it before using ``nlp.memory_zone()`` yourself."""
    if getattr(nlp, "_persian_diplo_warm", False):
        return
    nlp(WARM_UP_TEXT)
    nlp._persian_diplo_warm = True  # type: ignore[attr-defined]


def annotate(nlp: Language, documents: Iterable[InputDocument], *, batch_size: int = 64,
             n_process: int = 1, date: Optional[str] = None,
             zone_size: int = 2000) -> Iterator[Tuple[InputDocument, Dict[str, Any]]]:
    """Run ``nlp`` over ``documents``; yield each input with its record, in order.

    In one process, every ``zone_size`` documents run inside a spaCy memory zone: the
    strings and lexemes that those documents added to the vocabulary are freed when the
    zone closes, so memory stays flat over an archive of any size (the records are
    plain data, made before the zone closes)."""
    def contexts(items: Iterable[InputDocument]) -> Iterator[Tuple[Doc, InputDocument]]:
        for document in items:
            doc = nlp.make_doc(document.text)
            doc._.date = document.date or date
            yield doc, document

    def run(items: Iterable[InputDocument]) -> Iterator[Tuple[InputDocument, Dict[str, Any]]]:
        for doc, document in nlp.pipe(contexts(items), as_tuples=True, batch_size=batch_size, n_process=n_process):
            yield document, doc_to_record(doc, document.id, document.date or date, document.meta)

    if n_process != 1:
        if "fork" in multiprocessing.get_all_start_methods():
            yield from _annotate_in_processes(nlp, documents, n_process=n_process, batch_size=batch_size,
                                              date=date, zone_size=zone_size)
        else:  # no fork (Windows, macOS default): spaCy's own multiprocessing
            yield from run(documents)
        return
    if zone_size <= 0 or not hasattr(nlp, "memory_zone"):
        yield from run(documents)
        return
    warm_up(nlp)
    stream = iter(documents)
    while True:
        chunk = list(islice(stream, zone_size))
        if not chunk:
            return
        with nlp.memory_zone():
            yield from run(chunk)


_WORKER_NLP: Optional[Language] = None


def _annotate_chunk(chunk: List[InputDocument], date: Optional[str], batch_size: int,
                    zone_size: int) -> List[Dict[str, Any]]:
    assert _WORKER_NLP is not None
    return [record for _, record in annotate(_WORKER_NLP, chunk, batch_size=batch_size, date=date,
                                             zone_size=zone_size)]


def _annotate_in_processes(nlp: Language, documents: Iterable[InputDocument], *, n_process: int, batch_size: int,
                           date: Optional[str], zone_size: int) -> Iterator[Tuple[InputDocument, Dict[str, Any]]]:
    """``n_process`` forked workers that share the loaded pipeline (copy-on-write) and
    send back records, not Docs: the parent only reads inputs and writes outputs. At
    most two chunks per worker are in flight, so memory stays flat."""
    global _WORKER_NLP
    warm_up(nlp)
    _WORKER_NLP = nlp
    context = multiprocessing.get_context("fork")
    pending: deque = deque()
    stream = iter(documents)
    with context.Pool(n_process) as pool:
        while True:
            while len(pending) < 2 * n_process:
                chunk = list(islice(stream, batch_size))
                if not chunk:
                    break
                pending.append((chunk, pool.apply_async(_annotate_chunk, (chunk, date, batch_size, zone_size))))
            if not pending:
                break
            chunk, result = pending.popleft()
            yield from zip(chunk, result.get())


# ---------------------------------------------------------------------------- outputs
class JsonlSink:
    """Guideline records appended to a JSONL file, one line per document, flushed as
    they are written. Resumable: opening an existing file reads the ids it holds (and
    drops a last line that a killed run left unfinished), so a rerun skips them."""

    def __init__(self, path: Union[str, Path], *, resume: bool = True):
        self.path = Path(path)
        self.done: Set[str] = set()
        if self.path.name.endswith(".gz"):
            raise InputError(f"{self.path}: write JSONL output uncompressed (it is appended to as the run goes); "
                             "gzip it afterwards")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if resume and self.path.exists():
            self.done = self._scan()
        self.handle = open(self.path, "a" if resume else "w", encoding="utf-8", newline="\n")

    def _scan(self) -> Set[str]:
        done: Set[str] = set()
        good = 0  # bytes of complete, parseable lines
        with open(self.path, "rb") as handle:
            for number, raw in enumerate(handle, 1):
                if not raw.endswith(b"\n"):
                    break  # a line cut by a killed run: rewritten below
                try:
                    done.add(str(json.loads(raw)["id"]))
                except (ValueError, KeyError, TypeError):
                    raise InputError(f"{self.path}:{number}: not a record of a previous run; "
                                     "use --overwrite to replace the file") from None
                good += len(raw)
        if good != self.path.stat().st_size:
            with open(self.path, "r+b") as handle:
                handle.truncate(good)
        return done

    def write(self, record: Dict[str, Any]) -> None:
        self.handle.write(dumps(record) + "\n")

    def flush(self) -> None:
        self.handle.flush()

    def close(self) -> None:
        self.handle.close()


class ParquetSink:
    """Three Parquet tables in a directory (``documents/``, ``entities/``, ``quotes/``,
    columns in :mod:`persian_diplo.tables`), written in parts of ``part_size``
    documents. Each part is written to a temporary name and renamed; a part's document
    rows are written last, so the documents table lists exactly the documents whose
    entities and quotations are complete. Resumable like :class:`JsonlSink`; read the
    result with ``pandas.read_parquet(DIR / "quotes")`` or Dask."""

    def __init__(self, path: Union[str, Path], *, resume: bool = True, part_size: int = 1000):
        from . import tables

        self.tables = tables
        self.path = Path(path)
        self.part_size = part_size
        if self.path.exists() and not self.path.is_dir():
            raise InputError(f"{self.path}: Parquet output is a directory, and a file of that name exists")
        if self.path.exists() and any(self.path.iterdir()) and not (self.path / "documents").is_dir():
            raise InputError(f"{self.path}: not empty and not the output of a previous run")
        for name in tables.TABLES:
            (self.path / name).mkdir(parents=True, exist_ok=True)
        self.done: Set[str] = set()
        self.next_part = 0
        if resume:
            self._scan()
        else:
            for name in tables.TABLES:
                for old in (self.path / name).glob("part-*.parquet"):
                    old.unlink()
        for name in tables.TABLES:  # orphans of a killed run: temporary files, parts past the last document part
            for old in (self.path / name).iterdir():
                if old.name.startswith(".") or (old.name.startswith("part-") and self._index(old) >= self.next_part):
                    old.unlink()
        self.buffer: List[Dict[str, Any]] = []

    @staticmethod
    def _index(path: Path) -> int:
        try:
            return int(path.name[len("part-"):].split(".")[0])
        except ValueError:
            return -1

    def _scan(self) -> None:
        import pyarrow.parquet as pq

        for part in sorted((self.path / "documents").glob("part-*.parquet")):
            self.done.update(pq.read_table(part, columns=["doc_id"]).column("doc_id").to_pylist())
            self.next_part = max(self.next_part, self._index(part) + 1)

    def write(self, record: Dict[str, Any]) -> None:
        self.buffer.append(record)
        if len(self.buffer) >= self.part_size:
            self._write_part()

    def _write_part(self) -> None:
        if not self.buffer:
            return
        self.tables.write_part(self.buffer, self.path, self.next_part)
        self.next_part += 1
        self.buffer = []

    def flush(self) -> None:
        """Parts are only ever whole: flushing writes nothing until a part is full."""

    def close(self) -> None:
        self._write_part()


def open_sink(output: Union[str, Path], fmt: str = "auto", *, resume: bool = True, part_size: int = 1000):
    """A :class:`JsonlSink` or :class:`ParquetSink` for ``output``. ``fmt`` "auto":
    Parquet for a path without a ``.jsonl`` suffix (a directory), JSONL otherwise."""
    output = Path(output)
    if fmt == "auto":
        fmt = "jsonl" if output.suffix in (".jsonl", ".ndjson", ".json", ".gz") else "parquet"
    if fmt == "jsonl":
        return JsonlSink(output, resume=resume)
    if fmt == "parquet":
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            raise InputError("Parquet output needs pyarrow: pip install \"persian_diplo[tables]\"") from None
        return ParquetSink(output, resume=resume, part_size=part_size)
    raise InputError(f"unknown output format {fmt!r} (jsonl or parquet)")


def skip_done(documents: Iterable[InputDocument], done: Set[str], seen: Optional[Set[str]] = None,
              skipped: Optional[List[int]] = None) -> Iterator[InputDocument]:
    """The documents whose id is not in ``done``. Ids must be unique: a repeated id
    raises (a resumed run could not tell the two documents apart)."""
    seen = set() if seen is None else seen
    for document in documents:
        if document.id in seen:
            raise InputError(f"{document.source or '<input>'}: document id {document.id!r} occurs twice; "
                             "ids must be unique (give each JSONL object its own \"id\")")
        seen.add(document.id)
        if document.id in done:
            if skipped is not None:
                skipped[0] += 1
            continue
        yield document
