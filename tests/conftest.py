"""Shared fixtures. The pipeline is loaded once per session; cheap pipelines are blank
``fa`` pipelines with only the pipes under test."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import persian_diplo

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
#: the project's shared folder (UD treebanks and external NER sets), beside the checkout
SHARED = Path(os.environ.get("PERSIAN_DIPLO_SHARED", ROOT.parent / "shared"))
EXTERNAL = SHARED / "data" / "external"


def _run_until(nlp, text: str, date: str, stop: str):
    doc = nlp.make_doc(text)
    doc._.date = date
    for name, pipe in nlp.pipeline:
        if name == stop:
            break
        doc = pipe(doc)
    return doc


@pytest.fixture(scope="session")
def run_until():
    """``run_until(nlp, text, date, stop)``: ``text`` through ``nlp``'s pipes before
    ``stop``, so that a test can set the entities a model would have and run ``stop``."""
    return _run_until


def _external(relative: str) -> Path:
    path = EXTERNAL / relative
    if not path.exists():
        pytest.skip(f"{path} is not available (set PERSIAN_DIPLO_SHARED to the shared folder)")
    return path


@pytest.fixture(scope="session")
def external():
    """``external("ud_persian_perdt/…")``: a file of the shared external data (skips the
    test where the shared folder is absent, e.g. outside the project's CI)."""
    return _external


@pytest.fixture(scope="session")
def seed_text() -> str:
    return (EXAMPLES / "seed_article.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_gold() -> dict:
    return json.loads((EXAMPLES / "seed_article.gold.jsonl").read_text(encoding="utf-8").splitlines()[0])


@pytest.fixture(scope="session")
def text_nlp():
    """The text layer only: tokenizer, normaliser, sentences."""
    return persian_diplo.blank()


@pytest.fixture(scope="session")
def nlp():
    """The bundled default pipeline, loaded once."""
    return persian_diplo.load()
