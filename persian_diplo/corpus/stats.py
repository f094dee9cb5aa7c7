"""Corpus statistics: the counts the corpus datasheet and `persian-diplo corpus stats` report."""
from __future__ import annotations

import re
from collections import Counter
from typing import Any, Dict, Iterable, List

from .schema import LABELS, is_pronoun, span_text

#: Office titles that name a person only through context (no country or institution).
#: Compared after removing ZWNJ and spaces and mapping Arabic «ي ك» to Persian.
BARE_TITLES = frozenset(
    t.replace("\u200c", "").replace(" ", "")
    for t in (
        "رئیس‌جمهور", "رییس‌جمهور", "نخست‌وزیر", "صدراعظم", "وزیر", "وزیر خارجه", "وزیر امور خارجه",
        "سخنگو", "سخنگوی دولت", "رئیس", "دبیرکل", "دبیر کل", "پادشاه", "امیر", "ولیعهد", "نماینده",
        "سفیر", "فرمانده", "وزیر دفاع", "وزیر کشور", "رئیس مجلس", "رئیس دولت", "معاون اول",
        "معاون", "دیپلمات", "مذاکره‌کننده ارشد", "رئیس قوه قضاییه", "مدیرکل", "مدیر کل", "دادستان",
    )
)

_SENTENCE_END = re.compile(r"[.!?؟]+[»\")]*\s+(?=\S)")
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?؟])[»\")]*\s+|\n+")
_ARABIC = str.maketrans({"ي": "ی", "ك": "ک", "ى": "ی", "ة": "ه"})
_DIGITS = re.compile(r"[0-9۰-۹٠-٩]+")


def _squash(text: str) -> str:
    return text.replace("\u200c", "").replace(" ", "").replace("\u00a0", "").translate(_ARABIC)


def sentence_key(sentence: str) -> str:
    """A sentence with orthographic and numeric differences removed, for template checks."""
    text = _DIGITS.sub("0", sentence.translate(_ARABIC).replace("\u200c", ""))
    return " ".join(text.split())


def split_sentences(text: str) -> List[str]:
    return [s.strip() for s in _SENTENCE_SPLIT.split(text) if s and s.strip()]


def quote_features(record: Dict[str, Any]) -> List[Dict[str, bool]]:
    """For each quotation: pronoun or bare-title speaker, speaker after, nested, multi-sentence."""
    quotes = record.get("quotes", [])
    contents = [q["content"] for q in quotes]
    features = []
    for i, quote in enumerate(quotes):
        speaker = span_text(record, quote.get("speaker"))
        content = quote["content"]
        inner = record["text"][content["start"]:content["end"]].strip()
        nested = any(
            j != i and (
                (c["start"] <= content["start"] and content["end"] <= c["end"])
                or (content["start"] <= c["start"] and c["end"] <= content["end"])
            )
            for j, c in enumerate(contents)
        )
        features.append({
            "pronoun_or_bare_title_speaker": speaker is not None
            and (is_pronoun(speaker) or _squash(speaker) in BARE_TITLES),
            "pronoun_speaker": speaker is not None and is_pronoun(speaker),
            "speaker_after": quote.get("speaker") is not None and quote["speaker"]["start"] > content["start"],
            "nested": nested,
            "multi_sentence": bool(_SENTENCE_END.search(inner)) or "\n" in inner,
        })
    return features


def corpus_stats(records: Iterable[Dict[str, Any]]) -> Dict[str, Any]:
    """Counts over records: documents, entities per label, quotation kinds and features,
    sentence uniqueness and orthography."""
    labels: Counter = Counter()
    quotes: Counter = Counter()
    ortho: Counter = Counter()
    sentences: Counter = Counter()
    docs = 0
    chars = 0
    for record in records:
        docs += 1
        text = record["text"]
        chars += len(text)
        for ent in record.get("entities", []):
            labels[ent["label"]] += 1
        for quote, feats in zip(record.get("quotes", []), quote_features(record)):
            quotes["total"] += 1
            quotes[quote["kind"]] += 1
            if quote.get("optional"):
                quotes["optional"] += 1
            if feats["pronoun_or_bare_title_speaker"]:
                quotes["pronoun or bare-title speaker"] += 1
            if feats["speaker_after"]:
                quotes["speaker after the quotation"] += 1
            if feats["nested"] or feats["multi_sentence"]:
                quotes["nested or multi-sentence"] += 1
            if quote.get("speaker") is None:
                quotes["no speaker"] += 1
        ortho["ZWNJ present"] += "\u200c" in text
        ortho["ZWNJ stripped (no ZWNJ, has a stripped compound)"] += "\u200c" not in text and bool(
            re.search(r"(?:رئیسجمهور|میشود|میکند|بینالمللی|هستهای|آنها|اینکه|میگوید|گفتوگو|ها(?:ی|یی)?\b)", text))
        ortho["Arabic ي/ك"] += bool(re.search("[يك]", text))
        ortho["Persian digits"] += bool(re.search("[۰-۹]", text))
        ortho["ASCII digits"] += bool(re.search("[0-9]", text))
        ortho["«» quotes"] += "«" in text
        ortho['"" quotes'] += '"' in text or "“" in text
        ortho["NBSP"] += "\u00a0" in text
        for sentence in split_sentences(text):
            sentences[sentence_key(sentence)] += 1
    total_sentences = sum(sentences.values())
    return {
        "documents": docs,
        "characters": chars,
        "entities": sum(labels.values()),
        "labels": {label: labels.get(label, 0) for label in LABELS} | {k: v for k, v in labels.items() if k not in LABELS},
        "quotes": dict(quotes),
        "sentences": total_sentences,
        "unique_sentences": len(sentences),
        "unique_sentence_ratio": (len(sentences) / total_sentences) if total_sentences else 1.0,
        "orthography": dict(ortho),
    }


def format_stats(stats: Dict[str, Any]) -> str:
    lines = [
        f"documents                {stats['documents']}",
        f"characters               {stats['characters']}",
        f"entity mentions          {stats['entities']}",
    ]
    for label, count in stats["labels"].items():
        lines.append(f"  {label:<22} {count}")
    q = stats["quotes"]
    lines.append(f"quotations               {q.get('total', 0)}")
    for key in ("direct", "indirect", "optional", "pronoun or bare-title speaker",
                "speaker after the quotation", "nested or multi-sentence", "no speaker"):
        lines.append(f"  {key:<30} {q.get(key, 0)}")
    lines.append(f"sentences                {stats['sentences']} ({stats['unique_sentences']} unique, "
                 f"{100 * stats['unique_sentence_ratio']:.1f} %)")
    lines.append("documents with")
    for key, count in stats["orthography"].items():
        lines.append(f"  {key:<30} {count}")
    return "\n".join(lines)
