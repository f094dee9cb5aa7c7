"""Annotations as tables: one row per document, per entity and per quotation.

The same rows feed ``persian_diplo.to_dataframe`` (pandas, for notebooks), the Parquet
output of ``persian-diplo annotate`` and the Dask DataFrames of
:mod:`persian_diplo.dask`, so the three always agree.

Offsets are character offsets into the document's text (``doc.text``, the user's text
exactly), end exclusive, like the records of the annotation guidelines.

``documents``  doc_id, date, chars, words, entities, quotes
``entities``   doc_id, index, start, end, text, label, kb_id
``quotes``     doc_id, index, kind, optional, speaker_start, speaker_end, speaker,
               speaker_label, speaker_kb_id, cue_start, cue_end, cue, content_start,
               content_end, content

``speaker_label`` is the entity label of the speaker mention (PERSON, ROLE, ORG…),
``PRON`` for a pronoun, or empty when no speaker is written.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple, Union

if TYPE_CHECKING:  # pragma: no cover
    import pandas
    import pyarrow
    from spacy.tokens import Doc

TABLES = ("documents", "entities", "quotes")

#: column -> kind: "str" (nullable string), "int" (64-bit), "int?" (nullable), "bool"
COLUMNS: Dict[str, Dict[str, str]] = {
    "documents": {"doc_id": "str", "date": "str", "chars": "int", "words": "int", "entities": "int",
                  "quotes": "int"},
    "entities": {"doc_id": "str", "index": "int", "start": "int", "end": "int", "text": "str", "label": "str",
                 "kb_id": "str"},
    "quotes": {"doc_id": "str", "index": "int", "kind": "str", "optional": "bool",
               "speaker_start": "int?", "speaker_end": "int?", "speaker": "str", "speaker_label": "str",
               "speaker_kb_id": "str", "cue_start": "int?", "cue_end": "int?", "cue": "str",
               "content_start": "int", "content_end": "int", "content": "str"},
}

_PANDAS_DTYPES = {"str": "string", "int": "int64", "int?": "Int64", "bool": "bool"}

Rows = Dict[str, List[Dict[str, Any]]]


def _piece(text: str, part: Optional[Dict[str, int]]) -> Tuple[Optional[int], Optional[int], Optional[str]]:
    if not part:
        return None, None, None
    return part["start"], part["end"], text[part["start"]:part["end"]]


def record_rows(record: Dict[str, Any]) -> Rows:
    """The rows of one guideline record (``{"id", "text", "entities", "quotes"}``)."""
    text = record["text"]
    doc_id = str(record["id"])
    entities = record.get("entities") or []
    quotes = record.get("quotes") or []
    labels = {(e["start"], e["end"]): e["label"] for e in entities}
    rows: Rows = {
        "documents": [{"doc_id": doc_id, "date": record.get("date"), "chars": len(text),
                       "words": len(text.split()), "entities": len(entities), "quotes": len(quotes)}],
        "entities": [],
        "quotes": [],
    }
    for i, ent in enumerate(entities):
        rows["entities"].append({"doc_id": doc_id, "index": i, "start": ent["start"], "end": ent["end"],
                                 "text": text[ent["start"]:ent["end"]], "label": ent["label"],
                                 "kb_id": ent.get("kb_id")})
    for i, quote in enumerate(quotes):
        s_start, s_end, speaker = _piece(text, quote.get("speaker"))
        c_start, c_end, cue = _piece(text, quote.get("cue"))
        q_start, q_end, content = _piece(text, quote.get("content"))
        label = None
        if s_start is not None:
            label = labels.get((s_start, s_end), "PRON")
        rows["quotes"].append({
            "doc_id": doc_id, "index": i, "kind": quote.get("kind"), "optional": bool(quote.get("optional")),
            "speaker_start": s_start, "speaker_end": s_end, "speaker": speaker, "speaker_label": label,
            "speaker_kb_id": quote.get("speaker_kb_id"), "cue_start": c_start, "cue_end": c_end, "cue": cue,
            "content_start": q_start, "content_end": q_end, "content": content,
        })
    return rows


def records_rows(records: Iterable[Dict[str, Any]]) -> Rows:
    """The rows of many records, table by table."""
    rows: Rows = {name: [] for name in TABLES}
    for record in records:
        for name, items in record_rows(record).items():
            rows[name].extend(items)
    return rows


def _records(docs: Iterable[Any], ids: Optional[Sequence[str]]) -> Iterator[Dict[str, Any]]:
    from spacy.tokens import Doc

    from .annotate import doc_to_record

    id_list = list(ids) if ids is not None else None
    for i, item in enumerate(docs):
        if isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], Doc):
            doc, doc_id = item
        else:
            doc, doc_id = item, None
        if id_list is not None:
            if i >= len(id_list):
                raise ValueError(f"ids has {len(id_list)} items but there are more documents")
            doc_id = id_list[i]
        if isinstance(doc, Doc):
            yield doc_to_record(doc, str(doc_id if doc_id is not None else i), doc._.date)
        elif isinstance(doc, dict) and "text" in doc:
            record = dict(doc)
            record["id"] = str(doc_id if doc_id is not None else record.get("id", i))
            yield record
        else:
            raise TypeError(f"expected a spaCy Doc, a (Doc, id) pair or a guideline record, got {type(doc).__name__}")


def frame(rows: List[Dict[str, Any]], table: str) -> "pandas.DataFrame":
    """A pandas DataFrame of ``rows`` with the table's columns and dtypes (also when
    there are no rows)."""
    import pandas

    columns = COLUMNS[table]
    data = {name: [row.get(name) for row in rows] for name in columns}
    return pandas.DataFrame({name: pandas.array(values, dtype=_PANDAS_DTYPES[kind])
                             for (name, kind), values in zip(columns.items(), data.values())})


def to_dataframe(docs: Iterable[Union["Doc", Tuple["Doc", str], Dict[str, Any]]], table: str = "quotes", *,
                 ids: Optional[Sequence[str]] = None) -> "pandas.DataFrame":
    """A pandas DataFrame of the entities, quotations or documents of ``docs``.

    ``docs``: annotated Docs (as ``nlp.pipe`` yields them), ``(doc, id)`` pairs, or
    guideline records (dicts, as ``persian-diplo annotate`` writes them). Document ids
    are, in that order of precedence, ``ids``, the pair's id or the record's ``"id"``,
    and the position in ``docs``.

    >>> quotes = persian_diplo.to_dataframe(nlp.pipe(texts), "quotes")
    >>> quotes.groupby("speaker_kb_id").size().nlargest(10)
    """
    if table not in TABLES:
        raise ValueError(f"table must be one of {', '.join(TABLES)}, got {table!r}")
    return frame(records_rows(_records(docs, ids))[table], table)


def to_dataframes(docs: Iterable[Any], *, ids: Optional[Sequence[str]] = None) -> Dict[str, "pandas.DataFrame"]:
    """All three tables of ``docs`` at once (one pass): ``{"documents", "entities", "quotes"}``."""
    rows = records_rows(_records(docs, ids))
    return {name: frame(rows[name], name) for name in TABLES}


def arrow_schema(table: str) -> "pyarrow.Schema":
    import pyarrow

    kinds = {"str": pyarrow.string(), "int": pyarrow.int64(), "int?": pyarrow.int64(), "bool": pyarrow.bool_()}
    return pyarrow.schema([pyarrow.field(name, kinds[kind], nullable=kind in ("str", "int?"))
                           for name, kind in COLUMNS[table].items()])


def arrow_table(rows: List[Dict[str, Any]], table: str) -> "pyarrow.Table":
    import pyarrow

    schema = arrow_schema(table)
    return pyarrow.Table.from_pylist(rows, schema=schema) if rows else schema.empty_table()


def write_part(records: List[Dict[str, Any]], out: Union[str, "os.PathLike"], index: int) -> Dict[str, int]:
    """Write the three tables of ``records`` as part ``index`` under ``out``
    (``out/documents/part-000007.parquet`` …): each file is written under a temporary
    name and renamed, the documents part last, so that the documents table lists only
    documents whose entities and quotations are complete. Returns row counts."""
    import pyarrow.parquet as pq

    rows = records_rows(records)
    name = f"part-{index:06d}.parquet"
    for table in ("entities", "quotes", "documents"):
        folder = Path(out) / table
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / ("." + name + ".tmp")
        pq.write_table(arrow_table(rows[table], table), tmp)
        os.replace(tmp, folder / name)
    return {table: len(rows[table]) for table in TABLES}
