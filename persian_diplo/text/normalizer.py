"""Persian normal forms: letters, digits, diacritics, spaces, and ZWNJ restoration.

The normal form of a word does not depend on how it was typed: «رئیس‌جمهور»,
«رئیسجمهور» (ZWNJ stripped), «رئيسجمهور» (Arabic «ي») and «رييس‌جمهور» all have the
normal form «رئیس‌جمهور». It is computed in three steps:

1. characters (:func:`chars.normalize_chars`): Arabic letters to Persian, digits to
   one form, diacritics, tatweel and invisible marks removed, odd spaces to spaces;
2. spelling variants of a few stems («رییس» → «رئیس», «مسوول» → «مسئول»);
3. ZWNJ: a word written with a ZWNJ keeps the writer's ZWNJ (redundant ones, after
   letters that do not join, are dropped); a word without one is looked up in the
   lexicon (hazm's word list: 13 k compounds such as «بین‌المللی», 174 k plain words),
   then affix rules apply: the verb prefixes «می», «نمی» before a conjugated verb form
   («میشود» → «می‌شود») and suffixes after a known stem (plural «ها», «های»…; «ای»,
   «ام», «اند»… after «ه»: «هسته‌ای»; «تر», «ترین»).

Where a space splits a compound into two or three tokens («رئیس جمهور», «می شود»,
«هسته ای»), :meth:`Normalizer.compound` says whether they form one word and gives its
normal form; the pipeline component merges such tokens into one token (see
``components.py``), so that all spellings give one token with one ``norm_``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Dict, FrozenSet, Iterable, List, Optional, Sequence, Tuple

from .chars import NON_JOINING, ZWNJ, normalize_chars

#: Known plural/possessive suffixes, longest first.
PLURAL_SUFFIXES = ("هایشان", "هایتان", "هایمان", "هایش", "هایت", "هایم", "هایی", "های", "ها")
#: Suffixes written with a ZWNJ after a word-final «ه» (the non-joining heh).
HEH_SUFFIXES = ("ایشان", "اید", "ایم", "اند", "ای", "ام", "ات", "اش")
#: Suffixes written joined to the stem: plural «ان», «ات», «ین»; «ی» after a consonant
#: («گاهی», «بیشتری»); «ای» after «ا»/«و» is a vowel suffix, below.
ATTACHED_SUFFIXES = ("یان", "گان", "ان", "ات", "ین", "ی")
#: Frequent words whose usual news spelling has no ZWNJ although a rule would add one.
KEEP_AS_WRITTEN = frozenset({"آنها", "اینها", "آنهایی", "اینهایی"})
COMPARATIVE_SUFFIXES = ("ترین", "تری", "تر")
VERB_PREFIXES = ("برنمی", "برمی", "درنمی", "درمی", "بازنمی", "بازمی", "فرونمی", "فرومی", "فرانمی", "فرامی", "نمی", "می")
#: Endings of the perfect after the participle («کرده‌اند», «گفته‌ام»).
PERFECT_ENDINGS = ("ام", "ای", "ایم", "اید", "اند")
#: Prefixes written with a ZWNJ before a word («به‌خاطر», «بی‌طرف», «هم‌زمان»); applied
#: only to words the lexicon does not know («بهتر», «بهمن» stay as they are).
WORD_PREFIXES = ("به", "بی", "هم")
#: «ی» (ezafe, indefinite) after a final vowel: «گفت‌وگوی», «آمریکای».
VOWEL_SUFFIXES = ("یی", "ی")
PERSON_ENDINGS_PRESENT = ("م", "ی", "د", "یم", "ید", "ند")
PERSON_ENDINGS_PAST = ("", "م", "ی", "یم", "ید", "ند", "ه")
#: Stems whose spelling varies and the standard spelling.
SPELLING_VARIANTS = {
    "رییس": "رئیس", "مسوول": "مسئول", "مسؤول": "مسئول", "مساله": "مسئله", "مسأله": "مسئله",
    "هیات": "هیئت", "ارایه": "ارائه", "اسراییل": "اسرائیل", "آئین": "آیین", "جزییات": "جزئیات",
    "جزیی": "جزئی", "پاییز": "پاییز", "شییون": "شئون", "تاسیس": "تأسیس",
}
_WORD_CHARS = re.compile(r"^[\u0621-\u063a\u0641-\u064a\u067e\u0686\u0698\u06a9\u06af\u06cc\u200c]+$")
_LATIN = re.compile(r"[A-Za-z]")
_WORD_LINE = re.compile(r"^([\u0621-\u063a\u0641-\u064a\u067e\u0686\u0698\u06a9\u06af\u06cc\u200c]+)\t(\d+)(?:\t([^\t\n]*))?$",
                        re.MULTILINE)


def _join(left: str, right: str) -> str:
    """Two parts of one word: ZWNJ between them unless ``left`` ends in a letter that
    does not join anyway."""
    if not left or not right or left[-1] in NON_JOINING:
        return left + right
    return left + ZWNJ + right


def _clean_zwnj(word: str) -> str:
    """Drop repeated ZWNJs, ZWNJs at the edges and ZWNJs after non-joining letters."""
    if ZWNJ not in word:
        return word
    out: List[str] = []
    for ch in word:
        if ch == ZWNJ and (not out or out[-1] == ZWNJ or out[-1] in NON_JOINING):
            continue
        out.append(ch)
    while out and out[-1] == ZWNJ:
        out.pop()
    return "".join(out)


@dataclass
class Lexicon:
    """The normaliser's data: word frequencies (plain words and ZWNJ compounds) and
    verb stems. Built from the package's TSV files or from serialised bytes."""

    words: Dict[str, int] = field(default_factory=dict)
    verbs: List[Tuple[str, str]] = field(default_factory=list)
    adjectives: FrozenSet[str] = frozenset()

    def __post_init__(self) -> None:
        self._index()

    def _index(self) -> None:
        # stripped key -> (best ZWNJ form, its frequency)
        self.compounds: Dict[str, Tuple[str, int]] = {}
        for form, freq in self.words.items():
            if ZWNJ in form:
                key = form.replace(ZWNJ, "")
                best = self.compounds.get(key)
                if best is None or freq > best[1]:
                    self.compounds[key] = (form, freq)
        forms: Dict[str, str] = {}
        for past, present in self.verbs:
            if present:
                # «آ» → «آیم»; «گو» → «گویم» but «شو» → «شوم»: after «و» make both
                stems = {present}
                if present[-1] in "اوآ":
                    stems.add(present + "ی")
                if present[-1] in "اآ":
                    stems.discard(present)
                for stem in stems:
                    forms.update((stem + e, stem + e) for e in PERSON_ENDINGS_PRESENT)
            if past:
                forms.update((past + e, past + e) for e in PERSON_ENDINGS_PAST)
                forms.update((past + "ه" + e, past + "ه" + ZWNJ + e) for e in PERFECT_ENDINGS)
        forms["توان"] = "توان"
        #: conjugated verb forms without «می»: stripped form -> normal form
        self.verb_forms: Dict[str, str] = forms

    @classmethod
    def from_tsv(cls, words_lines: Iterable[str], verbs_lines: Iterable[str], source: str = "lexicon") -> "Lexicon":
        """Parse and validate the TSV data; errors name the source and line."""
        words_lines = list(words_lines)
        fast = cls._parse_words_fast(words_lines)
        if fast is not None:
            words, adjectives = fast
            return cls(words, cls._parse_verbs(verbs_lines, source), frozenset(adjectives))
        words = {}
        adjectives = set()
        for number, line in enumerate(words_lines, start=1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            parts = line.split("\t")
            if len(parts) not in (2, 3) or not parts[1].isdigit() or not _WORD_CHARS.match(parts[0]):
                raise ValueError(f"{source} words line {number}: expected 'form<TAB>frequency[<TAB>POS,…]' "
                                 f"with a Persian form, got {line!r}")
            words[parts[0]] = words.get(parts[0], 0) + int(parts[1])
            if len(parts) == 3 and "AJ" in parts[2].split(","):
                adjectives.add(parts[0])
        return cls(words, cls._parse_verbs(verbs_lines, source), frozenset(adjectives))

    @staticmethod
    def _parse_words_fast(lines: List[str]) -> Optional[Tuple[Dict[str, int], set]]:
        """One regular expression over the whole word list (5x faster than line by line);
        None when some line does not match, so that the careful parser names it."""
        content = [line.rstrip("\n") for line in lines]
        expected = sum(1 for line in content if line and not line.startswith("#"))
        rows = _WORD_LINE.findall("\n".join(content))
        if len(rows) != expected:
            return None
        words: Dict[str, int] = {}
        adjectives = set()
        get = words.get
        for form, freq, tags in rows:
            words[form] = get(form, 0) + int(freq)
            if tags and "AJ" in tags.split(","):
                adjectives.add(form)
        return words, adjectives

    @staticmethod
    def _parse_verbs(verbs_lines: Iterable[str], source: str) -> List[Tuple[str, str]]:
        verbs: List[Tuple[str, str]] = []
        for number, line in enumerate(verbs_lines, start=1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            parts = line.split("\t")
            if len(parts) != 2 or not any(parts):
                raise ValueError(f"{source} verbs line {number}: expected 'past<TAB>present', got {line!r}")
            verbs.append((parts[0], parts[1]))
        return verbs

    @classmethod
    def default(cls) -> "Lexicon":
        return _default_lexicon()

    def to_dict(self) -> Dict[str, object]:
        return {"words": self.words, "verbs": [list(v) for v in self.verbs], "adjectives": sorted(self.adjectives)}

    @classmethod
    def from_dict(cls, data: Dict[str, object]) -> "Lexicon":
        return cls(dict(data["words"]), [tuple(v) for v in data["verbs"]],  # type: ignore[arg-type]
                   frozenset(data.get("adjectives", ())))  # type: ignore[arg-type]

    def add_words(self, forms: Iterable[str], freq: int = 1) -> None:
        """Add words (compounds with ZWNJ, plain words) to the lexicon."""
        for form in forms:
            form = _clean_zwnj(normalize_chars(form))
            for word in form.split():
                if _WORD_CHARS.match(word):
                    self.words[word] = max(self.words.get(word, 0), freq)
        self._index()


@lru_cache(maxsize=1)
def _default_lexicon() -> Lexicon:
    data = resources.files("persian_diplo.text") / "data"
    words = (data / "lexicon.tsv").read_text(encoding="utf-8").splitlines()
    verbs = (data / "verbs.tsv").read_text(encoding="utf-8").splitlines()
    return Lexicon.from_tsv(words, verbs, source="persian_diplo/text/data")


class Normalizer:
    """Normal forms of words and texts. Cheap to call repeatedly: word results are cached."""

    def __init__(self, lexicon: Optional[Lexicon] = None, digits: str = "persian", cache_size: int = 200_000):
        self.lexicon = lexicon if lexicon is not None else Lexicon.default()
        self.digits = digits
        normalize_chars("", digits)  # validates ``digits``
        self._cache: Dict[str, str] = {}
        self._cache_size = cache_size

    # ----- words -------------------------------------------------------------
    def word(self, text: str) -> str:
        """The normal form of one token's text."""
        cached = self._cache.get(text)
        if cached is not None:
            return cached
        result = self._word(text)
        if len(self._cache) >= self._cache_size:
            self._cache.clear()
        self._cache[text] = result
        return result

    def characters(self, text: str) -> str:
        """Step 1 and 2 only: character normal form and standard spelling of stems, ZWNJs
        as written."""
        chars = normalize_chars(text, "keep" if _LATIN.search(text) else self.digits)
        return self._standard_spelling(chars) if _WORD_CHARS.match(chars) else chars

    def _word(self, text: str) -> str:
        chars = self.characters(text)
        if not _WORD_CHARS.match(chars):
            return chars
        if ZWNJ not in chars:
            return self.restore(chars)
        # Written with ZWNJ: where the lexicon knows the word, its normal form is the one
        # the ZWNJ-less spelling gets, so every spelling has one norm («آن‌ها» and «آنها»,
        # «کشتی‌رانی» and «کشتیرانی»); an unknown word keeps the writer's ZWNJs.
        known = self._lookup(chars.replace(ZWNJ, ""))
        return known if known is not None else _clean_zwnj(chars)

    def _standard_spelling(self, word: str) -> str:
        for variant, standard in SPELLING_VARIANTS.items():
            if variant in word:
                word = word.replace(variant, standard)
        return word

    def _known(self, word: str) -> bool:
        return word in self.lexicon.words or word in self.lexicon.compounds

    def frequency(self, word: str) -> int:
        """How often the lexicon saw ``word`` (as written or as a ZWNJ compound); 0 if never."""
        compound = self.lexicon.compounds.get(word)
        return max(self.lexicon.words.get(word, 0), compound[1] if compound else 0)

    def restore(self, key: str) -> str:
        """Restore the ZWNJs of a word written without any."""
        known = self._lookup(key)
        return key if known is None else known

    def _lookup(self, key: str) -> Optional[str]:
        """The normal form of a ZWNJ-less word, or None when neither the lexicon nor
        the affix rules know it."""
        lexicon = self.lexicon
        if key in KEEP_AS_WRITTEN:
            return key
        for prefix in VERB_PREFIXES:
            verb = lexicon.verb_forms.get(key[len(prefix):]) if key.startswith(prefix) else None
            if verb is not None:
                return prefix + ZWNJ + verb
        plain = lexicon.words.get(key)
        compound = lexicon.compounds.get(key)
        if plain is not None and plain > 0 and (compound is None or plain >= compound[1]):
            return key
        if compound is not None:
            return compound[0]
        if key in lexicon.verb_forms:
            return lexicon.verb_forms[key]
        derived = self._by_rules(key)
        if derived is not None:
            return derived
        return key if plain is not None else None

    def _by_rules(self, key: str) -> Optional[str]:
        """Affix analyses of an unknown word; the one with the most frequent stem wins."""
        candidates: List[Tuple[int, str]] = []

        def stem_of(suffix: str) -> Optional[str]:
            stem = key[: -len(suffix)]
            if key.endswith(suffix) and len(stem) >= 2 and self._known(stem):
                return stem
            return None

        for suffix in PLURAL_SUFFIXES:
            stem = stem_of(suffix)
            if stem:
                candidates.append((self.frequency(stem), _join(self.restore(stem), suffix)))
        for suffix in HEH_SUFFIXES:
            stem = stem_of(suffix)
            if stem and stem.endswith("ه"):
                candidates.append((self.frequency(stem), self.restore(stem) + ZWNJ + suffix))
        for suffix in ATTACHED_SUFFIXES:
            stem = stem_of(suffix)
            if stem and not stem.endswith("ه"):
                candidates.append((self.frequency(stem), self.restore(stem) + suffix))
        for suffix in VOWEL_SUFFIXES:
            stem = stem_of(suffix)
            if stem and stem[-1] in "او":
                candidates.append((self.frequency(stem), self.restore(stem) + suffix))
        for suffix in COMPARATIVE_SUFFIXES:
            stem = stem_of(suffix)
            if stem and stem in self.lexicon.adjectives:
                candidates.append((self.frequency(stem), _join(self.restore(stem), suffix)))
        if candidates:
            return max(candidates, key=lambda c: c[0])[1]
        if key not in self.lexicon.words:
            for prefix in WORD_PREFIXES:
                rest = key[len(prefix):]
                if key.startswith(prefix) and len(rest) >= 3 and self._known(rest):
                    return prefix + ZWNJ + self.restore(rest)
        return None

    # ----- compounds split by spaces ------------------------------------------
    def compound(self, parts: Sequence[str]) -> Optional[str]:
        """If the words ``parts`` (two or three, as written, separated by spaces) are one
        compound, its normal form; else None."""
        norms = [self.word(p) for p in parts]
        if any(not _WORD_CHARS.match(n) for n in norms):
            return None
        if len(norms) == 2:
            left, right = norms
            verb = self.lexicon.verb_forms.get(right.replace(ZWNJ, "")) if left in VERB_PREFIXES else None
            if verb is not None:
                return left + ZWNJ + verb
            if left == "هم" and right.replace(ZWNJ, "") in self.lexicon.verb_forms:
                return None  # «السودانی هم گفت»: «also said», not the word list's «هم‌گفت»
            if right in PLURAL_SUFFIXES and len(left) >= 2:
                return _join(left, right)
            if right in HEH_SUFFIXES and right != "ی" and left.endswith("ه") and len(left) >= 2:
                return left + ZWNJ + right
        key = "".join(n.replace(ZWNJ, "") for n in norms)
        entry = self.lexicon.compounds.get(key)
        if entry is not None:
            form = entry[0]
        else:
            # a lexicon compound with a suffix: «گفت وگوی» → «گفت‌وگوی», «بین المللی ها»
            form = None
            for suffix in VOWEL_SUFFIXES + PLURAL_SUFFIXES:
                stem = self.lexicon.compounds.get(key[: -len(suffix)]) if key.endswith(suffix) else None
                if stem is not None and len(norms[-1].replace(ZWNJ, "")) > len(suffix):
                    form = stem[0] + suffix if suffix in VOWEL_SUFFIXES else _join(stem[0], suffix)
                    break
            if form is None:
                return None
        # every junction between the parts must be a ZWNJ (or follow a non-joining
        # letter) in the compound: «رئیس جمهور» → «رئیس‌جمهور», but «این که» does not
        # become «اینکه».
        position = 0
        for n in norms[:-1]:
            position += len(n.replace(ZWNJ, ""))
            if not self._junction_ok(form, position):
                return None
        return form

    @staticmethod
    def _junction_ok(form: str, stripped_position: int) -> bool:
        count = 0
        for i, ch in enumerate(form):
            if ch == ZWNJ:
                continue
            if count == stripped_position:
                return form[i - 1] == ZWNJ or form[i - 1] in NON_JOINING
            count += 1
        return False

    # ----- texts --------------------------------------------------------------
    def text(self, text: str) -> str:
        """The normal form of a whole text: every word normalised, spaced compounds
        joined, odd spaces made plain spaces. Lengths change; use the pipeline's
        ``token.norm_`` when offsets into the original matter."""
        chars = normalize_chars(text, self.digits)
        tokens = re.split(r"(\s+)", chars)
        out: List[str] = []
        i = 0
        while i < len(tokens):
            piece = tokens[i]
            merged = False
            for n in (3, 2):
                words = tokens[i: i + 2 * n - 1: 2]
                gaps = tokens[i + 1: i + 2 * n - 1: 2]
                if len(words) == n and all(g == " " for g in gaps):
                    form = self.compound(words)
                    if form is not None:
                        out.append(form)
                        i += 2 * n - 1
                        merged = True
                        break
            if merged:
                continue
            out.append(self._text_piece(piece))
            i += 1
        return "".join(out)

    def _text_piece(self, piece: str) -> str:
        if not piece or piece.isspace():
            return piece
        return re.sub(r"[\u0621-\u06ff\u200c]+", lambda m: self.word(m.group(0)), piece)


_default_normalizer: Optional[Normalizer] = None


def normalize(text: str, digits: str = "persian") -> str:
    """Normalise Persian text: standard letters and digits, no diacritics, tatweel or
    odd spaces, and ZWNJs restored («رئیسجمهور» and «رئیس جمهور» → «رئیس‌جمهور»).

    >>> normalize("رئيسجمهور روسيه گفت")
    'رئیس‌جمهور روسیه گفت'
    """
    global _default_normalizer
    if _default_normalizer is None or _default_normalizer.digits != digits:
        _default_normalizer = Normalizer(digits=digits)
    return _default_normalizer.text(text)
