"""``diplo_quotes``: who said what, as a spaCy pipeline component.

Place it after the entity components (``diplo_gazetteer``/``ner`` and ``diplo_linker``):
it uses sentences, norms and linked entities. The cue lexicon is data
(``quotes/data/cues.jsonl``) and is saved with the pipeline.
"""
from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence, Union

import srsly
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import ensure_path

from ..entities.gazetteer import norm_tokenizer
from .finder import QuoteFinder
from .model import QUOTES_ATTR
from .scorer import score_quotes

CUE_TYPES = ("verb", "passive", "source", "adverbial", "request", "naming", "document")


def load_cues(path: Union[str, Path, None] = None) -> List[Dict[str, Any]]:
    """Read and validate a cue lexicon (the package's by default)."""
    if path is None:
        path = Path(str(resources.files("persian_diplo.quotes") / "data" / "cues.jsonl"))
    cues, problems = [], []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                cue = json.loads(line)
            except json.JSONDecodeError as err:
                problems.append(f"{path}:{number}: not valid JSON ({err.msg})")
                continue
            if not isinstance(cue, dict) or not isinstance(cue.get("form"), str) or not cue["form"].strip() \
                    or cue.get("type") not in CUE_TYPES:
                problems.append(f"{path}:{number}: expected {{\"form\": str, \"type\": one of {', '.join(CUE_TYPES)}}}")
                continue
            cues.append(cue)
    if problems:
        raise ValueError("invalid cue lexicon:\n  " + "\n  ".join(problems))
    return cues


class QuoteAttributor:
    def __init__(self, nlp: Language, name: str = "diplo_quotes", *, cues: Optional[Sequence[Dict[str, Any]]] = None):
        self.nlp = nlp
        self.name = name
        self.cues = list(cues) if cues is not None else load_cues()
        self._finder: Optional[QuoteFinder] = None

    @property
    def finder(self) -> QuoteFinder:
        if self._finder is None:
            self._finder = QuoteFinder(self.nlp.vocab, self.cues, norm_tokenizer(self.nlp))
        return self._finder

    def __call__(self, doc: Doc) -> Doc:
        doc._.set(QUOTES_ATTR, self.finder.find(doc))
        return doc

    def pipe(self, stream: Iterable[Doc], batch_size: int = 128) -> Iterable[Doc]:
        for doc in stream:
            yield self(doc)

    def score(self, examples, **kwargs) -> Dict[str, Any]:
        return score_quotes(examples)

    def to_bytes(self, *, exclude: Iterable[str] = tuple()) -> bytes:
        return srsly.msgpack_dumps({"cues": self.cues})

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = tuple()) -> "QuoteAttributor":
        self.cues = srsly.msgpack_loads(data)["cues"]
        self._finder = None
        return self

    def to_disk(self, path: Union[str, Path], *, exclude: Iterable[str] = tuple()) -> None:
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_jsonl(path / "cues.jsonl", self.cues)

    def from_disk(self, path: Union[str, Path], *, exclude: Iterable[str] = tuple()) -> "QuoteAttributor":
        self.cues = load_cues(ensure_path(path) / "cues.jsonl")
        self._finder = None
        return self


@Language.factory(
    "diplo_quotes",
    assigns=["doc._.quote_data", "doc._.quotes"],
    requires=["doc.sents", "doc.ents", "token.norm"],
    default_config={},
    default_score_weights={"quote_f": 1.0, "quote_p": 0.0, "quote_r": 0.0, "quote_wsw_f": 0.0,
                           "quote_content_exact": 0.0, "quote_cue_acc": 0.0, "quote_speaker_acc": 0.0,
                           "quote_entity_acc": 0.0},
)
def make_quotes(nlp: Language, name: str) -> QuoteAttributor:
    """Factory of ``diplo_quotes``: rule-based quotation detection and attribution."""
    return QuoteAttributor(nlp, name)
