"""Annotation on a Dask cluster (``dask.distributed``): the same records and tables as
one process, spread over many machines.

Each worker process loads the pipeline once, on its first task, and keeps it for every
later task (:func:`worker_pipeline`); tasks ship only texts and get back plain records.

>>> from dask.distributed import Client
>>> import persian_diplo.dask as pdd
>>> client = Client("tcp://scheduler:8786")          # or LocalCluster()
>>> tables = pdd.annotate_files(["archive/2019/", "archive/2020/*.jsonl.gz"])
>>> quotes = tables["quotes"]                         # a dask DataFrame
>>> quotes.groupby("speaker_kb_id").size().nlargest(20).compute()
>>> pdd.write_parquet(["archive/"], "out/")           # out/{documents,entities,quotes}/

A ``dask.bag`` of texts or ``{"id", "text", "date"}`` dicts works too
(:func:`annotate_bag`, :func:`to_dataframes`). ``persian-diplo annotate --scheduler
ADDRESS`` drives an existing cluster from the command line, with the same resumable
outputs as a local run (:func:`annotate_on_cluster`).
"""
from __future__ import annotations

import threading
from collections import deque
from itertools import islice
from pathlib import Path
from typing import Any, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple, Union

try:
    import dask
    import dask.bag as db
    import dask.dataframe as dd
except ImportError as err:  # pragma: no cover - depends on the environment
    raise ImportError(
        "persian_diplo.dask needs Dask: pip install \"persian_diplo[dask]\" "
        "(dask[dataframe], distributed, pandas, pyarrow)"
    ) from err

from . import tables
from .annotate import InputDocument, annotate, expand_inputs, read_documents

__all__ = ["worker_pipeline", "annotate_bag", "to_dataframes", "annotate_files", "write_parquet",
           "annotate_on_cluster", "load_count"]

PipelineKey = Tuple[Optional[str], Tuple[str, ...]]

_PIPELINES: Dict[PipelineKey, Any] = {}
_LOCK = threading.Lock()
_LOADS = 0


def worker_pipeline(model: Optional[str] = None, kb_files: Sequence[str] = ()):
    """The pipeline of this process, loaded on first use and kept: one per worker
    process, however many tasks it runs. (Threads of one worker share it; nlp.pipe
    calls are serialised by :func:`_annotate_documents`.)"""
    global _LOADS
    key: PipelineKey = (None if model is None else str(model), tuple(str(f) for f in kb_files))
    with _LOCK:
        nlp = _PIPELINES.get(key)
        if nlp is None:
            from . import load

            nlp = _PIPELINES[key] = load(key[0], kb_files=key[1])
            _LOADS += 1
    return nlp


def load_count() -> int:
    """How many pipelines this process has loaded (tests check it is one per worker)."""
    return _LOADS


_PIPE_LOCK = threading.Lock()


def _as_document(item: Any, position: int) -> InputDocument:
    if isinstance(item, InputDocument):
        return item
    if isinstance(item, str):
        return InputDocument(str(position), item)
    if isinstance(item, dict) and isinstance(item.get("text"), str):
        meta = {k: v for k, v in item.items() if k not in ("id", "text", "date", "entities", "quotes")}
        return InputDocument(str(item.get("id", position)), item["text"], item.get("date"), meta)
    raise TypeError(f"expected a text or a {{\"id\", \"text\"}} dict, got {type(item).__name__}")


def _annotate_documents(documents: List[InputDocument], model: Optional[str], kb_files: Sequence[str],
                        date: Optional[str], batch_size: int) -> List[Dict[str, Any]]:
    nlp = worker_pipeline(model, kb_files)
    with _PIPE_LOCK:
        return [record for _, record in annotate(nlp, documents, batch_size=batch_size, date=date)]


def _annotate_partition(items: Iterable[Any], model: Optional[str], kb_files: Sequence[str],
                        date: Optional[str], batch_size: int, partition: int) -> List[Dict[str, Any]]:
    documents = [_as_document(item, f"{partition}-{i}" if not isinstance(item, (dict, InputDocument)) else i)
                 for i, item in enumerate(items)]
    return _annotate_documents(documents, model, kb_files, date, batch_size)


def annotate_bag(bag: "db.Bag", *, model: Optional[str] = None, kb_files: Sequence[Union[str, Path]] = (),
                 date: Optional[str] = None, batch_size: int = 64) -> "db.Bag":
    """A bag of guideline records from a bag of texts or ``{"id", "text", "date"}``
    dicts. A plain text gets the id ``"<partition>-<position>"``."""
    kb = tuple(str(f) for f in kb_files)
    parts = bag.to_delayed()
    annotated = [dask.delayed(_annotate_partition)(part, model, kb, date, batch_size, i)
                 for i, part in enumerate(parts)]
    return db.from_delayed(annotated)


def _read_files(files: Sequence[str]) -> List[InputDocument]:
    return list(read_documents(files))


def _documents_bag(inputs: Sequence[str], files_per_partition: int) -> "db.Bag":
    files = [f for f in expand_inputs(inputs) if f != "-"]
    if not files:
        raise ValueError("no input files")
    chunks = [files[i:i + files_per_partition] for i in range(0, len(files), files_per_partition)]
    return db.from_delayed([dask.delayed(_read_files)(chunk) for chunk in chunks])


def _table(records: List[Dict[str, Any]], table: str):
    return tables.frame(tables.records_rows(records)[table], table)


def to_dataframes(records: "db.Bag") -> Dict[str, "dd.DataFrame"]:
    """The three tables of a bag of records as Dask DataFrames (one partition per bag
    partition). They share the annotation: compute them together
    (``dask.compute(*frames.values())``) or persist the bag first, or each one
    annotates again."""
    parts = records.to_delayed()
    return {name: dd.from_delayed([dask.delayed(_table)(part, name) for part in parts],
                                  meta=tables.frame([], name), verify_meta=False)
            for name in tables.TABLES}


def annotate_files(inputs: Sequence[str], *, model: Optional[str] = None,
                   kb_files: Sequence[Union[str, Path]] = (), date: Optional[str] = None,
                   files_per_partition: int = 100, batch_size: int = 64) -> Dict[str, "dd.DataFrame"]:
    """Tables (Dask DataFrames) of the documents in ``inputs``: files, directories and
    globs as ``persian-diplo annotate`` reads them. The files are read by the workers,
    ``files_per_partition`` per task; document ids are those of the command line."""
    bag = _documents_bag(inputs, files_per_partition)
    return to_dataframes(annotate_bag(bag, model=model, kb_files=kb_files, date=date, batch_size=batch_size))


def write_parquet(inputs: Union[Sequence[str], "db.Bag"], out: Union[str, Path], *, model: Optional[str] = None,
                  kb_files: Sequence[Union[str, Path]] = (), date: Optional[str] = None,
                  files_per_partition: int = 100, batch_size: int = 64) -> Dict[str, int]:
    """Annotate ``inputs`` (files, directories, globs, or a bag of texts/dicts) on the
    current Dask scheduler and write the three tables as partitioned Parquet under
    ``out`` (the layout of ``persian-diplo annotate -o DIR``). Returns row counts."""
    if isinstance(inputs, db.Bag):
        records = annotate_bag(inputs, model=model, kb_files=kb_files, date=date, batch_size=batch_size)
    else:
        records = annotate_bag(_documents_bag(list(inputs), files_per_partition), model=model,
                               kb_files=kb_files, date=date, batch_size=batch_size)
    writes = [dask.delayed(tables.write_part)(part, str(out), i) for i, part in enumerate(records.to_delayed())]
    counts = dask.compute(*writes)
    return {table: sum(c[table] for c in counts) for table in tables.TABLES}


def annotate_on_cluster(address: Union[str, Any], documents: Iterable[InputDocument], *,
                        model: Optional[str] = None, kb_files: Sequence[Union[str, Path]] = (),
                        date: Optional[str] = None, chunk_size: int = 64, batch_size: int = 64,
                        max_in_flight: Optional[int] = None) -> Iterator[Tuple[InputDocument, Dict[str, Any]]]:
    """Stream ``documents`` through a cluster and yield ``(document, record)`` in input
    order, like :func:`persian_diplo.annotate.annotate`: chunks of ``chunk_size``
    documents are submitted as tasks, at most ``max_in_flight`` at a time (default:
    twice the cluster's threads), so memory stays flat however long the input.
    ``address``: a scheduler address or a ``distributed.Client``."""
    from distributed import Client

    client = address if isinstance(address, Client) else Client(address, set_as_default=False)
    own_client = client is not address
    try:
        if max_in_flight is None:
            max_in_flight = max(2, 2 * sum(client.nthreads().values()))
        kb = tuple(str(f) for f in kb_files)
        model_name = None if model is None else str(model)
        pending: deque = deque()
        stream = iter(documents)
        while True:
            while len(pending) < max_in_flight:
                chunk = list(islice(stream, chunk_size))
                if not chunk:
                    break
                future = client.submit(_annotate_documents, chunk, model_name, kb, date, batch_size, pure=False)
                pending.append((chunk, future))
            if not pending:
                break
            chunk, future = pending.popleft()
            records = future.result()
            future.release()
            yield from zip(chunk, records)
    finally:
        if own_client:
            client.close()
