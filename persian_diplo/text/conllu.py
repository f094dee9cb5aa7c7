"""CoNLL-U reading and the CoNLL 2018 shared task's tokenisation and sentence metrics.

Used by the benchmarks and tests to measure the tokenizer and sentence segmenter
against the UD Persian treebanks. The metrics follow the shared task's evaluation
script: tokens and sentences are compared as character spans over the text with all
white space removed, so a system can be scored on its own tokenisation of the raw text.
A multiword token (``1-2 کتابش``) counts once, as its surface form.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, List, Sequence, Tuple, Union


@dataclass
class UDSentence:
    sent_id: str
    text: str
    tokens: List[str]  # surface tokens, multiword tokens once


def read_conllu(path: Union[str, Path]) -> Iterator[UDSentence]:
    """Yield the sentences of a CoNLL-U file with their surface tokens."""
    sent_id, text, tokens, skip_until = "", "", [], 0
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            line = line.rstrip("\n")
            if not line:
                if tokens:
                    yield UDSentence(sent_id, text, tokens)
                sent_id, text, tokens, skip_until = "", "", [], 0
                continue
            if line.startswith("#"):
                key, _, value = line[1:].partition("=")
                if key.strip() == "sent_id":
                    sent_id = value.strip()
                elif key.strip() == "text":
                    text = value.strip()
                continue
            cols = line.split("\t")
            if len(cols) != 10:
                raise ValueError(f"{path}:{number}: expected 10 tab-separated columns, got {len(cols)}")
            index = cols[0]
            if "." in index:  # empty node
                continue
            if "-" in index:
                first, last = (int(x) for x in index.split("-"))
                tokens.append(cols[1])
                skip_until = last
                continue
            if int(index) <= skip_until:
                continue
            tokens.append(cols[1])
    if tokens:
        yield UDSentence(sent_id, text, tokens)


def _char_spans(pieces: Iterable[str]) -> List[Tuple[int, int]]:
    """Spans of each piece over the concatenation of all pieces with white space removed."""
    spans, offset = [], 0
    for piece in pieces:
        length = sum(1 for ch in piece if not ch.isspace())
        if length:
            spans.append((offset, offset + length))
        offset += length
    return spans


@dataclass
class PRF:
    precision: float
    recall: float
    f1: float
    gold: int
    predicted: int
    correct: int

    @classmethod
    def from_counts(cls, gold: int, predicted: int, correct: int) -> "PRF":
        p = correct / predicted if predicted else 0.0
        r = correct / gold if gold else 0.0
        return cls(p, r, 2 * p * r / (p + r) if p + r else 0.0, gold, predicted, correct)


def span_f1(gold: Sequence[str], predicted: Sequence[str]) -> PRF:
    """F1 of two segmentations of the same characters (white space ignored).

    Raises ValueError when the segmentations do not cover the same characters."""
    g_text = "".join("".join(p.split()) for p in gold)
    s_text = "".join("".join(p.split()) for p in predicted)
    if g_text != s_text:
        raise ValueError("gold and predicted segmentations cover different characters")
    g, s = set(_char_spans(gold)), set(_char_spans(predicted))
    return PRF.from_counts(len(g), len(s), len(g & s))


def token_f1(sentences: Sequence[UDSentence], tokenize) -> PRF:
    """CoNLL 2018 "Tokens" F1 of ``tokenize(text) -> list of token strings``."""
    gold: List[str] = []
    predicted: List[str] = []
    for sentence in sentences:
        gold.extend(sentence.tokens)
        predicted.extend(t for t in tokenize(sentence.text) if t.strip())
    return span_f1(gold, predicted)


def paragraphs(sentences: Sequence[UDSentence], size: int = 5) -> List[List[str]]:
    """Consecutive sentence texts grouped into paragraphs of ``size``."""
    return [[s.text for s in sentences[i:i + size]] for i in range(0, len(sentences), size)]


def sentence_f1(sentences: Sequence[UDSentence], segment, size: int = 5) -> PRF:
    """Sentence F1: sentences joined by spaces into paragraphs of ``size``, paragraphs by
    newlines; ``segment(text) -> list of sentence strings`` is scored on exact spans."""
    groups = paragraphs(sentences, size)
    text = "\n".join(" ".join(group) for group in groups)
    gold = [s for group in groups for s in group]
    return span_f1(gold, [s for s in segment(text) if s.strip()])


@dataclass
class ZWNJRestoration:
    words: int  # Persian words scored
    exact: int  # restored exactly
    zwnj_words: int  # words written with a ZWNJ
    zwnj_exact: int  # of those, restored exactly

    @property
    def accuracy(self) -> float:
        return self.exact / self.words if self.words else 0.0

    @property
    def zwnj_accuracy(self) -> float:
        return self.zwnj_exact / self.zwnj_words if self.zwnj_words else 0.0


def zwnj_restoration(sentences: Sequence[UDSentence], normalizer) -> ZWNJRestoration:
    """Strip every ZWNJ from the treebank's words, restore with ``normalizer.word`` and
    count the words whose restored form equals the original (both in character
    normal form: letters, digits, diacritics; redundant ZWNJs dropped)."""
    from .chars import ZWNJ
    from .normalizer import _clean_zwnj

    words = exact = zwnj_words = zwnj_exact = 0
    for sentence in sentences:
        for token in sentence.tokens:
            if not any("\u0600" <= ch <= "\u06ff" for ch in token):
                continue
            gold = _clean_zwnj(normalizer.characters(token))
            restored = normalizer.word(token.replace(ZWNJ, ""))
            words += 1
            exact += restored == gold
            if ZWNJ in gold:
                zwnj_words += 1
                zwnj_exact += restored == gold
    return ZWNJRestoration(words, exact, zwnj_words, zwnj_exact)
