"""Converters: DocBin both ways, doccano, Label Studio and BIO files (ARMAN, PEYMA,
ParsTwiNER) to guideline records."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Dict, List, Tuple

import pytest
from spacy.tokens import DocBin

import persian_diplo
from persian_diplo.corpus.converters import (
    ARMAN_LABELS,
    PARSTWINER_LABELS,
    PEYMA_LABELS,
    DocBinStats,
    docbin_to_records,
    read_any,
    read_bio,
    read_docbin,
    read_doccano,
    read_label_studio,
    records_to_docbin,
    write_bio,
    write_docbin,
)
from persian_diplo.corpus.io import InputError
from persian_diplo.corpus.schema import LABELS, validate_record

ZWNJ = "\u200c"
#: a ZWNJ word (آمریکایی‌ها), an Arabic Yeh (ي in «دمشقي» … «ولاديمير»), kept as written
TEXT = f"ولاديمير پوتین گفت آمریکایی{ZWNJ}ها در سوریه می{ZWNJ}مانند."
PUTIN = (0, TEXT.index(" گفت"))
AMERICANS = (TEXT.index("آمریکایی"), TEXT.index(" در"))
SYRIA = (TEXT.index("سوریه"), TEXT.index("سوریه") + len("سوریه"))

EXTERNAL_BIO = [
    ("arman/train_fold1.txt", ARMAN_LABELS),
    ("peyma/dev.txt", PEYMA_LABELS),
    ("parstwiner/dev.txt", PARSTWINER_LABELS),
]


@pytest.fixture(scope="module")
def nlp():
    return persian_diplo.blank()


def spans(record: Dict) -> List[Tuple[str, str]]:
    return [(record["text"][e["start"]:e["end"]], e["label"]) for e in record["entities"]]


# ---------------------------------------------------------------------------- DocBin
def test_seed_gold_round_trips_through_docbin(seed_gold, nlp, tmp_path):
    stats = DocBinStats()
    docbin = records_to_docbin([seed_gold], nlp, stats=stats)
    restored = DocBin().from_bytes(docbin.to_bytes())
    records = docbin_to_records(restored, nlp)
    assert records == [seed_gold]
    assert records[0]["quotes"] and any(e["kb_id"] for e in records[0]["entities"])
    doc = next(restored.get_docs(nlp.vocab))
    by_offsets = {(e.start_char, e.end_char): e for e in doc.ents}
    aligned = [e for e in seed_gold["entities"] if (e["start"], e["end"]) in by_offsets]
    assert len(aligned) == len(seed_gold["entities"]) - stats.expanded
    for ent in aligned:
        span = by_offsets[(ent["start"], ent["end"])]
        assert (span.label_, span.kb_id_ or None) == (ent["label"], ent["kb_id"])

    write_docbin([seed_gold], nlp, tmp_path / "seed.spacy")
    assert read_docbin(tmp_path / "seed.spacy", nlp) == [seed_gold]
    assert read_any(tmp_path / "seed.spacy", nlp=nlp) == [seed_gold]


def test_docbin_keeps_exact_offsets_of_entities_inside_a_token(nlp):
    text = f"ایرانی{ZWNJ}ها و روسیه"
    record = {"id": "r1", "date": "2020-03-04", "text": text, "entities": [
        {"start": 0, "end": 5, "label": "GPE", "kb_id": "iran"},
        {"start": text.index("روسیه"), "end": len(text), "label": "GPE", "kb_id": "russia"},
    ], "quotes": []}
    stats = DocBinStats()
    docbin = DocBin().from_bytes(records_to_docbin([record], nlp, stats=stats).to_bytes())
    assert stats.expanded == 1
    doc = next(docbin.get_docs(nlp.vocab))
    assert [(e.text, e.kb_id_) for e in doc.ents] == [(f"ایرانی{ZWNJ}ها", "iran"), ("روسیه", "russia")]
    assert doc._.date == "2020-03-04"
    assert docbin_to_records(docbin, nlp) == [record]


def test_docbin_of_predicted_docs_without_user_data(nlp):
    doc = nlp.make_doc("ایران و روسیه")
    doc.set_ents([doc.char_span(0, 5, label="GPE", kb_id="iran")])
    docbin = DocBin(docs=[doc])
    assert docbin_to_records(docbin, nlp) == [{"id": "0", "text": "ایران و روسیه", "entities": [
        {"start": 0, "end": 5, "label": "GPE", "kb_id": "iran"}], "quotes": []}]


def test_records_to_docbin_rejects_a_bad_record(nlp):
    with pytest.raises(InputError, match=r"record 0 \(bad\): entity 0 offsets"):
        records_to_docbin([{"id": "bad", "text": "ایران", "entities": [{"start": 0, "end": 9, "label": "GPE"}]}], nlp)


# ---------------------------------------------------------------------------- doccano
def test_doccano_both_forms(tmp_path):
    path = tmp_path / "doccano.jsonl"
    lines = [
        {"id": 7, "text": TEXT, "label": [[SYRIA[0], SYRIA[1], "GPE"], [PUTIN[0], PUTIN[1] + 1, "PERSON"]]},
        {"text": TEXT, "entities": [{"id": 1, "start_offset": AMERICANS[0], "end_offset": AMERICANS[1],
                                     "label": "NORP"}], "relations": []},
    ]
    path.write_text("\n".join(json.dumps(line, ensure_ascii=False) for line in lines) + "\n", encoding="utf-8")
    first, second = read_doccano(path)
    assert first["id"] == "7" and first["text"] == TEXT  # as written: Arabic ي kept
    # sorted by offset; the trailing space of the PERSON span is trimmed
    assert spans(first) == [("ولاديمير پوتین", "PERSON"), ("سوریه", "GPE")]
    assert second["id"] == "doccano-2"
    assert spans(second) == [(f"آمریکایی{ZWNJ}ها", "NORP")]
    for record in (first, second):
        assert not [p for p in validate_record(record) if p.severity == "error"]
    assert read_any(path) == [first, second]


def test_doccano_errors_name_the_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "ایران", "label": [[0, 5, "GPE"]]}\n{"text": "ایران", "label": [[0, 5, "COUNTRY"]]}\n',
                    encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.jsonl:2: entity 0 has unknown label 'COUNTRY'"):
        read_doccano(path)
    assert spans(read_doccano(path, label_map={"COUNTRY": "GPE"})[1]) == [("ایران", "GPE")]


# ---------------------------------------------------------------------------- Label Studio
def _result(start: int, end: int, label: str, text: str = TEXT) -> Dict:
    return {"from_name": "label", "to_name": "text", "type": "labels",
            "value": {"start": start, "end": end, "text": text[start:end], "labels": [label]}}


def test_label_studio_takes_the_first_annotation_not_cancelled(tmp_path):
    emoji_text = "🇮🇷 ایران"  # two astral characters: JavaScript offsets differ from Python's
    tasks = [
        {"id": 11, "data": {"text": TEXT}, "annotations": [
            {"was_cancelled": True, "result": [_result(*SYRIA, "LOC")]},
            {"was_cancelled": False, "result": [
                _result(*PUTIN, "PERSON"), _result(*AMERICANS, "NORP"), _result(*SYRIA, "GPE"),
                {"type": "choices", "value": {"choices": ["politics"]}},
            ]},
        ]},
        {"id": 12, "data": {"text": TEXT}, "annotations": []},
        {"id": 13, "data": {"text": emoji_text}, "annotations": [{"result": [
            {"type": "labels", "value": {"start": 5, "end": 10, "text": "ایران", "labels": ["GPE"]}}]}]},
    ]
    path = tmp_path / "export.json"
    path.write_text(json.dumps(tasks, ensure_ascii=False, indent=2), encoding="utf-8")
    records = read_label_studio(path)
    assert [r["id"] for r in records] == ["11", "13"]  # the unannotated task is skipped
    assert spans(records[0]) == [("ولاديمير پوتین", "PERSON"), (f"آمریکایی{ZWNJ}ها", "NORP"), ("سوریه", "GPE")]
    assert spans(records[1]) == [("ایران", "GPE")]
    assert read_any(path) == records


def test_label_studio_errors_name_the_line(tmp_path):
    path = tmp_path / "export.json"
    tasks = [{"id": 1, "data": {"text": "ایران"}, "annotations": [{"result": [_result(0, 5, "GPE", "ایران")]}]},
             {"id": 2, "data": {"text": "ایران"}, "annotations": [{"result": [
                 {"type": "labels", "value": {"start": 0, "end": 3, "text": "ایران", "labels": ["GPE"]}}]}]}]
    source = json.dumps(tasks, ensure_ascii=False, indent=1)
    path.write_text(source, encoding="utf-8")
    line = source.splitlines().index(' {', 2) + 1  # where the second task opens
    with pytest.raises(InputError, match=rf"export\.json:{line}: task 1 \(id 2\): result 0 says 'ایران'"):
        read_label_studio(path)
    path.write_text('[\n{"id": 1, "data": {"text": "x"}},\n{"id": 2,,}\n]', encoding="utf-8")
    with pytest.raises(InputError, match=r"export\.json:3: not valid JSON"):
        read_label_studio(path)


# ---------------------------------------------------------------------------- BIO
def _sample(path: Path, tmp_path: Path, lines: int = 300) -> Path:
    """The first sentences of a file, up to about ``lines`` lines."""
    head = path.read_text(encoding="utf-8").splitlines()[:lines]
    while head and head[-1].strip():
        head.pop()
    sample = tmp_path / path.name
    sample.write_text("\n".join(head) + "\n", encoding="utf-8")
    return sample


def _tagged_spans(path: Path) -> List[Tuple[str, str]]:
    """(tokens joined by spaces, type) of each B-/I- run, read independently of read_bio."""
    found, tokens, kind = [], [], None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        sep = "\t" if "\t" in line else "|" if "|" in line else " "
        token, _, tag = line.rpartition(sep)
        if tokens and not (tag[:1] == "I" and tag[2:] == kind):
            found.append((" ".join(tokens), kind))
            tokens, kind = [], None
        if tag[:1] in ("B", "I"):
            tokens, kind = tokens + [token.strip()], tag[2:]
    return found


@pytest.mark.parametrize("relative,label_map", EXTERNAL_BIO, ids=[r.split("/")[0] for r, _ in EXTERNAL_BIO])
def test_external_bio_samples_read_and_round_trip(external, relative, label_map, nlp, tmp_path):
    sample = _sample(external(relative), tmp_path)
    raw = read_bio(sample, labels=None)
    assert [s for r in raw for s in spans(r)] == _tagged_spans(sample)

    records = read_bio(sample, label_map=label_map)
    assert len(records) == len(raw) and records[0]["id"] == f"{sample.stem}-00000"
    expected = [(text, label_map[kind]) for text, kind in _tagged_spans(sample) if label_map[kind]]
    assert [s for r in records for s in spans(r)] == expected
    assert {label for _, label in expected} <= set(LABELS)

    out = tmp_path / "out.bio"
    assert write_bio(records, out, nlp) == len(records)
    back = read_bio(out)
    assert len(back) == len(records)
    for before, after in zip(records, back):
        # the project tokenizer may split a token finer («(ع)» → «( ع )»): compare without spaces
        assert after["text"].replace(" ", "") == before["text"].replace(" ", "")
        assert [(t.replace(" ", ""), label) for t, label in spans(after)] == \
               [(t.replace(" ", ""), label) for t, label in spans(before)]


def test_bio_formats_separators_and_iob1(tmp_path):
    arman = tmp_path / "arman.txt"
    arman.write_text("ولاديمير B-pers\nپوتین I-pers\nبه O\nتهران B-loc\nآمد O\n\nدانشگاه B-fac\nتهران I-fac\n",
                     encoding="utf-8")
    first, second = read_bio(arman, label_map="arman")
    assert first["text"] == "ولاديمير پوتین به تهران آمد"
    assert spans(first) == [("ولاديمير پوتین", "PERSON"), ("تهران", "GPE")]
    assert spans(second) == []  # fac is dropped

    peyma = tmp_path / "peyma.txt"
    peyma.write_text("سازمان های|B_ORG\nملل|I_ORG\n||O\nایران|I_LOC\n\n", encoding="utf-8")
    (record,) = read_bio(peyma, label_map=PEYMA_LABELS)
    assert record["text"] == "سازمان های ملل | ایران"
    # I_LOC after O starts an entity (IOB1)
    assert spans(record) == [("سازمان های ملل", "ORG"), ("ایران", "GPE")]

    twiner = tmp_path / "twiner.conll"
    twiner.write_text(f"اصلاح{ZWNJ}طلبان\tB-POG\nو\tO\nایرانی{ZWNJ}ها\tB-NAT\n\nبرجام\tB-EVE\n", encoding="utf-8")
    records = read_bio(twiner, label_map=PARSTWINER_LABELS, sentences_per_doc=2)
    assert len(records) == 1 and records[0]["text"] == f"اصلاح{ZWNJ}طلبان و ایرانی{ZWNJ}ها\nبرجام"
    assert spans(records[0]) == [(f"اصلاح{ZWNJ}طلبان", "NORP"), (f"ایرانی{ZWNJ}ها", "NORP"), ("برجام", "EVENT")]
    assert read_any(twiner, label_map="parstwiner", sentences_per_doc=2) == records


def test_bio_unknown_label_needs_a_map(tmp_path):
    path = tmp_path / "file.txt"
    path.write_text("ایران O\n\nپوتین B-pers\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"file\.txt:3: label 'pers' .*label_map="):
        read_bio(path)


@pytest.mark.parametrize("bad_line", ["ایران", "ایران X-FOO", "ایران B-"])
def test_bio_malformed_line_is_reported_by_number(tmp_path, bad_line):
    path = tmp_path / "file.txt"
    path.write_text(f"روحانی B-pers\nگفت O\n{bad_line}\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"file\.txt:3: "):
        read_bio(path, label_map=ARMAN_LABELS)


def test_write_bio_breaks_sentences_at_line_breaks(nlp, tmp_path):
    record = {"id": "a", "text": "ایران و روسیه\nمسکو گفت.", "entities": [
        {"start": 0, "end": 5, "label": "GPE", "kb_id": "iran"},
        {"start": 14, "end": 18, "label": "GPE", "kb_id": "moscow"}], "quotes": []}
    path = tmp_path / "out.bio"
    assert write_bio([record], path, nlp) == 2
    assert path.read_text(encoding="utf-8") == "ایران\tB-GPE\nو\tO\nروسیه\tO\n\nمسکو\tB-GPE\nگفت\tO\n.\tO\n\n"
    (back,) = read_bio(path, sentences_per_doc=2)
    assert back["text"] == "ایران و روسیه\nمسکو گفت ." and spans(back) == [("ایران", "GPE"), ("مسکو", "GPE")]
