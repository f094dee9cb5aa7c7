"""persian_diplo.dask on a real LocalCluster: the same tables as one process, one
pipeline per worker, and the CLI driving a running cluster."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

pd = pytest.importorskip("pandas")
pytest.importorskip("pyarrow")
distributed = pytest.importorskip("distributed")
dask = pytest.importorskip("dask")

from persian_diplo import tables  # noqa: E402
from persian_diplo.cli import main  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))
from test_batch import make_corpus, read_tables, rows  # noqa: E402


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as local:
        with distributed.Client(local) as client:
            yield local, client


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    folder = tmp_path_factory.mktemp("archive")
    make_corpus(folder, 30)
    out = tmp_path_factory.mktemp("single")
    assert main(["annotate", str(folder), "-o", str(out / "tables"), "--part-size", "7", "--no-progress"]) == 0
    return folder, read_tables(out / "tables")


def test_annotate_files_equals_the_single_process_tables(cluster, archive):
    import persian_diplo.dask as pdd

    _, client = cluster
    folder, expected = archive
    frames = pdd.annotate_files([str(folder)], files_per_partition=4)
    assert frames["quotes"].npartitions > 2
    computed = dask.compute(*(frames[name] for name in tables.TABLES))
    for name, got in zip(tables.TABLES, computed):
        assert rows(got) == rows(expected[name]), name
    # one pipeline per worker process, not one per task
    loads = client.run(pdd.load_count)
    assert len(loads) == 2 and all(count <= 1 for count in loads.values()) and sum(loads.values()) >= 1


def test_write_parquet_and_bags_of_texts(cluster, archive, tmp_path):
    import dask.bag as db

    import persian_diplo.dask as pdd

    folder, expected = archive
    counts = pdd.write_parquet([str(folder)], tmp_path / "out", files_per_partition=5)
    assert counts == {name: len(expected[name]) for name in tables.TABLES}
    got = read_tables(tmp_path / "out")
    for name in tables.TABLES:
        assert rows(got[name]) == rows(expected[name]), name
    # a bag of {"id", "text"} dicts, as from dask.bag.read_text(...).map(json.loads)
    lines = [{"id": f"n{i}", "text": "عراقچی گفت: «ایران آماده گفت‌وگو است.»", "date": "2025-01-01"} for i in range(6)]
    frames = pdd.to_dataframes(pdd.annotate_bag(db.from_sequence(lines, npartitions=3)))
    quotes = frames["quotes"].compute()
    assert sorted(quotes["doc_id"]) == [f"n{i}" for i in range(6)]
    assert set(quotes["speaker_kb_id"]) == {"abbas_araghchi"}
    plain = pdd.annotate_bag(db.from_sequence(["ایران", "روسیه"], npartitions=2)).compute()
    assert [r["text"] for r in plain] == ["ایران", "روسیه"] and len({r["id"] for r in plain}) == 2


def test_cli_on_an_existing_cluster_resumes_and_matches(cluster, archive, tmp_path):
    local, _ = cluster
    folder, expected = archive
    out = tmp_path / "tables"
    command = [sys.executable, "-m", "persian_diplo", "annotate", str(folder), "-o", str(out),
               "--scheduler", local.scheduler_address, "--chunk-size", "4", "--part-size", "7", "--no-progress"]
    result = subprocess.run(command, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    got = read_tables(out)
    for name in tables.TABLES:
        assert rows(got[name]) == rows(expected[name]), name
    # JSONL through the cluster, interrupted and resumed
    jsonl = tmp_path / "out.jsonl"
    result = subprocess.run(command[:5] + ["-o", str(jsonl)] + command[7:], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    lines = jsonl.read_text(encoding="utf-8").splitlines(keepends=True)
    jsonl.write_text("".join(lines[:11]), encoding="utf-8")
    result = subprocess.run(command[:5] + ["-o", str(jsonl)] + command[7:], capture_output=True, text=True)
    assert result.returncode == 0 and "resuming: 11 documents" in result.stderr
    assert jsonl.read_text(encoding="utf-8").splitlines(keepends=True) == lines
    assert [json.loads(line)["id"] for line in lines][:2] == ["2020/doc0000", "2020/doc0001"]


def test_cli_scheduler_errors_are_one_line():
    result = subprocess.run([sys.executable, "-m", "persian_diplo", "annotate", "--scheduler", "tcp://127.0.0.1:9",
                             "--n-process", "2"], input="متن", capture_output=True, text=True)
    assert result.returncode != 0 and "--n-process is for a local run" in result.stderr
    assert "Traceback" not in result.stderr


def test_module_docstring_example_names_exist():
    import persian_diplo.dask as pdd

    for name in pdd.__all__:
        assert callable(getattr(pdd, name))
    assert Path(pdd.__file__).name == "dask.py"
