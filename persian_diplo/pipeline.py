"""Building and loading pipelines: the bundled default, saved ones, and blank ones."""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Union

import spacy
from spacy.language import Language
from spacy.pipeline import Tok2Vec
from spacy.tokens import Doc

from . import extensions  # noqa: F401
# Importing the components registers their factories (entry points do the same for a
# process that loads a saved pipeline without importing persian_diplo).
from .text import components as _text_components  # noqa: F401
from .text import tokenizer as _tokenizer  # noqa: F401
from .entities import gazetteer as _gazetteer  # noqa: F401
from .entities import features as _features  # noqa: F401
from .entities import linker as _linker  # noqa: F401
from .quotes import component as _quotes  # noqa: F401
from . import train as _train  # noqa: F401  (augmenters and callbacks)

#: Where the bundled pipeline lives inside the package.
PIPELINES_DIR = Path(__file__).parent / "pipelines"
DEFAULT_PIPELINE = "fa_diplo"
TEXT_PIPES = ("diplo_normalizer", "diplo_sentencizer")
RULE_PIPES = TEXT_PIPES + ("diplo_gazetteer", "diplo_linker", "diplo_quotes")
#: A document longer than this (in tokens) goes through a CNN tok2vec in overlapping pieces
#: (``chunk_long_documents``): the same vectors, and the memory of one piece.
CHUNK_TOKENS = 4000
#: Encoders whose output for a token depends only on ``depth × window_size`` tokens either
#: side, and embeddings of one token each: what may be read in pieces.
_WINDOW_ENCODERS = frozenset({"spacy.MaxoutWindowEncoder.v1", "spacy.MaxoutWindowEncoder.v2",
                              "spacy.MishWindowEncoder.v1", "spacy.MishWindowEncoder.v2"})
_TOKEN_EMBEDDINGS = frozenset({"spacy.MultiHashEmbed.v1", "spacy.MultiHashEmbed.v2",
                               "spacy.CharacterEmbed.v1", "spacy.CharacterEmbed.v2"})


class ChunkedTok2Vec(Tok2Vec):
    """spaCy's ``tok2vec``, reading a document longer than ``chunk_tokens`` in pieces that
    overlap by ``context`` tokens. A window CNN's vector for a token depends on a fixed
    number of tokens either side (``depth × window_size``: 4 for the shipped model), so
    pieces that overlap by more than that give the vectors of the whole document exactly,
    while thinc keeps the intermediate arrays of one piece at a time instead of the whole
    document's (about 14 KB a token: 2 GB for a 100,000-word transcript, 0.8 GB read in
    pieces). Weights, training, saving and configs are spaCy's own; ``load`` gives this
    class to a pipeline's CNN tok2vec (``chunk_long_documents``)."""

    chunk_tokens: int = CHUNK_TOKENS
    context: int = 16

    def predict(self, docs: Iterable[Doc]):
        docs = list(docs)
        if all(len(doc) <= self.chunk_tokens for doc in docs):
            return super().predict(docs)
        short = [doc for doc in docs if len(doc) <= self.chunk_tokens]
        short_vectors = iter(super().predict(short) if short else [])
        out = []
        for doc in docs:
            if len(doc) <= self.chunk_tokens:
                out.append(next(short_vectors))
                continue
            pieces = []
            for start in range(0, len(doc), self.chunk_tokens):
                end = min(start + self.chunk_tokens, len(doc))
                lo, hi = max(0, start - self.context), min(len(doc), end + self.context)
                vectors = super().predict([doc[lo:hi].as_doc()])[0]
                pieces.append(vectors[start - lo:end - lo])
            out.append(self.model.ops.xp.concatenate(pieces))
        return out


def chunk_long_documents(nlp: Language, chunk_tokens: Optional[int] = CHUNK_TOKENS) -> List[str]:
    """Let ``nlp``'s CNN tok2vec components read documents longer than ``chunk_tokens``
    tokens in pieces (``ChunkedTok2Vec``: the same vectors, bounded memory); ``None``
    gives them back spaCy's reading of the whole document. A tok2vec whose encoder sees
    the whole document (a BiLSTM, a transformer) is left as it is. Returns the names of
    the components that read in pieces."""
    if chunk_tokens is not None and (isinstance(chunk_tokens, bool) or int(chunk_tokens) < 1):
        raise ValueError(f"chunk_tokens must be a positive number of tokens or None, not {chunk_tokens!r}")
    names = []
    for name, proc in nlp.pipeline:
        if not isinstance(proc, Tok2Vec):
            continue
        if chunk_tokens is None:
            if isinstance(proc, ChunkedTok2Vec):
                proc.__class__ = Tok2Vec
            continue
        model = nlp.config["components"].get(name, {}).get("model", {})
        encode, embed = model.get("encode", {}), model.get("embed", {})
        if encode.get("@architectures") not in _WINDOW_ENCODERS or embed.get("@architectures") not in _TOKEN_EMBEDDINGS:
            continue
        proc.__class__ = ChunkedTok2Vec
        proc.chunk_tokens = int(chunk_tokens)
        proc.context = max(16, 2 * int(encode.get("depth", 4)) * int(encode.get("window_size", 1)))
        names.append(name)
    return names


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
         kb_files: Iterable[Union[str, Path]] = (), chunk_tokens: Optional[int] = CHUNK_TOKENS) -> Language:
    """Load a pipeline: the bundled default (no argument, or ``"default"``), or a
    pipeline saved with ``nlp.to_disk`` / trained with ``persian-diplo train`` (a path),
    or an installed spaCy package name. Works offline: nothing is downloaded.

    ``kb_files``: JSONL files of your own knowledge-base entities (the schema of
    ``persian_diplo/kb/README.md``), validated and added to the linker and gazetteer.
    ``chunk_tokens``: a document longer than this many tokens goes through the CNN
    tok2vec in overlapping pieces, with the same result and bounded memory
    (``chunk_long_documents``); ``None`` reads every document whole."""
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
    chunk_long_documents(nlp, chunk_tokens)
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
