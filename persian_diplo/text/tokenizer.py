"""The Persian tokenizer: spaCy's ``fa`` rules without clitic over-splitting, with
punctuation glued to Persian words split off.

spaCy's ``fa`` exceptions split hundreds of word forms into stem and clitic
(«امیدواریم» → «امیدوار|یم», «تنش» → «تن|ش», «ترکش» → «ترک|ش»). Many of them are
ordinary words, the split is wrong in news text, and the UD treebanks keep clitics
inside the surface token; so none of those exceptions is kept. Punctuation that
outlets glue to words («گفت:«ما», «ایران،روسیه», «مسکو).») is split by infix and
suffix rules that know Persian letters. ZWNJ-joined words stay one token. NBSP and the
other odd spaces become white-space tokens, as a space does.

``persian_diplo.tokenizer.v2`` (what the configs, ``persian_diplo.blank()`` and the shipped
pipeline use; v1 stays registered for pipelines saved with it) also computes the
vocabulary's ``PREFIX`` and ``SUFFIX``, two of the features a tok2vec embeds, on the
word's Persian spelling: Arabic «ي ك ى» read as «ی ک ی», a ZWNJ dropped, every digit
Persian. «رئيس» and «رئیس», «کشور‌ها» and «کشورها», «1400» and «۱۴۰۰» then share them,
as their ``NORM`` already does; text written in Persian letters without ZWNJ and digits
gets the features v1 gave it.
"""
from __future__ import annotations

import re
from typing import Callable, Dict, List

import spacy
from spacy.lang.char_classes import (
    ALPHA,
    CONCAT_QUOTES,
    LIST_ELLIPSES,
    LIST_ICONS,
    LIST_PUNCT,
    LIST_QUOTES,
)
from spacy.attrs import PREFIX, SUFFIX
from spacy.lang.fa import Persian
from spacy.language import Language
from spacy.symbols import ORTH
from spacy.lang.tokenizer_exceptions import URL_PATTERN
from spacy.tokenizer import Tokenizer
from spacy.vocab import Vocab
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex

from .chars import ARABIC_INDIC_DIGITS, ODD_SPACES, PERSIAN_DIGITS, PERSIAN_DIGITS_CLASS, ZWNJ

#: Letters of the Persian and Arabic blocks, as a regex character-class body.
PERSIAN_LETTERS = "\u0621-\u063a\u0641-\u064a\u066e-\u06d3\u06d5\u06fa-\u06ff"
_WORD = f"{ALPHA}{PERSIAN_LETTERS}0-9{PERSIAN_DIGITS_CLASS}\u200c"
_ODD_SPACE_CLASS = "".join(ODD_SPACES)
#: Punctuation that is never part of a Persian word, split wherever it touches one.
_HARD_PUNCT = "«»\"“”„‹›()\\[\\]{}،؛!؟?…٬"

#: spaCy's URL pattern, but only for strings with a Latin letter: without that
#: condition «ایران.روسیه» (two words glued by a full stop) is taken for a domain.
URL_MATCH = re.compile("^(?=\\S*[A-Za-z])" + URL_PATTERN[1:], re.UNICODE).match

PREFIXES: List[str] = list(Persian.Defaults.prefixes or []) + [rf"[{_ODD_SPACE_CLASS}]"]

SUFFIXES: List[str] = (
    LIST_PUNCT
    + LIST_ELLIPSES
    + LIST_QUOTES
    + LIST_ICONS
    + [
        rf"[{_ODD_SPACE_CLASS}]",
        r"(?<=[0-9۰-۹])[%٪+]",
        r"٬",
        # a full stop that ends a word: «مسکو.», «مسکو).»; not inside «3.5» or «U.S.»
        rf"(?<=[{PERSIAN_LETTERS}0-9۰-۹{CONCAT_QUOTES}\)\]])\.",
        rf"(?<=[{_WORD}]{{2}})\.",
    ]
)

INFIXES: List[str] = (
    LIST_ELLIPSES
    + LIST_ICONS
    + [
        rf"[{_ODD_SPACE_CLASS}]",
        # hard punctuation between any two characters of words: «گفت:«ما», «ایران،روسیه»
        rf"(?<=[^\s])[{_HARD_PUNCT}](?=[^\s])",
        # colon and semicolon next to a Persian letter (not inside «12:30» or a URL)
        rf"(?<=[{PERSIAN_LETTERS}])[:;](?=[^\s])",
        rf"(?<=[^\s])[:;](?=[{PERSIAN_LETTERS}«\"“])",
        # a full stop between two Persian words glued together: «ایران.روسیه»
        rf"(?<=[{PERSIAN_LETTERS}]{{2}})\.(?=[{PERSIAN_LETTERS}]{{2}})",
        # hyphens and dashes between Persian letters: «اینتر-فرهنگی»
        rf"(?<=[{PERSIAN_LETTERS}])[-–—](?=[{PERSIAN_LETTERS}])",
        # comma between letters (Latin comma used in Persian text)
        rf"(?<=[{_WORD}]),(?=[{PERSIAN_LETTERS}])",
    ]
)


def tokenizer_exceptions() -> Dict[str, List[Dict[int, str]]]:
    """spaCy's fa exceptions without the stem|clitic splits (abbreviations only)."""
    exceptions = {k: v for k, v in Persian.Defaults.tokenizer_exceptions.items() if len(v) == 1}
    for abbreviation in ("ج.ا.ا", "ه.ش", "ه.ق", "م.", "ق.م.", "ه.ش.", "ه.ق.", "U.S.", "U.N."):
        exceptions[abbreviation] = [{ORTH: abbreviation}]
    return exceptions


def create_persian_tokenizer(nlp: Language) -> Tokenizer:
    """Build the tokenizer for ``nlp`` (a ``fa`` pipeline)."""
    return Tokenizer(
        nlp.vocab,
        rules=tokenizer_exceptions(),
        prefix_search=compile_prefix_regex(PREFIXES).search,
        suffix_search=compile_suffix_regex(SUFFIXES).search,
        infix_finditer=compile_infix_regex(INFIXES).finditer,
        token_match=Persian.Defaults.token_match,
        url_match=URL_MATCH,
    )


#: the spelling PREFIX and SUFFIX are taken from: Persian letters, no ZWNJ, Persian digits
_AFFIX_SPELLING = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک", ZWNJ: None,
                                 **dict(zip("0123456789" + ARABIC_INDIC_DIGITS, PERSIAN_DIGITS * 2))})


def affix_spelling(string: str) -> str:
    """``string`` as PREFIX and SUFFIX read it (the string itself if nothing is left)."""
    return string.translate(_AFFIX_SPELLING) or string


def persian_prefix(string: str) -> str:
    """The lexeme's PREFIX under tokenizer v2: the first letter of its Persian spelling."""
    return affix_spelling(string)[:1]


def persian_suffix(string: str) -> str:
    """The lexeme's SUFFIX under tokenizer v2: the last three letters of its Persian spelling."""
    return affix_spelling(string)[-3:]


def use_persian_affixes(vocab: Vocab) -> None:
    """Compute PREFIX and SUFFIX of ``vocab``'s lexemes, those it has and those it will
    make, with :func:`persian_prefix` and :func:`persian_suffix`."""
    vocab.lex_attr_getters[PREFIX] = persian_prefix
    vocab.lex_attr_getters[SUFFIX] = persian_suffix
    for lexeme in vocab:
        lexeme.prefix_ = persian_prefix(lexeme.orth_)
        lexeme.suffix_ = persian_suffix(lexeme.orth_)


def create_persian_tokenizer_v2(nlp: Language) -> Tokenizer:
    """:func:`create_persian_tokenizer`, with the vocabulary's PREFIX and SUFFIX read on
    the Persian spelling of a word."""
    use_persian_affixes(nlp.vocab)
    return create_persian_tokenizer(nlp)


@spacy.registry.tokenizers("persian_diplo.tokenizer.v1")
def make_persian_tokenizer() -> Callable[[Language], Tokenizer]:
    """Registered tokenizer factory of pipelines saved before v2: ``[nlp.tokenizer]
    @tokenizers = "persian_diplo.tokenizer.v1"`` (PREFIX and SUFFIX on the letters as written)."""
    return create_persian_tokenizer


@spacy.registry.tokenizers("persian_diplo.tokenizer.v2")
def make_persian_tokenizer_v2() -> Callable[[Language], Tokenizer]:
    """Registered tokenizer factory: ``[nlp.tokenizer] @tokenizers = "persian_diplo.tokenizer.v2"``."""
    return create_persian_tokenizer_v2
