"""The text layer's pipeline components: ``diplo_normalizer`` and ``diplo_sentencizer``.

``diplo_normalizer`` sets ``token.norm_`` to the Persian normal form of each token
(:mod:`persian_diplo.text.normalizer`) and never changes ``doc.text``. A compound that
a space splits into two or three tokens («رئیس جمهور», «می شود», «هسته ای») is merged
into one token whose ``norm_`` is the compound's normal form («رئیس‌جمهور»). That is the
choice the project made so that every spelling of a word gives one token with one norm:
the gazetteer, the NER model and the quotation rules see the same thing whether the
outlet wrote the ZWNJ, dropped it or typed a space. The merged token's text keeps the
space (``doc.text`` is untouched); set ``merge_compounds = false`` to keep the
tokenizer's tokens and only set norms.

``diplo_sentencizer`` splits sentences: a newline always ends one (headlines,
paragraphs), «. ! ? ؟» end one together with the closing quotes and brackets that follow.
"""
from __future__ import annotations

from pathlib import Path
from typing import Dict, Iterable, List, Sequence, Tuple, Union

import srsly
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import ensure_path

from .normalizer import Lexicon, Normalizer

#: Tokens that end a sentence.
SENTENCE_END = ("." , "!", "?", "؟", "!!", "?!", "!؟", "؟!", "..", "!!!", "؟؟")
#: Tokens that close a quotation or a bracket and stay with the sentence before them.
CLOSERS = ("»", '"', "”", "’", "'", ")", "]", "}", "›")


def _is_word(token) -> bool:
    """Letters only, ZWNJ allowed (spaCy's ``is_alpha`` is False for «می‌یابد»)."""
    text = token.text.replace("\u200c", "")
    return bool(text) and text.isalpha()


class DiploNormalizer:
    """Set ``token.norm_`` to the Persian normal form; merge spaced compounds."""

    def __init__(self, nlp: Language, name: str = "diplo_normalizer", *, digits: str = "persian",
                 merge_compounds: bool = True, extra_words: Sequence[str] = ()):
        self.name = name
        self.digits = digits
        self.merge_compounds = merge_compounds
        self.extra_words: List[str] = list(extra_words)
        lexicon = Lexicon.from_dict(Lexicon.default().to_dict()) if self.extra_words else Lexicon.default()
        if self.extra_words:
            lexicon.add_words(self.extra_words)
        self.normalizer = Normalizer(lexicon, digits=digits)
        self._norms: Dict[int, str] = {}  # orth id -> normal form

    # --------------------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        if self.merge_compounds and len(doc) > 1:
            self._merge(doc)
        norms = self._norms
        word = self.normalizer.word
        for token in doc:
            if " " in token.text:  # merged compound: its norm was set when merging
                continue
            norm = norms.get(token.orth)
            if norm is None:
                if len(norms) > 500_000:
                    norms.clear()
                norm = norms[token.orth] = word(token.text)
            token.norm_ = norm
        return doc

    def pipe(self, stream: Iterable[Doc], batch_size: int = 128) -> Iterable[Doc]:
        for doc in stream:
            yield self(doc)

    def _merge(self, doc: Doc) -> None:
        spans: List[Tuple[int, int, str]] = []
        i = 0
        n = len(doc)
        compound = self.normalizer.compound
        while i < n - 1:
            merged = False
            first = doc[i]
            if first.whitespace_ == " " and _is_word(first):
                for size in (3, 2):
                    end = i + size
                    if end > n:
                        continue
                    window = doc[i:end]
                    if any(t.whitespace_ != " " for t in window[:-1]) or not all(_is_word(t) for t in window):
                        continue
                    form = compound([t.text for t in window])
                    if form is not None:
                        spans.append((i, end, form))
                        i = end
                        merged = True
                        break
            if not merged:
                i += 1
        if spans:
            with doc.retokenize() as retokenizer:
                for start, end, form in spans:
                    retokenizer.merge(doc[start:end], attrs={"NORM": form})

    # ----- serialisation: the pipeline carries its lexicon ---------------------------
    def to_bytes(self, *, exclude: Iterable[str] = tuple()) -> bytes:
        return srsly.msgpack_dumps({"cfg": self._cfg(), "lexicon": self.normalizer.lexicon.to_dict()})

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = tuple()) -> "DiploNormalizer":
        msg = srsly.msgpack_loads(data)
        self._restore(msg["cfg"], Lexicon.from_dict(msg["lexicon"]))
        return self

    def to_disk(self, path: Union[str, Path], *, exclude: Iterable[str] = tuple()) -> None:
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_json(path / "cfg.json", self._cfg())
        srsly.write_msgpack(path / "lexicon.msgpack", self.normalizer.lexicon.to_dict())

    def from_disk(self, path: Union[str, Path], *, exclude: Iterable[str] = tuple()) -> "DiploNormalizer":
        path = ensure_path(path)
        self._restore(srsly.read_json(path / "cfg.json"), Lexicon.from_dict(srsly.read_msgpack(path / "lexicon.msgpack")))
        return self

    def _cfg(self) -> Dict[str, object]:
        return {"digits": self.digits, "merge_compounds": self.merge_compounds, "extra_words": self.extra_words}

    def _restore(self, cfg: Dict[str, object], lexicon: Lexicon) -> None:
        self.digits = str(cfg["digits"])
        self.merge_compounds = bool(cfg["merge_compounds"])
        self.extra_words = list(cfg.get("extra_words", []))  # type: ignore[arg-type]
        self.normalizer = Normalizer(lexicon, digits=self.digits)
        self._norms = {}


@Language.factory(
    "diplo_normalizer",
    assigns=["token.norm"],
    default_config={"digits": "persian", "merge_compounds": True, "extra_words": []},
)
def make_normalizer(nlp: Language, name: str, digits: str, merge_compounds: bool, extra_words: List[str]) -> DiploNormalizer:
    """Factory of ``diplo_normalizer``.

    digits: "persian" (۰-۹) or "ascii" (0-9), the one form every digit gets in norm_.
    merge_compounds: merge compounds that a space splits («رئیس جمهور») into one token.
    extra_words: words or compounds to add to the lexicon («جین‌پینگ»).
    """
    if digits not in ("persian", "ascii"):
        raise ValueError(f"diplo_normalizer: digits must be 'persian' or 'ascii', got {digits!r}")
    return DiploNormalizer(nlp, name, digits=digits, merge_compounds=merge_compounds, extra_words=extra_words)


class DiploSentencizer:
    """Rule-based sentence boundaries for Persian news."""

    def __init__(self, name: str = "diplo_sentencizer", *, overwrite: bool = True,
                 end_tokens: Sequence[str] = SENTENCE_END, closers: Sequence[str] = CLOSERS):
        self.name = name
        self.overwrite = overwrite
        self.end_tokens = frozenset(end_tokens)
        self.closers = frozenset(closers)

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        if not self.overwrite and doc.has_annotation("SENT_START"):
            return doc
        starts = self.sentence_starts(doc)
        for token in doc:
            token.is_sent_start = token.i in starts
        return doc

    def pipe(self, stream: Iterable[Doc], batch_size: int = 128) -> Iterable[Doc]:
        for doc in stream:
            yield self(doc)

    def sentence_starts(self, doc: Doc) -> set:
        starts = {0}
        n = len(doc)
        pending = False  # the next word token starts a sentence
        i = 0
        while i < n:
            token = doc[i]
            text = token.text
            if token.is_space:
                if "\n" in text:
                    pending = True
                i += 1
                continue
            if pending:
                starts.add(i)
                pending = False
            if "\n" in token.whitespace_:
                pending = True
            if text in self.end_tokens and not self._initial(doc, i):
                j = i + 1
                while j < n and doc[j - 1].whitespace_ == "" and doc[j].text in self.closers:
                    j += 1
                last = doc[j - 1]
                if j < n and (last.whitespace_ or doc[j].is_space or doc[j].is_alpha):
                    pending = True
                i = j
                continue
            i += 1
        return starts

    @staticmethod
    def _initial(doc: Doc, i: int) -> bool:
        """A full stop after a single letter is an initial or an abbreviation («پ. ک. ک»,
        «ج. ا. ا», «U. S.»), not the end of a sentence."""
        return doc[i].text == "." and i > 0 and len(doc[i - 1].text) == 1 and doc[i - 1].is_alpha \
            and doc[i - 1].whitespace_ == ""

    def to_bytes(self, *, exclude: Iterable[str] = tuple()) -> bytes:
        return srsly.msgpack_dumps(self._cfg())

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = tuple()) -> "DiploSentencizer":
        self._restore(srsly.msgpack_loads(data))
        return self

    def to_disk(self, path: Union[str, Path], *, exclude: Iterable[str] = tuple()) -> None:
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_json(path / "cfg.json", self._cfg())

    def from_disk(self, path: Union[str, Path], *, exclude: Iterable[str] = tuple()) -> "DiploSentencizer":
        self._restore(srsly.read_json(ensure_path(path) / "cfg.json"))
        return self

    def _cfg(self) -> Dict[str, object]:
        return {"overwrite": self.overwrite, "end_tokens": sorted(self.end_tokens), "closers": sorted(self.closers)}

    def _restore(self, cfg: Dict[str, object]) -> None:
        self.overwrite = bool(cfg["overwrite"])
        self.end_tokens = frozenset(cfg["end_tokens"])  # type: ignore[arg-type]
        self.closers = frozenset(cfg["closers"])  # type: ignore[arg-type]


@Language.factory(
    "diplo_sentencizer",
    assigns=["token.is_sent_start"],
    default_config={"overwrite": True},
    default_score_weights={"sents_f": 0.0, "sents_p": None, "sents_r": None},
)
def make_sentencizer(nlp: Language, name: str, overwrite: bool) -> DiploSentencizer:
    """Factory of ``diplo_sentencizer``: newlines always end a sentence; «. ! ? ؟» end one
    with the closing quotes and brackets that follow them."""
    return DiploSentencizer(name, overwrite=overwrite)
