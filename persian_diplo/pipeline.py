"""Building and loading pipelines: the bundled default, saved ones, and blank ones."""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any, Dict, Iterable, Optional, Union

import spacy
from spacy.language import Language

from . import extensions  # noqa: F401
# Importing the components registers their factories (entry points do the same for a
# process that loads a saved pipeline without importing persian_diplo).
from .text import components as _text_components  # noqa: F401
from .text import tokenizer as _tokenizer  # noqa: F401
from .entities import gazetteer as _gazetteer  # noqa: F401
from .entities import linker as _linker  # noqa: F401
from .quotes import component as _quotes  # noqa: F401
from . import train as _train  # noqa: F401  (augmenters and callbacks)

#: Where the bundled pipeline lives inside the package.
PIPELINES_DIR = Path(__file__).parent / "pipelines"
DEFAULT_PIPELINE = "fa_diplo"
TEXT_PIPES = ("diplo_normalizer", "diplo_sentencizer")
RULE_PIPES = TEXT_PIPES + ("diplo_gazetteer", "diplo_linker", "diplo_quotes")


def default_pipeline_path() -> Path:
    """The directory of the bundled default pipeline."""
    return PIPELINES_DIR / DEFAULT_PIPELINE


def blank(pipes: Iterable[str] = TEXT_PIPES, config: Optional[Dict[str, Dict[str, Any]]] = None) -> Language:
    """A new ``fa`` pipeline with the project's tokenizer and the named pipes (the text
    layer by default). ``config`` maps a pipe name to its factory's config overrides."""
    nlp = spacy.blank("fa", config={"nlp": {"tokenizer": {"@tokenizers": "persian_diplo.tokenizer.v2"}}})
    for name in pipes:
        nlp.add_pipe(name, config=(config or {}).get(name, {}))
    return nlp


def load(name_or_path: Union[str, Path, None] = None, *, disable: Iterable[str] = (),
         exclude: Iterable[str] = (), config: Optional[Dict[str, Any]] = None,
         kb_files: Iterable[Union[str, Path]] = ()) -> Language:
    """Load a pipeline: the bundled default (no argument, or ``"default"``), or a
    pipeline saved with ``nlp.to_disk`` / trained with ``persian-diplo train`` (a path),
    or an installed spaCy package name. Works offline: nothing is downloaded.

    ``kb_files``: JSONL files of your own knowledge-base entities (the schema of
    ``persian_diplo/kb/README.md``), validated and added to the linker and gazetteer."""
    if name_or_path is None or str(name_or_path) in ("default", DEFAULT_PIPELINE):
        path = default_pipeline_path()
        if not (path / "config.cfg").exists():
            raise OSError(
                f"the bundled pipeline is missing from {path}; in a source checkout rebuild it "
                "with `python -m spacy project run all` in training/"
            )
        name_or_path = path
    elif isinstance(name_or_path, (str, Path)) and Path(name_or_path).exists() and not (Path(name_or_path) / "config.cfg").exists():
        raise OSError(f"{name_or_path} is not a saved spaCy pipeline (it has no config.cfg)")
    nlp = spacy.load(name_or_path, disable=list(disable), exclude=list(exclude), config=config or {})
    kb_files = list(kb_files)
    if kb_files:
        if "diplo_linker" not in nlp.pipe_names:
            raise ValueError("kb_files needs a pipeline with diplo_linker")
        for path in kb_files:
            nlp.get_pipe("diplo_linker").add_kb_file(path)
    return nlp


def save_pipeline(nlp: Language, path: Union[str, Path]) -> Path:
    """Save ``nlp`` to ``path`` atomically: written beside it, then moved into place, so
    a failure never leaves a half-written pipeline or destroys the previous one."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".save-", dir=str(out.parent)))
    try:
        nlp.to_disk(tmp / "pipeline")
        if out.exists():
            shutil.move(str(out), str(tmp / "previous"))
        shutil.move(str(tmp / "pipeline"), str(out))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return out
