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
from typing import Dict, Iterable, List, Optional, Sequence, Tuple, Union

import numpy

import srsly
from spacy.attrs import IS_ALPHA, IS_SPACE, LENGTH, NORM, ORTH, SENT_START, SPACY
from spacy.strings import get_string_id
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import ensure_path

from .normalizer import Lexicon, Normalizer

_MISSING = object()
_FULL_STOP = get_string_id(".")

#: Tokens that end a sentence.
SENTENCE_END = ("." , "!", "?", "؟", "!!", "?!", "!؟", "؟!", "..", "!!!", "؟؟")
#: Tokens that close a quotation or a bracket and stay with the sentence before them.
CLOSERS = ("»", '"', "”", "’", "'", ")", "]", "}", "›")


def _is_word_text(text: str) -> bool:
    """Letters only, ZWNJ allowed (spaCy's ``is_alpha`` is False for «می‌یابد»)."""
    text = text.replace("\u200c", "")
    return bool(text) and text.isalpha()


class DiploNormalizer:
    """Set ``token.norm_`` to the Persian normal form; merge spaced compounds."""

    def __init__(self, nlp: Language, name: str = "diplo_normalizer", *, digits: str = "persian",
                 merge_compounds: bool = True, extra_words: Sequence[str] = ()):
        self.name = name
        self.digits = digits
        self.merge_compounds = merge_compounds
        self.extra_words: List[str] = list(extra_words)
        # The lexicon is built on first use: a pipeline loaded from disk replaces it with
        # the one it saved, so building the default first would waste a second per load.
        self._normalizer: Optional[Normalizer] = None
        self._norms: Dict[int, str] = {}  # orth id -> normal form
        self._is_word: Dict[int, bool] = {}  # orth id -> letters only
        self._compounds: Dict[Tuple[int, ...], Optional[str]] = {}  # orth ids -> compound form

    @property
    def normalizer(self) -> Normalizer:
        if self._normalizer is None:
            lexicon = Lexicon.from_dict(Lexicon.default().to_dict()) if self.extra_words else Lexicon.default()
            if self.extra_words:
                lexicon.add_words(self.extra_words)
            self._normalizer = Normalizer(lexicon, digits=self.digits)
        return self._normalizer

    @normalizer.setter
    def normalizer(self, value: Normalizer) -> None:
        self._normalizer = value

    # --------------------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        if self.merge_compounds and len(doc) > 1:
            self._merge(doc)
        # One dictionary look-up per distinct word of the document, then one array
        # write: no per-token attribute setting (this component runs on every token).
        strings = doc.vocab.strings
        array = doc.to_array([ORTH, NORM])
        orths, inverse = numpy.unique(array[:, 0], return_inverse=True)
        norm_ids = numpy.empty(len(orths), dtype="uint64")
        keep = numpy.zeros(len(orths), dtype=bool)
        norms = self._norms
        word = self.normalizer.word
        for k, orth in enumerate(orths.tolist()):
            norm = norms.get(orth)
            if norm is None:
                text = strings[orth]
                if " " in text:  # a merged compound: its norm was set when merging
                    keep[k] = True
                    norm_ids[k] = 0
                    continue
                if len(norms) > 500_000:
                    norms.clear()
                norm = norms[orth] = word(text)
            # add() returns the hash and (re)stores the string: safe inside memory zones
            norm_ids[k] = strings.add(norm)
        inverse = inverse.reshape(-1)
        new = norm_ids[inverse]
        if keep.any():
            kept = keep[inverse]
            new[kept] = array[kept, 1]
        doc.from_array([NORM], new.reshape(-1, 1))
        return doc

    def pipe(self, stream: Iterable[Doc], batch_size: int = 128) -> Iterable[Doc]:
        for doc in stream:
            yield self(doc)

    def _word_flags(self, orth: int, text: str) -> bool:
        flag = self._is_word.get(orth)
        if flag is None:
            if len(self._is_word) > 500_000:
                self._is_word.clear()
            flag = self._is_word[orth] = _is_word_text(text)
        return flag

    def _compound(self, key: Tuple[int, ...], strings) -> Optional[str]:
        cache = self._compounds
        form = cache.get(key, _MISSING)
        if form is _MISSING:
            if len(cache) > 500_000:
                cache.clear()
            form = cache[key] = self.normalizer.compound([strings[o] for o in key])
        return form  # type: ignore[return-value]

    def _merge(self, doc: Doc) -> None:
        strings = doc.vocab.strings
        array = doc.to_array([ORTH, SPACY])
        orths = array[:, 0].tolist()
        spaces = array[:, 1].tolist()
        n = len(orths)
        words = [self._word_flags(orth, strings[orth]) for orth in orths]
        spans: List[Tuple[int, int, str]] = []
        i = 0
        while i < n - 1:
            end = 0
            if spaces[i] and words[i] and words[i + 1]:
                if i + 2 < n and spaces[i + 1] and words[i + 2]:
                    form = self._compound((orths[i], orths[i + 1], orths[i + 2]), strings)
                    if form is not None:
                        end = i + 3
                if not end:
                    form = self._compound((orths[i], orths[i + 1]), strings)
                    if form is not None:
                        end = i + 2
            if end:
                spans.append((i, end, form))
                i = end
            else:
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
        self._is_word = {}
        self._compounds = {}


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
        self._set_tokens(end_tokens, closers)

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        if not self.overwrite and doc.has_annotation("SENT_START"):
            return doc
        starts = self.sentence_starts(doc)
        values = numpy.full((len(doc), 1), -1, dtype="int64")
        values[sorted(starts), 0] = 1
        doc.from_array([SENT_START], values.astype("uint64"))
        return doc

    def pipe(self, stream: Iterable[Doc], batch_size: int = 128) -> Iterable[Doc]:
        for doc in stream:
            yield self(doc)

    def sentence_starts(self, doc: Doc) -> set:
        """Indices of the tokens that start a sentence (token attributes read as arrays:
        this runs on every token of every document)."""
        strings = doc.vocab.strings
        array = doc.to_array([ORTH, SPACY, IS_SPACE, IS_ALPHA, LENGTH]).tolist()
        end_ids, closer_ids = self._end_ids, self._closer_ids
        starts = {0}
        n = len(array)
        pending = False  # the next word token starts a sentence
        i = 0
        while i < n:
            orth, space_after, is_space, _, _ = array[i]
            if is_space:
                if "\n" in strings[orth]:
                    pending = True
                i += 1
                continue
            if pending:
                starts.add(i)
                pending = False
            if orth in end_ids and not (orth == _FULL_STOP and i > 0 and self._initial(array[i - 1])):
                j = i + 1
                while j < n and not array[j - 1][1] and array[j][0] in closer_ids:
                    j += 1
                if j < n and (array[j - 1][1] or array[j][2] or array[j][3]):
                    pending = True
                i = j
                continue
            i += 1
        return starts

    @staticmethod
    def _initial(previous: Sequence[int]) -> bool:
        """A full stop after a single letter is an initial or an abbreviation («پ. ک. ک»,
        «ج. ا. ا», «U. S.»), not the end of a sentence. ``previous``: the ORTH, SPACY,
        IS_SPACE, IS_ALPHA, LENGTH row of the token before the full stop."""
        return previous[4] == 1 and bool(previous[3]) and not previous[1]

    def _set_tokens(self, end_tokens: Iterable[str], closers: Iterable[str]) -> None:
        self.end_tokens = frozenset(end_tokens)
        self.closers = frozenset(closers)
        # the same sets as string hashes, compared with the ORTH column of the doc
        self._end_ids = frozenset(get_string_id(t) for t in self.end_tokens)
        self._closer_ids = frozenset(get_string_id(t) for t in self.closers)

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
        self._set_tokens(cfg["end_tokens"], cfg["closers"])  # type: ignore[arg-type]


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
