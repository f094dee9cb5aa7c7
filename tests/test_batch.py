"""Batch annotation at scale: resumable JSONL and Parquet outputs, tables, to_dataframe."""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pd = pytest.importorskip("pandas")
pytest.importorskip("pyarrow")

import persian_diplo  # noqa: E402
from persian_diplo import tables  # noqa: E402
from persian_diplo.cli import main  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "examples" / "seed_article.txt"

# Real news sentences in the orthographies outlets use: ZWNJ present, stripped and
# spaced, Arabic ي/ك, Persian and ASCII digits, «» and "" quotes, NBSP.
SENTENCES = [
    "عباس عراقچی، وزیر امور خارجه، گفت: «ایران به تعهدات خود در برجام پایبند است.»",
    "وي افزود که تهران آماده گفتگو با آژانس بين‌المللي انرژي اتمي است.",
    "ولادیمیر پوتین، رئیسجمهور روسیه، تاکید کرد که همکاری هستهای دو کشور ادامه می یابد.",
    "سخنگوی وزارت امور خارجه\u00a0در نشست خبری هفتگی گفت: \"قطعنامه ۲۲۳۱ پایان یافته است.\"",
    "رئیس جمهور در سفر به مسکو اعلام کرد که قرارداد 20 ساله امضا خواهد شد.",
]


def make_corpus(folder: Path, n: int) -> None:
    """``n`` documents in a directory tree: .txt files and a gzipped JSONL file."""
    import gzip

    (folder / "2020").mkdir(parents=True)
    (folder / "2021").mkdir()
    half = n // 2
    for i in range(half):
        text = " ".join(SENTENCES[(i + k) % len(SENTENCES)] for k in range(3)) + f" ({i})"
        (folder / "2020" / f"doc{i:04d}.txt").write_text(text, encoding="utf-8")
    with gzip.open(folder / "2021" / "wire.jsonl.gz", "wt", encoding="utf-8") as handle:
        for i in range(half, n):
            text = "\n".join(SENTENCES[(i + k) % len(SENTENCES)] for k in range(2))
            handle.write(json.dumps({"id": f"w{i}", "text": text, "date": "2024-09-01"}, ensure_ascii=False) + "\n")


def read_jsonl(path: Path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def rows(frame):
    """A DataFrame as comparable rows (dtype-independent), sorted."""
    clean = frame.astype(object).where(frame.notna(), None)
    return sorted(json.dumps(r, ensure_ascii=False, sort_keys=True) for r in clean.to_dict("records"))


def read_tables(folder: Path):
    return {name: pd.read_parquet(folder / name) for name in tables.TABLES}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("archive")
    make_corpus(folder, 24)
    return folder


@pytest.fixture(scope="module")
def reference(corpus, tmp_path_factory):
    """One uninterrupted run, JSONL and Parquet."""
    out = tmp_path_factory.mktemp("reference")
    assert main(["annotate", str(corpus), "-o", str(out / "all.jsonl"), "--no-progress"]) == 0
    assert main(["annotate", str(corpus), "-o", str(out / "tables"), "--part-size", "5", "--no-progress"]) == 0
    return out


def test_ids_are_paths_under_the_directory_and_text_is_kept(corpus, reference):
    got = read_jsonl(reference / "all.jsonl")
    assert len(got) == 24
    assert [r["id"] for r in got[:2]] == ["2020/doc0000", "2020/doc0001"]
    assert got[-1]["id"] == "w23" and got[-1]["date"] == "2024-09-01"
    assert got[0]["text"] == (corpus / "2020" / "doc0000.txt").read_text(encoding="utf-8")


def test_parquet_tables_match_the_jsonl_records(reference):
    got = read_tables(reference / "tables")
    records = read_jsonl(reference / "all.jsonl")
    assert sorted(got["documents"]["doc_id"]) == sorted(r["id"] for r in records)
    assert len(got["entities"]) == sum(len(r["entities"]) for r in records)
    assert len(got["quotes"]) == sum(len(r["quotes"]) for r in records) > 0
    assert list(got["quotes"].columns) == list(tables.COLUMNS["quotes"])
    # offsets index the user's text
    texts = {r["id"]: r["text"] for r in records}
    for row in got["entities"].itertuples():
        assert texts[row.doc_id][row.start:row.end] == row.text
    quotes = got["quotes"]
    pronoun = quotes[quotes["speaker"] == "وي"]
    assert set(pronoun["speaker_label"]) == {"PRON"}
    # «وي» is the speaker before it in the document, and nobody when it opens the document
    speakers = {(r.doc_id, r.index): r.speaker_kb_id for r in quotes.itertuples()}
    for row in pronoun.itertuples():
        before = speakers.get((row.doc_id, row.index - 1))
        if before == "abbas_araghchi":
            assert row.speaker_kb_id == "abbas_araghchi"
        if row.index == 0:
            assert pd.isna(row.speaker_kb_id)
    named = quotes[quotes["speaker"] == "عباس عراقچی"]
    assert set(named["speaker_label"]) == {"PERSON"} and set(named["cue"]) == {"گفت"}
    assert (reference / "tables" / "documents" / "part-000004.parquet").exists()  # 24 documents, parts of 5


def test_jsonl_resume_after_a_cut_line(corpus, reference, tmp_path):
    complete = (reference / "all.jsonl").read_text(encoding="utf-8")
    lines = complete.splitlines(keepends=True)
    out = tmp_path / "out.jsonl"
    out.write_text("".join(lines[:10]) + lines[10][:37], encoding="utf-8")  # killed while writing line 11
    assert main(["annotate", str(corpus), "-o", str(out), "--no-progress"]) == 0
    assert out.read_text(encoding="utf-8") == complete
    # a rerun of a finished job does nothing
    assert main(["annotate", str(corpus), "-o", str(out), "--no-progress"]) == 0
    assert out.read_text(encoding="utf-8") == complete
    # --overwrite starts afresh
    assert main(["annotate", str(corpus / "2021"), "-o", str(out), "--overwrite", "--no-progress"]) == 0
    assert len(read_jsonl(out)) == 12


def test_parquet_resume_drops_unfinished_parts(corpus, reference, tmp_path):
    out = tmp_path / "tables"
    assert main(["annotate", str(corpus), "-o", str(out), "--part-size", "5", "--no-progress"]) == 0
    # as if killed while writing part 2: its entity file is there, its documents file is not
    for index in (2, 3, 4):
        (out / "documents" / f"part-{index:06d}.parquet").unlink()
    (out / "quotes" / ".part-000002.parquet.tmp").write_bytes(b"half")
    assert main(["annotate", str(corpus), "-o", str(out), "--part-size", "5", "--no-progress"]) == 0
    assert not list(out.glob("*/.*"))
    got, ref = read_tables(out), read_tables(reference / "tables")
    for name in tables.TABLES:
        assert rows(got[name]) == rows(ref[name]), name


def test_duplicate_ids_are_refused(tmp_path):
    docs = tmp_path / "docs.jsonl"
    docs.write_text('{"id": "a", "text": "ایران"}\n{"id": "a", "text": "روسیه"}\n', encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "persian_diplo", "annotate", str(docs), "-o", str(tmp_path / "o.jsonl")],
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert "document id 'a' occurs twice" in result.stderr and "Traceback" not in result.stderr


def test_killed_run_resumes_to_the_same_tables(tmp_path):
    """A real SIGKILL in the middle of a run, then the same command again."""
    archive = tmp_path / "archive"
    make_corpus(archive, 400)
    out = tmp_path / "tables"
    command = [sys.executable, "-m", "persian_diplo", "annotate", str(archive), "-o", str(out),
               "--part-size", "20", "--batch-size", "8", "--no-progress"]
    process = subprocess.Popen(command, stderr=subprocess.PIPE)
    deadline = time.time() + 240
    while time.time() < deadline and len(list((out / "documents").glob("part-*.parquet"))) < 3:
        time.sleep(0.2)
        assert process.poll() is None, process.stderr.read().decode()
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    written = len(list((out / "documents").glob("part-*.parquet")))
    assert 3 <= written < 20  # killed halfway
    result = subprocess.run(command, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "resuming:" in result.stderr
    got = read_tables(out)
    assert sorted(got["documents"]["doc_id"]) == sorted({*got["documents"]["doc_id"]})  # nothing twice
    assert len(got["documents"]) == 400
    # the same as annotating the 400 documents in one go
    nlp = persian_diplo.load()
    from persian_diplo.annotate import annotate, expand_inputs, read_documents

    records = [r for _, r in annotate(nlp, read_documents(expand_inputs([str(archive)])))]
    expected = tables.records_rows(records)
    for name in tables.TABLES:
        assert rows(got[name]) == rows(tables.frame(expected[name], name)), name


def test_to_dataframe_from_docs_pairs_and_records():
    nlp = persian_diplo.load()
    text = SEED.read_text(encoding="utf-8")
    doc = nlp.make_doc(text)
    doc._.date = "2020-03-04"
    doc = nlp(doc)
    quotes = persian_diplo.to_dataframe([(doc, "seed")], "quotes")
    assert len(quotes) >= 8 and set(quotes["doc_id"]) == {"seed"}
    by_speaker = quotes[~quotes["optional"]].groupby("speaker_kb_id").size().to_dict()
    assert by_speaker == {"hassan_rouhani": 3, "vladimir_putin": 5}
    for row in quotes.itertuples():
        assert text[row.content_start:row.content_end] == row.content
    entities = persian_diplo.to_dataframe([doc], "entities")
    assert set(entities["doc_id"]) == {"0"} and "vladimir_putin" in set(entities["kb_id"])
    assert str(entities["start"].dtype) == "int64"
    # records (what the CLI writes) give the same table
    from persian_diplo.annotate import doc_to_record

    again = persian_diplo.to_dataframe([doc_to_record(doc, "0")], "entities")
    assert rows(again) == rows(entities)
    frames = tables.to_dataframes([doc], ids=["x"])
    assert set(frames) == {"documents", "entities", "quotes"} and frames["documents"]["quotes"][0] == len(quotes)
    empty = persian_diplo.to_dataframe([], "quotes")
    assert list(empty.columns) == list(tables.COLUMNS["quotes"]) and len(empty) == 0
    with pytest.raises(ValueError, match="table must be one of"):
        persian_diplo.to_dataframe([doc], "people")


def test_two_processes_give_the_same_records_in_order(corpus, reference, tmp_path):
    out = tmp_path / "two.jsonl"
    assert main(["annotate", str(corpus), "-o", str(out), "--n-process", "2", "--batch-size", "3", "--no-progress"]) == 0
    assert out.read_text(encoding="utf-8") == (reference / "all.jsonl").read_text(encoding="utf-8")


def test_memory_zones_leave_the_vocabulary_as_it_was_and_change_nothing(corpus):
    from persian_diplo.annotate import annotate, expand_inputs, read_documents, warm_up

    documents = list(read_documents(expand_inputs([str(corpus)])))
    sizes = {}
    results = {}
    for zone_size in (0, 5):
        nlp = persian_diplo.load()
        warm_up(nlp)
        before = len(nlp.vocab.strings)
        results[zone_size] = [r for _, r in annotate(nlp, documents, zone_size=zone_size)]
        sizes[zone_size] = len(nlp.vocab.strings) - before
    assert results[0] == results[5]
    assert sizes[0] > 0  # without zones the documents' new strings stay in the vocabulary
    assert sizes[5] == 0  # with zones they are freed
