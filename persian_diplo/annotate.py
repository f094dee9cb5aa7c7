"""Batch annotation: read documents, run the pipeline, write guideline records.

Inputs are ``.txt`` files (one document each, its id the file name without extension),
``.jsonl`` files of ``{"id", "text"}`` objects (optionally ``"date"``), gzipped
versions of both, directories of such files, glob patterns, or ``-`` for standard
input (plain text, or JSONL when every line is a JSON object).
"""
from __future__ import annotations

import glob
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple

from spacy.language import Language
from spacy.tokens import Doc

from . import extensions  # noqa: F401  (installs doc._.date)
from .corpus.io import InputError, iter_jsonl, open_text, parse_jsonl_lines

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


def expand_inputs(inputs: Sequence[str]) -> List[str]:
    """Files named by paths, directories (their .txt/.jsonl files, recursively, sorted)
    and glob patterns, in the order given. ``-`` stands for standard input."""
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
            files.extend(str(p) for p in found)
        elif path.exists():
            files.append(item)
        elif any(ch in item for ch in "*?["):
            matches = sorted(glob.glob(item, recursive=True))
            if not matches:
                raise InputError(f"{item}: no file matches this pattern")
            files.extend(m for m in matches if Path(m).is_file())
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
    """Stream the documents of ``files`` (see :func:`expand_inputs`)."""
    for name in files:
        if name == "-":
            yield from _read_stdin(stdin if stdin is not None else sys.stdin)
            continue
        path = Path(name)
        kind = _suffix_kind(path)
        if kind == "jsonl":
            for number, obj in iter_jsonl(path):
                yield _record_document(obj, f"{path}:{number}", f"{path.stem}-{number}")
        else:
            try:
                with open_text(path) as handle:
                    text = handle.read()
            except UnicodeDecodeError as err:
                raise InputError(f"{path}: not UTF-8 text ({err.reason} at byte {err.start})") from None
            stem = path.name[: -len(".gz")] if path.name.endswith(".gz") else path.name
            yield InputDocument(Path(stem).stem, text, source=str(path))


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


def annotate(nlp: Language, documents: Iterable[InputDocument], *, batch_size: int = 64,
             n_process: int = 1, date: Optional[str] = None) -> Iterator[Tuple[InputDocument, Dict[str, Any]]]:
    """Run ``nlp`` over ``documents``; yield each input with its record, in order."""
    def contexts() -> Iterator[Tuple[Doc, InputDocument]]:
        for document in documents:
            doc = nlp.make_doc(document.text)
            doc._.date = document.date or date
            yield doc, document

    for doc, document in nlp.pipe(contexts(), as_tuples=True, batch_size=batch_size, n_process=n_process):
        yield document, doc_to_record(doc, document.id, document.date or date, document.meta)
