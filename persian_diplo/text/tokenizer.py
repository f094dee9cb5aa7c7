"""The Persian tokenizer: spaCy's ``fa`` rules without clitic over-splitting, with
punctuation glued to Persian words split off.

spaCy's ``fa`` exceptions split hundreds of word forms into stem and clitic
(«امیدواریم» → «امیدوار|یم», «تنش» → «تن|ش», «ترکش» → «ترک|ش»). Many of them are
ordinary words, the split is wrong in news text, and the UD treebanks keep clitics
inside the surface token; so none of those exceptions is kept. Punctuation that
outlets glue to words («گفت:«ما», «ایران،روسیه», «مسکو).») is split by infix and
suffix rules that know Persian letters. ZWNJ-joined words stay one token. NBSP and the
other odd spaces become white-space tokens, as a space does.
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
from spacy.lang.fa import Persian
from spacy.language import Language
from spacy.symbols import ORTH
from spacy.lang.tokenizer_exceptions import URL_PATTERN
from spacy.tokenizer import Tokenizer
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex

from .chars import ODD_SPACES, PERSIAN_DIGITS_CLASS

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


@spacy.registry.tokenizers("persian_diplo.tokenizer.v1")
def make_persian_tokenizer() -> Callable[[Language], Tokenizer]:
    """Registered tokenizer factory: ``[nlp.tokenizer] @tokenizers = "persian_diplo.tokenizer.v1"``."""
    return create_persian_tokenizer
