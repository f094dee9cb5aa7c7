"""Converters between the guideline records and other corpus formats.

- spaCy ``DocBin`` (``.spacy``), both ways, losslessly: :func:`records_to_docbin`,
  :func:`docbin_to_records`, :func:`write_docbin`, :func:`read_docbin`;
- doccano JSONL exports: :func:`read_doccano`;
- Label Studio JSON exports: :func:`read_label_studio`;
- BIO/IOB token files (ARMAN, PEYMA, ParsTwiNER, CoNLL-style): :func:`read_bio`,
  :func:`write_bio`, with ready label maps :data:`ARMAN_LABELS`, :data:`PEYMA_LABELS`,
  :data:`PARSTWINER_LABELS`;
- :func:`read_any` picks the reader from the file name or its first characters.

Every importer returns guideline records (see ``ANNOTATION_GUIDELINES.md``) that pass
:func:`~persian_diplo.corpus.schema.validate_record`; bad input raises
:class:`~persian_diplo.corpus.io.InputError` with a message that starts with
``FILE:LINE:``.

In a ``DocBin`` the entities are ``doc.ents`` (label and ``kb_id_``), on tokens from
``nlp.make_doc``; everything else a record holds (id, date, quotations, extra fields,
the exact offsets of an entity that is not token-aligned) is plain data in
``doc.user_data["persian_diplo"]``, so that ``docbin_to_records(records_to_docbin(r))``
gives back records equal to ``r``.
"""
from __future__ import annotations

import copy
import json
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Dict, Iterable, Iterator, List, Mapping, Optional, Sequence, Tuple, Union

from spacy.language import Language
from spacy.tokens import Doc, DocBin, Span

from .io import InputError, PathLike, atomic_writer, iter_jsonl, open_text
from .schema import LABELS, trim_whitespace, validate_record

logger = logging.getLogger(__name__)

#: The key of ``doc.user_data`` that holds a record's non-entity data.
USER_DATA_KEY = "persian_diplo"

LabelMap = Mapping[str, Optional[str]]

# ---------------------------------------------------------------------------- label maps
# Each map takes a corpus's entity types to the guideline labels; a type mapped to None is
# dropped (its tokens become O). The corpora were annotated under other guidelines, so
# every map is an approximation; the notes say where.

#: ARMAN (ArmanPersoNERCorpus). ``loc`` covers countries and cities (GPE) but also rivers,
#: seas and mountains (LOC under our guidelines): it maps to GPE, the commoner case in
#: news. ``org`` includes nationalities (NORP for us) and stays ORG. ``fac`` (schools,
#: airports, roads) has no guideline label. ``pro`` mixes laws and agreements (AGREEMENT)
#: with books, newspapers and religions, so it is dropped rather than mislabelled.
#: ``event`` also covers earthquakes and holidays; kept as EVENT.
ARMAN_LABELS: LabelMap = MappingProxyType({
    "pers": "PERSON",
    "org": "ORG",
    "loc": "GPE",
    "fac": None,
    "pro": None,
    "event": "EVENT",
})

#: PEYMA. ``LOC`` covers countries and cities and also places without a government;
#: mapped to GPE like ARMAN's ``loc``. Dates, times, money and percentages are not
#: entities under our guidelines. Titles are O in PEYMA, as ROLE is absent.
PEYMA_LABELS: LabelMap = MappingProxyType({
    "PER": "PERSON",
    "ORG": "ORG",
    "LOC": "GPE",
    "DAT": None,
    "TIM": None,
    "MON": None,
    "PCT": None,
})

#: ParsTwiNER. ``NAT`` (nationalities, ethnicities, demonyms) is NORP. ``POG`` (political
#: groups, parties, historical dynasties) is mapped to NORP, the guidelines' "political
#: groups as people" (اصولگرایان); a party named as an organisation («حزب …») would be ORG
#: under our guidelines, so some POG spans are mislabelled by this map. ``EVE`` is EVENT,
#: although ParsTwiNER tags «برجام» (an AGREEMENT for us) as EVE about half the time.
#: ``LOC`` maps to GPE, as for the other corpora.
PARSTWINER_LABELS: LabelMap = MappingProxyType({
    "PER": "PERSON",
    "ORG": "ORG",
    "LOC": "GPE",
    "EVE": "EVENT",
    "NAT": "NORP",
    "POG": "NORP",
})

#: Names accepted for ``label_map`` in place of a mapping.
LABEL_MAPS: Mapping[str, LabelMap] = MappingProxyType({
    "arman": ARMAN_LABELS,
    "peyma": PEYMA_LABELS,
    "parstwiner": PARSTWINER_LABELS,
})


def _label_map(label_map: Union[LabelMap, str, None]) -> Optional[LabelMap]:
    if label_map is None or not isinstance(label_map, str):
        return label_map
    try:
        return LABEL_MAPS[label_map.lower()]
    except KeyError:
        raise ValueError(f"unknown label map {label_map!r} (known: {', '.join(LABEL_MAPS)})") from None


def _check(record: Dict[str, Any], where: str, labels: Optional[Iterable[str]]) -> Dict[str, Any]:
    """Raise InputError at ``where`` on the first schema error of ``record``; return it."""
    if labels is None:  # any label goes: check the rest of the schema
        entities = record.get("entities") if isinstance(record, dict) else None
        labels = {e.get("label") for e in entities or [] if isinstance(e, dict) and isinstance(e.get("label"), str)}
    errors = [p for p in validate_record(record, labels) if p.severity == "error"]
    if errors:
        more = f" (and {len(errors) - 1} more problems)" if len(errors) > 1 else ""
        raise InputError(f"{where}: {errors[0]}{more}")
    return record


_trim = trim_whitespace


# ---------------------------------------------------------------------------- DocBin
@dataclass
class DocBinStats:
    """What :func:`records_to_docbin` had to do: ``expanded`` entities were not aligned
    with token boundaries and are stored in ``doc.ents`` widened to whole tokens (their
    exact offsets are kept in ``user_data``); ``unplaced`` ones overlapped another entity
    once widened and live only in ``user_data``."""

    docs: int = 0
    entities: int = 0
    expanded: int = 0
    unplaced: int = 0
    expanded_examples: List[str] = field(default_factory=list)


def record_to_doc(record: Dict[str, Any], nlp: Language, stats: Optional[DocBinStats] = None) -> Doc:
    """One guideline record as a ``Doc``: tokens from ``nlp.make_doc``, entities as
    ``doc.ents`` (every other token is O), the rest in ``doc.user_data["persian_diplo"]``.
    The record is assumed valid (see :func:`records_to_docbin`)."""
    stats = stats if stats is not None else DocBinStats()
    text = record["text"]
    doc = nlp.make_doc(text)
    placed: List[Span] = []
    info: Dict[str, Dict[str, Any]] = {}
    unplaced: List[List[Any]] = []
    taken = [False] * len(doc)
    entities = record.get("entities") or []
    order = sorted(range(len(entities)), key=lambda i: (entities[i]["start"], entities[i]["end"]))
    for index in order:
        ent = entities[index]
        start, end = ent["start"], ent["end"]
        kb_id = ent.get("kb_id") or ""
        span = doc.char_span(start, end, label=ent["label"], kb_id=kb_id)
        if span is None:
            span = doc.char_span(start, end, label=ent["label"], kb_id=kb_id, alignment_mode="expand")
            stats.expanded += 1
            if len(stats.expanded_examples) < 5:
                widened = span.text if span is not None else None
                stats.expanded_examples.append(f"{record.get('id')}: {text[start:end]!r} -> {widened!r}")
        extra = {k: v for k, v in ent.items() if k not in ("start", "end", "label", "kb_id")}
        if span is None or any(taken[span.start:span.end]):
            unplaced.append([index, copy.deepcopy(ent)])
            stats.unplaced += 1
            continue
        taken[span.start:span.end] = [True] * len(span)
        placed.append(span)
        entry: Dict[str, Any] = {"index": index}
        if (span.start_char, span.end_char) != (start, end):
            entry["start"], entry["end"] = start, end
        if extra:
            entry["extra"] = copy.deepcopy(extra)
        info[f"{span.start_char}:{span.end_char}"] = entry
    doc.set_ents(placed, default="outside")
    stats.entities += len(entities)
    stats.docs += 1

    data: Dict[str, Any] = {
        "id": record.get("id"),
        "keys": list(record.keys()),
        "fields": {k: copy.deepcopy(v) for k, v in record.items() if k not in ("id", "text", "entities", "quotes")},
        "quotes": copy.deepcopy(record.get("quotes") or []),
        "entities": info,
    }
    if unplaced:
        data["unplaced"] = unplaced
    doc.user_data[USER_DATA_KEY] = data
    if record.get("date") is not None and Doc.has_extension("date"):
        doc._.date = record["date"]
    return doc


def records_to_docbin(records: Iterable[Dict[str, Any]], nlp: Language, *,
                      stats: Optional[DocBinStats] = None) -> DocBin:
    """Guideline records as a ``DocBin`` (with user data), one ``Doc`` per record.

    Each record is checked against the schema first (any label is accepted); an error
    raises :class:`InputError` naming the record's index and id. Entities that do not
    fall on token boundaries are widened to whole tokens in ``doc.ents`` (counted in
    ``stats.expanded`` and logged); their exact offsets survive the round trip."""
    stats = stats if stats is not None else DocBinStats()
    docbin = DocBin(store_user_data=True)
    for i, record in enumerate(records):
        rid = record.get("id") if isinstance(record, dict) else None
        _check(record, f"record {i}" + (f" ({rid})" if rid is not None else ""), None)
        docbin.add(record_to_doc(record, nlp, stats))
    if stats.expanded or stats.unplaced:
        logger.warning(
            "%d of %d entities are not aligned with tokens and were widened in doc.ents; "
            "%d overlap another entity and are kept in user_data only (e.g. %s)",
            stats.expanded, stats.entities, stats.unplaced, "; ".join(stats.expanded_examples[:3]))
    return docbin


def _plain(value: Any) -> Any:
    """A copy of msgpack'd user data as JSON-like data: ``DocBin`` gives lists back as
    tuples, which would make a round-tripped record unequal to the original."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value


def doc_to_record(doc: Doc, default_id: str = "") -> Dict[str, Any]:
    """The guideline record of a ``Doc``: the inverse of :func:`record_to_doc`. A ``Doc``
    without our user data (a model's output, say) gives ``default_id``, its ``doc.ents``,
    its date (``doc._.date``) and no quotations."""
    data = _plain(doc.user_data.get(USER_DATA_KEY) or {})
    info = data.get("entities") or {}
    entities: List[Tuple[Any, Dict[str, Any]]] = []
    for ent in doc.ents:
        entry = info.get(f"{ent.start_char}:{ent.end_char}") or {}
        entity = {
            "start": entry.get("start", ent.start_char),
            "end": entry.get("end", ent.end_char),
            "label": ent.label_,
            "kb_id": ent.kb_id_ or None,
        }
        entity.update(entry.get("extra") or {})
        # entities the record did not have (added to doc.ents later) go last, by position
        entities.append(((0, entry["index"]) if "index" in entry else (1, ent.start_char), entity))
    for index, entity in data.get("unplaced") or []:
        entities.append(((0, index), entity))
    entities.sort(key=lambda item: item[0])

    fields = data.get("fields") or {}
    date = fields.get("date", doc._.date if Doc.has_extension("date") else None)
    values: Dict[str, Any] = {
        "id": data.get("id", default_id),
        "text": doc.text,
        "entities": [entity for _, entity in entities],
        "quotes": data.get("quotes") or [],
    }
    values.update(fields)
    if date is not None:
        values["date"] = date
    keys = data.get("keys") or ["id", "date", "text", "entities", "quotes"]
    record = {key: values[key] for key in keys if key in values}
    record.setdefault("id", values["id"])
    record.setdefault("text", values["text"])
    # a record without entities or quotes keeps them out, unless the Doc has some now
    for key in ("entities", "quotes"):
        if key not in record and values[key]:
            record[key] = values[key]
    return record


def docbin_to_records(docbin: DocBin, nlp: Language) -> List[Dict[str, Any]]:
    """The guideline records of a ``DocBin`` (see :func:`doc_to_record`); a ``Doc``
    without an id gets its index as a string."""
    return [doc_to_record(doc, str(i)) for i, doc in enumerate(docbin.get_docs(nlp.vocab))]


def write_docbin(records: Iterable[Dict[str, Any]], nlp: Language, path: PathLike) -> DocBinStats:
    """Write records to a ``.spacy`` file atomically; returns what the conversion did."""
    stats = DocBinStats()
    docbin = records_to_docbin(records, nlp, stats=stats)
    with atomic_writer(path, "wb") as handle:
        handle.write(docbin.to_bytes())
    return stats


def read_docbin(path: PathLike, nlp: Language) -> List[Dict[str, Any]]:
    """The guideline records of a ``.spacy`` file."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such file" if not path.exists() else f"{path}: is a directory, expected a file")
    try:
        docbin = DocBin().from_bytes(path.read_bytes())
    except Exception as err:  # zlib, msgpack and key errors: the file is not a DocBin
        raise InputError(f"{path}: not a spaCy DocBin file ({type(err).__name__}: {err})") from None
    return docbin_to_records(docbin, nlp)


# ---------------------------------------------------------------------------- doccano
def _doccano_spans(obj: Dict[str, Any], where: str) -> List[Tuple[int, int, str]]:
    if isinstance(obj.get("entities"), list):
        spans = []
        for i, ent in enumerate(obj["entities"]):
            if not isinstance(ent, dict) or not {"start_offset", "end_offset", "label"} <= set(ent):
                raise InputError(f"{where}: entities[{i}] needs start_offset, end_offset and label")
            spans.append((ent["start_offset"], ent["end_offset"], ent["label"]))
        return spans
    key = "label" if "label" in obj else "labels" if "labels" in obj else None
    if key is None:
        return []
    value = obj[key]
    if not isinstance(value, list):
        raise InputError(f"{where}: {key!r} must be a list of [start, end, label]")
    spans = []
    for i, item in enumerate(value):
        if isinstance(item, str):
            raise InputError(f"{where}: {key}[{i}] is a category ({item!r}), not a span: "
                             "this looks like a text-classification export")
        if not isinstance(item, (list, tuple)) or len(item) != 3:
            raise InputError(f"{where}: {key}[{i}] must be [start, end, label], got {item!r}")
        spans.append((item[0], item[1], item[2]))
    return spans


def _make_entities(text: str, spans: Iterable[Tuple[Any, Any, Any]], where: str,
                   label_map: Optional[LabelMap]) -> List[Dict[str, Any]]:
    entities = []
    for start, end, label in spans:
        for name, value in (("start", start), ("end", end)):
            if not isinstance(value, int) or isinstance(value, bool):
                raise InputError(f"{where}: span {label!r} has a non-integer {name} {value!r}")
        if not isinstance(label, str):
            raise InputError(f"{where}: span {start}-{end} has a non-string label {label!r}")
        if label_map is not None and label in label_map:
            label = label_map[label]
            if label is None:
                continue
        if 0 <= start < end <= len(text):
            start, end = _trim(text, start, end)
            if start == end:
                raise InputError(f"{where}: span {label!r} at {start} covers only white space")
        entities.append({"start": start, "end": end, "label": label, "kb_id": None})
    entities.sort(key=lambda e: (e["start"], e["end"]))
    return entities


def read_doccano(path: PathLike, *, label_map: Union[LabelMap, str, None] = None,
                 labels: Optional[Iterable[str]] = LABELS) -> List[Dict[str, Any]]:
    """Records from a doccano sequence-labelling JSONL export.

    Accepted lines: ``{"text", "label": [[start, end, "LABEL"], ...]}`` (also the older
    ``"labels"``), and the relation-mode ``{"text", "entities": [{"start_offset",
    "end_offset", "label"}, ...]}``; ``id`` and ``date`` are kept when present (a line
    without ``id`` gets ``STEM-LINE``). Offsets are code points, as in the guidelines;
    white space at the edges of a span is trimmed. ``label_map`` renames labels (None
    drops one); every label must then be one of ``labels`` (``None``: any)."""
    path = Path(path)
    label_map = _label_map(label_map)
    records = []
    for line, obj in iter_jsonl(path):
        where = f"{path}:{line}"
        text = obj.get("text", obj.get("data"))
        if not isinstance(text, str):
            raise InputError(f"{where}: no 'text' string")
        record: Dict[str, Any] = {"id": str(obj["id"]) if obj.get("id") not in (None, "") else f"{path.stem}-{line}"}
        if obj.get("date") is not None:
            record["date"] = obj["date"]
        record["text"] = text
        record["entities"] = _make_entities(text, _doccano_spans(obj, where), where, label_map)
        record["quotes"] = []
        records.append(_check(record, where, labels))
    return records


# ---------------------------------------------------------------------------- Label Studio
def _iter_json_array(path: Path) -> Iterator[Tuple[int, int, Any]]:
    """``(line, index, item)`` for each item of a JSON file holding a list (or one object)."""
    try:
        with open_text(path) as handle:
            source = handle.read()
    except UnicodeDecodeError as err:
        raise InputError(f"{path}: not UTF-8 text ({err.reason})") from None
    decoder = json.JSONDecoder()

    def line_of(pos: int) -> int:
        return source.count("\n", 0, pos) + 1

    def fail(err: json.JSONDecodeError) -> InputError:
        return InputError(f"{path}:{err.lineno}: not valid JSON ({err.msg} at column {err.colno})")

    ws = re.compile(r"\s*")
    pos = ws.match(source, 0).end()
    if pos == len(source):
        raise InputError(f"{path}: empty file, expected a JSON list of tasks")
    if source[pos] != "[":
        try:
            item, end = decoder.raw_decode(source, pos)
        except json.JSONDecodeError as err:
            raise fail(err) from None
        if ws.match(source, end).end() != len(source):
            raise InputError(f"{path}:{line_of(end)}: extra data after the JSON value")
        yield line_of(pos), 0, item
        return
    pos = ws.match(source, pos + 1).end()
    index = 0
    if source.startswith("]", pos):
        pos += 1
    else:
        while True:
            try:
                item, end = decoder.raw_decode(source, pos)
            except json.JSONDecodeError as err:
                raise fail(err) from None
            yield line_of(pos), index, item
            index += 1
            pos = ws.match(source, end).end()
            if source.startswith(",", pos):
                pos = ws.match(source, pos + 1).end()
            elif source.startswith("]", pos):
                pos += 1
                break
            else:
                raise InputError(f"{path}:{line_of(pos)}: expected ',' or ']' after task {index - 1}")
    if ws.match(source, pos).end() != len(source):
        raise InputError(f"{path}:{line_of(pos)}: extra data after the JSON list")


def _utf16_to_index(text: str, offset: int) -> int:
    """A JavaScript (UTF-16) offset as a Python code-point index."""
    units = 0
    for i, ch in enumerate(text):
        if units >= offset:
            return i
        units += 2 if ord(ch) > 0xFFFF else 1
    return len(text)


def read_label_studio(path: PathLike, *, label_map: Union[LabelMap, str, None] = None,
                      labels: Optional[Iterable[str]] = LABELS, text_key: str = "text",
                      from_name: Optional[str] = None) -> List[Dict[str, Any]]:
    """Records from a Label Studio JSON export (a list of tasks).

    Each task ``{"id", "data": {text_key: ...}, "annotations": [{"result": [...]}]}``
    gives one record from its first annotation that was not cancelled (the older
    ``completions`` too); its ``"type": "labels"`` results become entities (only those
    of the control ``from_name`` when given). Tasks with no usable annotation are
    skipped: an unannotated task is not a document without entities. The JSON-MIN
    export (``{"id", "text", "label": [{"start", "end", "labels"}]}``) is read too.
    Offsets are checked against each result's ``text`` (JavaScript UTF-16 offsets are
    converted). ``label_map`` and ``labels`` as for :func:`read_doccano`."""
    path = Path(path)
    label_map = _label_map(label_map)
    records = []
    skipped = 0
    for line, index, task in _iter_json_array(path):
        where = f"{path}:{line}: task {index}"
        if not isinstance(task, dict):
            raise InputError(f"{where}: expected a JSON object, got {type(task).__name__}")
        if "id" in task:
            where += f" (id {task['id']})"
        if isinstance(task.get("data"), dict):
            text = task["data"].get(text_key)
            if not isinstance(text, str):
                raise InputError(f"{where}: data has no {text_key!r} string (pass text_key=)")
            annotations = task.get("annotations") or task.get("completions") or []
            chosen = next((a for a in annotations if isinstance(a, dict) and not a.get("was_cancelled")), None)
            if chosen is None:
                skipped += 1
                continue
            results = [r for r in chosen.get("result") or [] if isinstance(r, dict) and r.get("type") == "labels"
                       and (from_name is None or r.get("from_name") == from_name)]
            values = [r.get("value") for r in results]
            date = task["data"].get("date")
        elif isinstance(task.get(text_key), str):  # JSON-MIN export
            text = task[text_key]
            values = task.get("label") or []
            date = task.get("date")
        else:
            raise InputError(f"{where}: no 'data' object with the task's text")
        spans = []
        for i, value in enumerate(values):
            if not isinstance(value, dict) or not {"start", "end", "labels"} <= set(value):
                raise InputError(f"{where}: result {i} has no start, end and labels")
            names = value["labels"]
            if not isinstance(names, list) or len(names) != 1:
                raise InputError(f"{where}: result {i} must have exactly one label, got {names!r}")
            start, end = value["start"], value["end"]
            shown = value.get("text")
            if isinstance(shown, str) and isinstance(start, int) and isinstance(end, int) and text[start:end] != shown:
                start, end = _utf16_to_index(text, start), _utf16_to_index(text, end)
                if text[start:end] != shown:
                    raise InputError(f"{where}: result {i} says {shown!r} but its offsets cover "
                                     f"{text[value['start']:value['end']]!r}")
            spans.append((start, end, names[0]))
        record: Dict[str, Any] = {"id": str(task["id"]) if task.get("id") not in (None, "") else f"{path.stem}-{index}"}
        if date is not None:
            record["date"] = date
        record.update(text=text, entities=_make_entities(text, spans, where, label_map), quotes=[])
        records.append(_check(record, where, labels))
    if skipped:
        logger.info("%s: skipped %d tasks without a completed annotation", path, skipped)
    return records


# ---------------------------------------------------------------------------- BIO
#: Tag prefixes each ``scheme`` of :func:`read_bio` accepts ("auto": all of them).
SCHEMES: Mapping[str, str] = MappingProxyType({"auto": "BIESLU", "iob": "BI", "bioes": "BIES", "bilou": "BILU"})
_TAG = re.compile(r"^(?:O|([A-Z])[-_](\S+))$")
_SEPARATORS = ("\t", "|", " ")


def _split_line(line: str, sep: str) -> Tuple[str, str, bool]:
    """``(token, tag, found)``: the line split at the last ``sep`` (for a space, at the
    last run of white space, so that a stray tab or double space does no harm)."""
    if sep == " ":
        parts = line.rsplit(None, 1)
        if len(parts) < 2:
            return "", line.strip(), False
        return parts[0].strip(), parts[1], True
    token, found, tag = line.rpartition(sep)
    if not found:
        return "", line.strip(), False
    return token.strip(), tag.strip(), True


def _detect_separator(lines: Sequence[str]) -> Optional[str]:
    """The separator that gives well-formed tags on most of the sample lines."""
    best, best_score = None, 0
    for sep in _SEPARATORS:
        score = 0
        for line in lines:
            token, tag, _ = _split_line(line, sep)
            if token and _TAG.match(tag):
                score += 1
        if score > best_score:
            best, best_score = sep, score
    return best


@dataclass
class _Sentence:
    tokens: List[str]
    lines: List[int]
    spans: List[Tuple[int, int, str, int]]  # first token, end token, raw type, line of first token


def _parse_bio(path: Path, scheme: str, sep: Optional[str]) -> List[_Sentence]:
    if scheme not in SCHEMES:
        raise ValueError(f"unknown scheme {scheme!r} (known: {', '.join(SCHEMES)})")
    allowed = SCHEMES[scheme]
    with open_text(path) as handle:
        try:
            lines = [line.rstrip("\r\n") for line in handle]
        except UnicodeDecodeError as err:
            raise InputError(f"{path}: not UTF-8 text ({err.reason})") from None
    if sep is None:
        sample = [line for line in lines if line.strip() and not line.startswith("-DOCSTART-")][:200]
        sep = _detect_separator(sample)
        if sep is None:
            first = next((i for i, line in enumerate(lines, 1) if line.strip()), 1)
            raise InputError(f"{path}:{first}: cannot tell the separator: no line looks like "
                             "TOKEN<tab>TAG, TOKEN|TAG or TOKEN TAG")
    shown = {"\t": "tab", " ": "space"}.get(sep, repr(sep))

    sentences: List[_Sentence] = []
    current = _Sentence([], [], [])
    open_span: Optional[List[Any]] = None  # [first token, raw type, line]

    def close() -> None:
        nonlocal open_span
        if open_span is not None:
            current.spans.append((open_span[0], len(current.tokens), open_span[1], open_span[2]))
            open_span = None

    for number, line in enumerate(lines + [""], start=1):
        if not line.strip() or line.startswith("-DOCSTART-"):
            close()
            if current.tokens:
                sentences.append(current)
            current = _Sentence([], [], [])
            continue
        token, tag, found = _split_line(line, sep)
        if not found:
            raise InputError(f"{path}:{number}: no tag: expected TOKEN and TAG separated by {shown}, got {line!r}")
        if not token:
            raise InputError(f"{path}:{number}: empty token before the tag {tag!r}")
        match = _TAG.match(tag)
        if match is None or (match.group(1) and match.group(1) not in allowed):
            raise InputError(f"{path}:{number}: tag {tag!r}: expected O, or one of the prefixes "
                             f"{', '.join(allowed)} (scheme {scheme!r}), '-' or '_', and a type, as in B-PER or I_LOC")
        prefix, kind = match.group(1), match.group(2)
        index = len(current.tokens)
        if prefix is None:
            close()
        elif prefix in "BSU" or open_span is None or open_span[1] != kind:
            # an I-/E- tag after O or after another type starts an entity (IOB1)
            close()
            open_span = [index, kind, number]
        current.tokens.append(token)
        current.lines.append(number)
        if prefix is not None and prefix in "SUEL":  # the entity ends with this token
            close()
    return sentences


def read_bio(path: PathLike, scheme: str = "auto", label_map: Union[LabelMap, str, None] = None,
             sep: Optional[str] = None, *, sentences_per_doc: int = 1,
             labels: Optional[Iterable[str]] = LABELS) -> List[Dict[str, Any]]:
    """Records from a BIO/IOB token file: one ``TOKEN<sep>TAG`` a line, a blank line
    (or ``-DOCSTART-``) between sentences.

    ``sep`` is detected when not given: tab (ParsTwiNER), ``|`` (PEYMA, split at the
    last one), or the last space (ARMAN). Tags are ``O`` or a prefix, ``-`` or ``_``
    (``B-PER``, ``B_PER``) and a type; ``scheme`` limits the prefixes ("iob": B I;
    "bioes": B I E S; "bilou": B I L U; "auto": any of them). An I- tag after O or
    after another type starts an entity (IOB1). A line without a tag or with an
    unknown prefix raises :class:`InputError` naming its line.

    The text is the tokens (white space at their ends removed) joined by single
    spaces, ``sentences_per_doc`` sentences a record joined by ``"\\n"``; records get
    the id ``STEM-NNNNN``. ``label_map`` (a mapping or "arman", "peyma",
    "parstwiner") renames types, None dropping one; a label outside ``labels`` then
    raises :class:`InputError` at the line of its first token (``labels=None``
    accepts any)."""
    path = Path(path)
    if sentences_per_doc < 1:
        raise ValueError("sentences_per_doc must be at least 1")
    label_map = _label_map(label_map)
    known = None if labels is None else set(labels)
    sentences = _parse_bio(path, scheme, sep)
    records = []
    for number, first in enumerate(range(0, len(sentences), sentences_per_doc)):
        group = sentences[first:first + sentences_per_doc]
        pieces: List[str] = []
        entities: List[Dict[str, Any]] = []
        offset = 0
        for s, sentence in enumerate(group):
            if s:
                pieces.append("\n")
                offset += 1
            starts = []
            for t, token in enumerate(sentence.tokens):
                if t:
                    pieces.append(" ")
                    offset += 1
                starts.append(offset)
                pieces.append(token)
                offset += len(token)
            for begin, end, kind, line in sentence.spans:
                label = kind
                if label_map is not None and kind in label_map:
                    label = label_map[kind]
                    if label is None:
                        continue
                if known is not None and label not in known:
                    hint = "" if label_map is not None else "; pass label_map= (e.g. ARMAN_LABELS) or labels=None"
                    raise InputError(f"{path}:{line}: label {label!r} is not one of {', '.join(sorted(known))}{hint}")
                entities.append({"start": starts[begin], "end": starts[end - 1] + len(sentence.tokens[end - 1]),
                                 "label": label, "kb_id": None})
        record = {"id": f"{path.stem}-{number:05d}", "text": "".join(pieces), "entities": entities, "quotes": []}
        records.append(_check(record, f"{path}:{group[0].lines[0]}", known))
    return records


def write_bio(records: Iterable[Dict[str, Any]], path: PathLike, nlp: Language) -> int:
    """Write records as a BIO file (``TOKEN<tab>TAG``, IOB2 tags ``B-LABEL``/``I-LABEL``)
    on the tokens of ``nlp.make_doc``, atomically; returns the number of sentences
    written. White-space tokens are left out; one with a line break ends a sentence
    (a blank line), unless it is inside an entity. An entity that is not aligned with
    tokens is widened to whole tokens (as in :func:`records_to_docbin`)."""
    stats = DocBinStats()
    sentences = 0
    with atomic_writer(path) as handle:
        for i, record in enumerate(records):
            rid = record.get("id") if isinstance(record, dict) else None
            _check(record, f"record {i}" + (f" ({rid})" if rid is not None else ""), None)
            doc = record_to_doc(record, nlp, stats)
            written = 0
            for token in doc:
                if token.is_space:
                    if "\n" in token.text and token.ent_iob_ != "I" and written:
                        handle.write("\n")
                        sentences += 1
                        written = 0
                    continue
                tag = "O" if token.ent_iob_ in ("O", "") else f"{token.ent_iob_}-{token.ent_type_}"
                handle.write(f"{token.text}\t{tag}\n")
                written += 1
            if written:
                handle.write("\n")
                sentences += 1
    if stats.expanded or stats.unplaced:
        logger.warning("%s: %d entities widened to token boundaries, %d overlapping ones left out",
                       path, stats.expanded, stats.unplaced)
    return sentences


# ---------------------------------------------------------------------------- any
FORMATS = ("auto", "records", "doccano", "label_studio", "bio", "docbin")
_BIO_SUFFIXES = (".txt", ".conll", ".bio", ".iob", ".iob2", ".tsv")


def read_records(path: PathLike, labels: Optional[Iterable[str]] = LABELS) -> List[Dict[str, Any]]:
    """Guideline records from a JSONL file, each checked against the schema."""
    path = Path(path)
    known = None if labels is None else set(labels)
    return [_check(record, f"{path}:{line}", known) for line, record in iter_jsonl(path)]


def _looks_like_doccano(obj: Dict[str, Any]) -> bool:
    if "label" in obj or "labels" in obj:
        return True
    entities = obj.get("entities")
    return (isinstance(entities, list) and bool(entities) and isinstance(entities[0], dict)
            and "start_offset" in entities[0])


def _first_jsonl_object(path: Path) -> Dict[str, Any]:
    for _, obj in iter_jsonl(path):
        return obj
    return {}


def detect_format(path: PathLike) -> str:
    """The format :func:`read_any` would read ``path`` as, from its name or first characters."""
    path = Path(path)
    name = path.name.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    suffix = Path(name).suffix
    if suffix == ".spacy":
        return "docbin"
    if suffix == ".json":
        return "label_studio"
    if suffix == ".jsonl":
        return "doccano" if _looks_like_doccano(_first_jsonl_object(path)) else "records"
    if suffix in _BIO_SUFFIXES:
        return "bio"
    with open_text(path) as handle:
        try:
            head = handle.read(4096).lstrip()
        except UnicodeDecodeError:
            return "docbin"  # binary
    if head.startswith("["):
        return "label_studio"
    if head.startswith("{"):
        return "doccano" if _looks_like_doccano(_first_jsonl_object(path)) else "records"
    return "bio"


def read_any(path: PathLike, format: str = "auto", *, nlp: Optional[Language] = None,
             **kwargs: Any) -> List[Dict[str, Any]]:
    """Records from any supported file. ``format`` is one of "auto" (by extension:
    ``.jsonl`` guideline records or doccano by content, ``.json`` Label Studio,
    ``.txt``/``.conll``/``.bio`` BIO, ``.spacy`` DocBin; by content otherwise),
    "records", "doccano", "label_studio", "bio", "docbin". Other keyword arguments go
    to the reader (``label_map=``, ``sentences_per_doc=``, ``labels=``…); a DocBin is
    read with ``nlp`` (a blank project pipeline by default)."""
    if format not in FORMATS:
        raise ValueError(f"unknown format {format!r} (known: {', '.join(FORMATS)})")
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if format == "auto":
        format = detect_format(path)
    if format == "docbin":
        if nlp is None:
            from ..pipeline import blank

            nlp = blank(pipes=())
        return read_docbin(path, nlp)
    reader = {"records": read_records, "doccano": read_doccano, "label_studio": read_label_studio,
              "bio": read_bio}[format]
    return reader(path, **kwargs)


__all__ = [
    "ARMAN_LABELS", "PEYMA_LABELS", "PARSTWINER_LABELS", "LABEL_MAPS", "USER_DATA_KEY", "DocBinStats",
    "record_to_doc", "doc_to_record", "records_to_docbin", "docbin_to_records", "write_docbin",
    "read_docbin", "read_doccano", "read_label_studio", "read_bio", "write_bio", "read_records",
    "detect_format", "read_any",
]
