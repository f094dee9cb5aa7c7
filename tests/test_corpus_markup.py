import json
from pathlib import Path

import pytest

from persian_diplo.cli import main
from persian_diplo.corpus.markup import MarkupError, iter_documents, to_markup
from persian_diplo.corpus.schema import validate_record
from persian_diplo.corpus.stats import corpus_stats

ROOT = Path(__file__).resolve().parents[1]


def only(source):
    (_, record), = list(iter_documents(source))
    return record


def plain_spans(record):
    ents = [(e["start"], e["end"], e["label"], e["kb_id"]) for e in record["entities"]]
    quotes = [(q["kind"], q["speaker"] and (q["speaker"]["start"], q["speaker"]["end"]),
               (q["cue"]["start"], q["cue"]["end"]), (q["content"]["start"], q["content"]["end"]),
               q["speaker_kb_id"], bool(q.get("optional"))) for q in record["quotes"]]
    return ents, quotes


def test_seed_markup_is_the_gold_annotation(seed_gold):
    record = only((ROOT / "corpus" / "src" / "000_seed.txt").read_text(encoding="utf-8"))
    assert record["text"] == seed_gold["text"]
    assert plain_spans(record) == plain_spans(seed_gold)


def test_markup_round_trip(seed_gold):
    assert plain_spans(only(to_markup(seed_gold))) == plain_spans(seed_gold)


def test_markup_example():
    record = only(
        "=== id=t1 date=2025-01-02 genre=wire\n"
        "[عراقچی|PERSON=abbas_araghchi|s=q1] [گفت|c=q1]: {q1:d ما با [آژانس|ORG=iaea] همکاری می‌کنیم.}\n"
        "[وی|s=q2] [افزود|c=q2] که {q2:i>abbas_araghchi مذاکرات ادامه دارد}."
    )
    text = record["text"]
    assert text == "عراقچی گفت: ما با آژانس همکاری می‌کنیم.\nوی افزود که مذاکرات ادامه دارد."
    q1, q2 = record["quotes"]
    assert text[q1["content"]["start"]:q1["content"]["end"]] == "ما با آژانس همکاری می‌کنیم."
    assert q1["speaker_kb_id"] == "abbas_araghchi" and q1["kind"] == "direct"
    assert text[q2["speaker"]["start"]:q2["speaker"]["end"]] == "وی"
    assert q2["speaker_kb_id"] == "abbas_araghchi" and q2["kind"] == "indirect"
    assert record["date"] == "2025-01-02" and record["meta"] == {"genre": "wire"}
    assert validate_record(record) == []


@pytest.mark.parametrize("ortho,expected", [
    ("stripped", "رئیسجمهور"), ("spaced", "رئیس جمهور"), ("arabic", "رئيس\u200cجمهور"),
])
def test_orthography_options_keep_offsets_exact(ortho, expected):
    record = only(f"=== id=t ortho={ortho}\nبه گفته [رئیس‌جمهور|ROLE=x], [ایران|GPE=iran] ۱۲")
    ent = record["entities"][0]
    assert record["text"][ent["start"]:ent["end"]] == expected
    ent = record["entities"][1]
    assert record["text"][ent["start"]:ent["end"]] == ("ايران" if ortho == "arabic" else "ایران")


def test_escapes_and_nbsp():
    record = only("=== id=t\nعلامت \\[ و \\| و [ایران|GPE]\\u00a0امروز")
    assert record["text"] == "علامت [ و | و ایران\u00a0امروز"
    assert record["entities"][0]["kb_id"] is None


@pytest.mark.parametrize("source,line,message", [
    ("=== id=a\nمتن [ایران|GPE\nادامه", 2, "not closed"),
    ("=== id=a\n\nمتن [ایران|CITY]", 3, "unknown label"),
    ("=== id=a\n[او|s=q1] گفت: {q1:d سلام}", 2, "has no cue"),
    ("=== id=a\n[گفت|c=q1] {q1:d یک\nدو", 2, "never closed"),
    ("متن بدون سرآیند", 1, "before the first"),
    ("=== id=a\n\n[گفت|c=q9] متن", 3, "no {q9"),
    ("=== date=2020\nمتن", 1, "no id"),
])
def test_markup_errors_name_the_line(source, line, message):
    with pytest.raises(MarkupError, match=message) as info:
        list(iter_documents(source, "f.txt"))
    assert info.value.line == line
    assert str(info.value).startswith(f"f.txt:{line}:")


def problems(record):
    return [str(p) for p in validate_record(record)]


def test_validator_finds_schema_problems():
    text = "وزیر در گفت‌وگو با ایران گفت"
    record = {"id": "x", "text": text, "entities": [
        {"start": 0, "end": 4, "label": "ROLE", "kb_id": "Bad Id"},
        {"start": 2, "end": 6, "label": "GPE", "kb_id": None},
        {"start": 20, "end": 99, "label": "GPE", "kb_id": None},
        {"start": 15, "end": 19, "label": "CITY", "kb_id": None},
    ], "quotes": [
        {"kind": "direct", "speaker": {"start": 0, "end": 4}, "cue": {"start": 8, "end": 11},
         "content": {"start": 9, "end": 12}, "speaker_kb_id": None},
        {"kind": "said", "speaker": None, "cue": None, "content": {"start": 0, "end": 3}, "speaker_kb_id": None},
    ]}
    found = "\n".join(problems(record))
    assert "kb_id 'Bad Id' is not a snake_case id" in found
    assert "entities 0 and 1 overlap" in found
    assert "entity 2 offsets 20-99 are not inside the text" in found
    assert "unknown label 'CITY'" in found
    assert "cue 'گفت' is part of a longer word" in found
    assert "cue and content overlap" in found
    assert "kind 'said'" in found and "quote 1 has no cue" in found


def test_validator_accepts_the_seed_gold(seed_gold):
    assert [p for p in validate_record(seed_gold) if p.severity == "error"] == []


def test_stats_count_quotation_features(seed_gold):
    stats = corpus_stats([seed_gold])
    assert stats["documents"] == 1 and stats["entities"] == 37
    assert stats["quotes"]["total"] == 9 and stats["quotes"]["indirect"] == 2
    assert stats["quotes"]["pronoun or bare-title speaker"] == 1  # the bare «رئیسجمهور»
    assert stats["labels"]["GPE"] == 19


def test_cli_validate_names_file_and_line(tmp_path, capsys):
    good = tmp_path / "good.jsonl"
    good.write_text((ROOT / "examples" / "seed_article.gold.jsonl").read_text(encoding="utf-8"), encoding="utf-8")
    assert main(["corpus", "validate", str(good)]) == 0
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "text": "ایران", "entities": [{"start": 0, "end": 9, "label": "GPE", "kb_id": null}]}\n'
                   '{"id": "a", "text": "x"}\n', encoding="utf-8")
    assert main(["corpus", "validate", str(bad)]) == 1
    err = capsys.readouterr().err
    assert f"{bad}:1: entity 0 offsets 0-9 are not inside the text" in err
    assert f"{bad}:2: id 'a' is already used at {bad}:1" in err


def test_cli_stats_and_convert_markup(tmp_path, capsys):
    src = ROOT / "corpus" / "src" / "000_seed.txt"
    assert main(["corpus", "stats", str(src), "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["quotes"]["total"] == 9
    out = tmp_path / "seed.jsonl"
    assert main(["corpus", "convert", str(src), "-o", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["id"] == "seed-000"


def test_cli_import_bio_and_docbin_and_consistency(tmp_path, capsys):
    bio = tmp_path / "sample.txt"
    bio.write_text("ظریف\tB-PER\nدر\tO\nوین\tB-LOC\nگفت\tO\n\nناتو\tB-ORG\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["corpus", "import", str(bio), "--format", "bio", "--label-map", "parstwiner", "-o", str(out)]) == 0
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [(r["text"], [(e["label"]) for e in r["entities"]]) for r in records] == [
        ("ظریف در وین گفت", ["PERSON", "GPE"]), ("ناتو", ["ORG"])]
    assert main(["corpus", "docbin", str(out), "-o", str(tmp_path / "out.spacy")]) == 0
    assert (tmp_path / "out.spacy").stat().st_size > 0
    bad = tmp_path / "bad.txt"
    bad.write_text("ظریف\tB-PER\nوین\tX-LOC\n", encoding="utf-8")
    assert main(["corpus", "import", str(bad), "--format", "bio", "-o", str(out)]) == 1
    assert f"{bad}:2:" in capsys.readouterr().err
    assert main(["corpus", "consistency", str(ROOT / "examples" / "seed_article.gold.jsonl")]) == 0
    assert "0 strings with more than one label" in capsys.readouterr().out
