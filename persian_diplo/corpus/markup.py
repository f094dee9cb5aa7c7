"""Inline markup for writing gold records by hand, converted to exact offsets.

Counting code points by hand in right-to-left text is error-prone; this markup lets
an annotator write the text once with its annotations inline, and the converter
computes every offset. A file holds one or more documents, each opened by a header
line::

    === id=news-0001 date=2020-03-04 genre=wire topic=syria ortho=stripped
    [روحانی|PERSON=hassan_rouhani|s=q1] ضمن قدردانی از مواضع [مسکو|GPE=moscow]
    [گفت|c=q1]: {q1:d تا زمانی که از منافع این توافق برخوردار باشیم ...}

* ``[text|ATTR|ATTR…]`` marks a span. ATTR is a label (``GPE``) or a label with its
  knowledge-base id (``GPE=moscow``); ``s=q1,q2`` makes the span the speaker of those
  quotations; ``c=q1`` makes it the cue of quotation ``q1``. A pronoun speaker is a span
  with no label: ``[وی|s=q3]``.
* ``{ID:KIND … }`` marks the content of quotation ``ID``; KIND is ``d`` (direct) or
  ``i`` (indirect), followed by ``?`` when the quotation is optional and by
  ``>kb_id`` (or ``>null``) to give ``speaker_kb_id`` explicitly. Without ``>`` the
  speaker's entity id is used. One space after the opener is a separator. Contents
  nest.
* Header keys: ``id`` (required), ``date``, any other ``key=value`` (kept in
  ``meta``), and ``ortho``: comma-separated transformations applied to the finished
  text, offsets following: ``stripped`` (drop every ZWNJ), ``spaced`` (ZWNJ to space),
  ``arabic`` (Persian «ی ک» to Arabic «ي ك»), ``ascii_digits``, ``persian_digits``.
* Escapes: ``\\[ \\] \\{ \\} \\| \\\\`` and ``\\uXXXX`` (``\\u200c`` ZWNJ, ``\\u00a0`` NBSP).
  Lines starting with ``#`` before the first header are comments.

Run ``python -m persian_diplo.corpus.markup check FILE…`` to see problems and counts,
``convert FILE… -o OUT.jsonl`` to write records.
"""
from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Sequence, Tuple

from .schema import KB_ID_RE, LABELS, trim_whitespace, validate_record

HEADER = "=== "
_ARABIC = str.maketrans({"ی": "ي", "ک": "ك"})
_ASCII_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
_PERSIAN_DIGITS = str.maketrans("0123456789٠١٢٣٤٥٦٧٨٩", "۰۱۲۳۴۵۶۷۸۹۰۱۲۳۴۵۶۷۸۹")
ORTHO_OPTIONS = ("standard", "stripped", "spaced", "arabic", "ascii_digits", "persian_digits")
_OPENER = re.compile(r"\{([A-Za-z0-9_]+):([di])(\?)?(?:>([a-z0-9_]+))? ?")


class MarkupError(ValueError):
    """A problem in a markup file, with the file's line number."""

    def __init__(self, message: str, line: int, path: str = "<markup>"):
        super().__init__(f"{path}:{line}: {message}")
        self.line = line
        self.path = path


@dataclass
class _Span:
    start: int
    end: int
    label: Optional[str] = None
    kb_id: Optional[str] = None
    speaker_of: List[str] = field(default_factory=list)
    cue_of: List[str] = field(default_factory=list)
    line: int = 0


@dataclass
class _Content:
    qid: str
    kind: str
    optional: bool
    speaker_kb: Optional[str]
    explicit_kb: bool
    start: int
    end: int = -1
    line: int = 0


def _unescape_at(src: str, i: int, line: int, path: str) -> Tuple[str, int]:
    nxt = src[i + 1] if i + 1 < len(src) else ""
    if nxt in "[]{}|\\":
        return nxt, i + 2
    if nxt == "u" and re.fullmatch(r"[0-9a-fA-F]{4}", src[i + 2:i + 6] or ""):
        return chr(int(src[i + 2:i + 6], 16)), i + 6
    raise MarkupError(f"unknown escape '\\{nxt}'", line, path)


def _parse_attrs(raw: str, line: int, path: str, span: _Span) -> None:
    for attr in raw.split("|"):
        attr = attr.strip()
        if not attr:
            raise MarkupError("empty attribute in span", line, path)
        if attr.startswith("s="):
            span.speaker_of.extend(q.strip() for q in attr[2:].split(",") if q.strip())
        elif attr.startswith("c="):
            span.cue_of.extend(q.strip() for q in attr[2:].split(",") if q.strip())
        else:
            label, _, kb_id = attr.partition("=")
            if label not in LABELS:
                raise MarkupError(f"unknown label {label!r} in span (known: {', '.join(LABELS)})", line, path)
            if span.label is not None:
                raise MarkupError("a span has two labels", line, path)
            if kb_id and not KB_ID_RE.match(kb_id):
                raise MarkupError(f"kb id {kb_id!r} is not snake_case", line, path)
            span.label, span.kb_id = label, (kb_id or None)


def _parse_body(body: str, first_line: int, path: str) -> Tuple[str, List[_Span], List[_Content]]:
    """Turn one document's markup into plain text, spans and quotation contents."""
    out: List[str] = []
    spans: List[_Span] = []
    contents: List[_Content] = []
    open_contents: List[_Content] = []
    pos = 0  # length of the plain text so far
    i = 0
    line = first_line
    span_start: Optional[int] = None
    span_line = 0
    while i < len(body):
        ch = body[i]
        if ch == "\n":
            line += 1
        if ch == "\\":
            plain, i = _unescape_at(body, i, line, path)
            out.append(plain)
            pos += 1
            continue
        if ch == "[":
            if span_start is not None:
                raise MarkupError("'[' inside a span: spans do not nest", line, path)
            span_start, span_line = pos, line
            i += 1
            continue
        if ch == "|" and span_start is not None:
            close = body.find("]", i)
            newline = body.find("\n", i)
            if close < 0 or (0 <= newline < close):
                raise MarkupError("span attributes are not closed by ']' on the same line", line, path)
            if span_start == pos:
                raise MarkupError("empty span", line, path)
            span = _Span(span_start, pos, line=span_line)
            _parse_attrs(body[i + 1:close], line, path, span)
            spans.append(span)
            span_start = None
            i = close + 1
            continue
        if ch == "]":
            if span_start is not None:
                raise MarkupError("span has no attributes: write [text|LABEL]", line, path)
            raise MarkupError("']' without '['", line, path)
        if ch == "{":
            match = _OPENER.match(body, i)
            if not match:
                raise MarkupError("'{' must open a quotation as {ID:d …} or {ID:i …}", line, path)
            qid, kind, optional, kb = match.groups()
            content = _Content(qid, "direct" if kind == "d" else "indirect", bool(optional),
                               None if kb in (None, "null") else kb, kb is not None, pos, line=line)
            open_contents.append(content)
            contents.append(content)
            i = match.end()
            continue
        if ch == "}":
            if not open_contents:
                raise MarkupError("'}' without an open quotation", line, path)
            content = open_contents.pop()
            content.end = pos
            i += 1
            continue
        if ch == "|":
            raise MarkupError("'|' outside a span: escape it as \\|", line, path)
        out.append(ch)
        pos += 1
        i += 1
    if span_start is not None:
        raise MarkupError("span opened with '[' is never closed", span_line, path)
    if open_contents:
        raise MarkupError(f"quotation {open_contents[-1].qid} is never closed with '}}'", open_contents[-1].line, path)
    return "".join(out), spans, contents


def _transform(text: str, options: Sequence[str]) -> Tuple[str, List[int]]:
    """Apply orthography options; return new text and old-offset -> new-offset map."""
    mapping: List[int] = []
    out: List[str] = []
    for ch in text:
        mapping.append(len(out))
        if ch == "\u200c" and "stripped" in options:
            continue
        if ch == "\u200c" and "spaced" in options:
            ch = " "
        if "arabic" in options:
            ch = ch.translate(_ARABIC)
        if "ascii_digits" in options:
            ch = ch.translate(_ASCII_DIGITS)
        if "persian_digits" in options:
            ch = ch.translate(_PERSIAN_DIGITS)
        out.append(ch)
    mapping.append(len(out))
    return "".join(out), mapping


_trim = trim_whitespace


def _build_record(header: Dict[str, str], text: str, spans: List[_Span], contents: List[_Content],
                  line: int, path: str) -> Dict[str, Any]:
    options = [o for o in header.get("ortho", "standard").split(",") if o]
    unknown = [o for o in options if o not in ORTHO_OPTIONS]
    if unknown:
        raise MarkupError(f"unknown ortho option {unknown[0]!r} (known: {', '.join(ORTHO_OPTIONS)})", line, path)
    text, mapping = _transform(text, options)

    def remap(start: int, end: int) -> Dict[str, int]:
        s, e = _trim(text, mapping[start], mapping[end])
        return {"start": s, "end": e}

    entities = []
    for span in spans:
        if span.label:
            entities.append({**remap(span.start, span.end), "label": span.label, "kb_id": span.kb_id})
    entities.sort(key=lambda e: (e["start"], e["end"]))

    by_id: Dict[str, _Content] = {}
    for content in contents:
        if content.qid in by_id:
            raise MarkupError(f"quotation id {content.qid} is used twice", content.line, path)
        by_id[content.qid] = content
    speakers: Dict[str, _Span] = {}
    cues: Dict[str, _Span] = {}
    for span in spans:
        for qid, table, role in [(q, speakers, "speaker") for q in span.speaker_of] + [(q, cues, "cue") for q in span.cue_of]:
            if qid not in by_id:
                raise MarkupError(f"{role} refers to quotation {qid}, which has no {{{qid}:…}} content", span.line, path)
            if qid in table:
                raise MarkupError(f"quotation {qid} has two {role}s", by_id[qid].line, path)
            table[qid] = span
    quotes = []
    for content in sorted(contents, key=lambda c: c.start):
        if content.qid not in cues:
            raise MarkupError(f"quotation {content.qid} has no cue: mark it [verb|c={content.qid}]", content.line, path)
        speaker = speakers.get(content.qid)
        if content.explicit_kb:
            speaker_kb = content.speaker_kb
        else:
            speaker_kb = speaker.kb_id if speaker is not None else None
        quote: Dict[str, Any] = {
            "kind": content.kind,
            "speaker": remap(speaker.start, speaker.end) if speaker else None,
            "cue": remap(cues[content.qid].start, cues[content.qid].end),
            "content": remap(content.start, content.end),
            "speaker_kb_id": speaker_kb,
        }
        if content.optional:
            quote["optional"] = True
        quotes.append(quote)
    record: Dict[str, Any] = {"id": header["id"], "text": text}
    if "date" in header:
        record["date"] = header["date"]
    meta = {k: v for k, v in header.items() if k not in ("id", "date")}
    if meta:
        record["meta"] = meta
    record["entities"] = entities
    record["quotes"] = quotes
    return record


def _parse_header(raw: str, line: int, path: str) -> Dict[str, str]:
    header: Dict[str, str] = {}
    for item in raw.split():
        key, sep, value = item.partition("=")
        if not sep or not value:
            raise MarkupError(f"header item {item!r} is not key=value", line, path)
        header[key] = value
    if "id" not in header:
        raise MarkupError("header has no id=…", line, path)
    return header


def iter_documents(source: str, path: str = "<markup>") -> Iterator[Tuple[int, Dict[str, Any]]]:
    """Yield ``(header_line_number, record)`` for each document in markup ``source``."""
    lines = source.split("\n")
    header: Optional[Dict[str, str]] = None
    header_line = 0
    body: List[str] = []

    def finish() -> Dict[str, Any]:
        assert header is not None
        raw = "\n".join(body).strip("\n")
        first = header_line + 1 + next((k for k, ln in enumerate(body) if ln), 0)
        text, spans, contents = _parse_body(raw, first, path)
        return _build_record(header, text, spans, contents, header_line, path)

    for number, ln in enumerate(lines, start=1):
        if ln.startswith(HEADER):
            if header is not None:
                yield header_line, finish()
            header, header_line, body = _parse_header(ln[len(HEADER):], number, path), number, []
        elif header is None:
            if ln.strip() and not ln.startswith("#"):
                raise MarkupError("text before the first '=== id=…' header", number, path)
        else:
            body.append(ln.rstrip("\r"))
    if header is not None:
        yield header_line, finish()


def convert_file(path: Path) -> List[Tuple[int, Dict[str, Any]]]:
    """Parse a markup file; raises MarkupError naming file and line."""
    return list(iter_documents(Path(path).read_text(encoding="utf-8"), str(path)))


_ESCAPE = str.maketrans({c: "\\" + c for c in "[]{}|\\"})


def to_markup(record: Dict[str, Any]) -> str:
    """Write a record as markup (the inverse of :func:`iter_documents`), for editing.

    Quotation ids are ``q1``, ``q2``… in order of content start."""
    text = record["text"]
    spans: Dict[Tuple[int, int], List[str]] = {}
    kb_of_span: Dict[Tuple[int, int], Optional[str]] = {}
    for ent in record.get("entities", []):
        key = (ent["start"], ent["end"])
        kb = ent.get("kb_id")
        spans.setdefault(key, []).insert(0, ent["label"] + (f"={kb}" if kb else ""))
        kb_of_span[key] = kb
    quotes = sorted(record.get("quotes", []), key=lambda q: (q["content"]["start"], -q["content"]["end"]))
    opens: Dict[int, List[str]] = {}
    closes: Dict[int, int] = {}
    for n, quote in enumerate(quotes, start=1):
        qid = f"q{n}"
        speaker = quote.get("speaker")
        opener = f"{{{qid}:{'d' if quote['kind'] == 'direct' else 'i'}{'?' if quote.get('optional') else ''}"
        implied = kb_of_span.get((speaker["start"], speaker["end"])) if speaker else None
        if quote.get("speaker_kb_id") != implied:
            opener += f">{quote.get('speaker_kb_id') or 'null'}"
        opens.setdefault(quote["content"]["start"], []).append(opener + " ")
        closes[quote["content"]["end"]] = closes.get(quote["content"]["end"], 0) + 1
        if speaker:
            spans.setdefault((speaker["start"], speaker["end"]), []).append(f"s={qid}")
        spans.setdefault((quote["cue"]["start"], quote["cue"]["end"]), []).append(f"c={qid}")
    for attrs in spans.values():  # merge s=q1|s=q2 into s=q1,q2
        speakers = [a[2:] for a in attrs if a.startswith("s=")]
        cues = [a[2:] for a in attrs if a.startswith("c=")]
        attrs[:] = [a for a in attrs if not a.startswith(("s=", "c="))]
        if speakers:
            attrs.append("s=" + ",".join(speakers))
        if cues:
            attrs.append("c=" + ",".join(cues))
    span_starts = {start: (end, attrs) for (start, end), attrs in spans.items()}
    span_ends: Dict[int, str] = {end: "|" + "|".join(attrs) + "]" for (start, end), attrs in spans.items()}
    out: List[str] = []
    for pos in range(len(text) + 1):
        if pos in span_ends:
            out.append(span_ends[pos])
        out.append("}" * closes.get(pos, 0))
        out.extend(opens.get(pos, []))
        if pos in span_starts:
            out.append("[")
        if pos < len(text):
            out.append(text[pos].translate(_ESCAPE))
    header = f"=== id={record['id']}"
    if record.get("date"):
        header += f" date={record['date']}"
    for key, value in (record.get("meta") or {}).items():
        if key != "ortho":
            header += f" {key}={value}"
    return header + "\n" + "".join(out) + "\n"


def main(argv: Optional[Sequence[str]] = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m persian_diplo.corpus.markup", description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=("check", "convert"))
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("-o", "--output", type=Path, help="JSONL file to write (convert)")
    args = parser.parse_args(argv)
    failed = False
    records: List[Dict[str, Any]] = []
    seen: Dict[str, str] = {}
    for path in args.files:
        try:
            documents = convert_file(path)
        except MarkupError as err:
            print(err, file=sys.stderr)
            failed = True
            continue
        for line, record in documents:
            where = f"{path}:{line}"
            if record["id"] in seen:
                print(f"{where}: id {record['id']} already used at {seen[record['id']]}", file=sys.stderr)
                failed = True
            seen[record["id"]] = where
            for problem in validate_record(record):
                print(f"{where} ({record['id']}): {problem}", file=sys.stderr)
                failed = failed or problem.severity == "error"
            records.append(record)
    if args.command == "check":
        from .stats import corpus_stats, format_stats

        print(format_stats(corpus_stats(records)))
    elif args.output:
        from .io import write_jsonl

        write_jsonl(args.output, records)
        print(f"wrote {len(records)} records to {args.output}")
    else:
        for record in records:
            print(json.dumps(record, ensure_ascii=False))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
