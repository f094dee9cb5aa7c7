"""Character tables of the text layer: what Persian news writes, and its normal form."""
from __future__ import annotations

from typing import Dict, Optional

ZWNJ = "\u200c"
ZWJ = "\u200d"
NBSP = "\u00a0"

#: Spaces other than U+0020 that news text carries: NBSP, the typographic spaces,
#: narrow NBSP, medium mathematical space, ideographic space.
ODD_SPACES = ("\u00a0", "\u1680", *(chr(c) for c in range(0x2000, 0x200b)), "\u202f", "\u205f", "\u3000")

#: Arabic letters and presentation variants mapped to the Persian letter.
LETTERS: Dict[str, str] = {
    "ي": "ی", "ى": "ی", "ې": "ی", "ۍ": "ی", "ێ": "ی", "ٸ": "ی",
    "ك": "ک", "ڪ": "ک", "ػ": "ک", "ؼ": "ک", "ڬ": "ک", "ڭ": "ک", "ڮ": "ک",
    "ة": "ه", "ۀ": "ه", "ە": "ه", "ھ": "ه", "ہ": "ه", "ۂ": "ه", "ۃ": "ه",
    "أ": "ا", "إ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا",
    "ٶ": "ؤ", "ۄ": "و", "ۅ": "و",
}

#: Persian (U+06F0–) and Arabic-Indic (U+0660–) digits; ASCII digits map to Persian.
PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
ARABIC_INDIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
PERSIAN_DIGITS_CLASS = "۰-۹٠-٩"

#: Harakat, tanwin, shadda, sukun, superscript alef, Quranic marks, hamza above/below
#: as combining marks, and tatweel: all dropped from the normal form.
DIACRITICS = (
    [chr(c) for c in range(0x064B, 0x0660)]
    + ["\u0670", "\u0640"]
    + [chr(c) for c in range(0x06D6, 0x06EE) if c not in (0x06E5, 0x06E6)]
)

#: Invisible formatting characters dropped from the normal form (ZWJ, bidi marks,
#: word joiner, soft hyphen, BOM). ZWNJ is kept: it is orthography.
INVISIBLES = ["\u200d", "\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e",
              "\u2066", "\u2067", "\u2068", "\u2069", "\u2060", "\u00ad", "\ufeff"]

#: Letters that do not join the next letter: a ZWNJ after them changes nothing.
NON_JOINING = frozenset("اآأإدذرزژوؤۀةءٔ")


def _table(digits: str) -> Dict[int, Optional[str]]:
    table: Dict[int, Optional[str]] = {ord(k): v for k, v in LETTERS.items() if k != v}
    for ch in DIACRITICS + INVISIBLES:
        table[ord(ch)] = None
    for ch in ODD_SPACES:
        table[ord(ch)] = " "
    if digits == "persian":
        sources = ("0123456789", ARABIC_INDIC_DIGITS)
        target = PERSIAN_DIGITS
    elif digits == "ascii":
        sources = (PERSIAN_DIGITS, ARABIC_INDIC_DIGITS)
        target = "0123456789"
    elif digits == "keep":
        sources, target = (), ""
    else:
        raise ValueError(f"digits must be 'persian', 'ascii' or 'keep', got {digits!r}")
    for source in sources:
        for a, b in zip(source, target):
            table[ord(a)] = b
    return table


CHAR_TABLES = {name: _table(name) for name in ("persian", "ascii", "keep")}


def normalize_chars(text: str, digits: str = "persian") -> str:
    """Map letters, digits and spaces to their normal form; drop diacritics,
    tatweel and invisible marks. One code point in, at most one out."""
    try:
        return text.translate(CHAR_TABLES[digits])
    except KeyError:
        raise ValueError(f"digits must be 'persian', 'ascii' or 'keep', got {digits!r}") from None
