"""Office titles (ROLE vocabulary) and how they combine with a qualifier.

``kb/data/titles.jsonl`` holds one record per title group::

    {"roles": ["president"], "fa": ["رئیس‌جمهور", …], "qualifier": "country",
     "default_of": "iran", "bare": true, "of_map": {…}}

* ``roles``: the office role ids (``offices[].role`` of PERSON records) the title names;
* ``qualifier``: what may follow the title inside the ROLE mention: ``country``
  («رئیس‌جمهور روسیه»), ``org`` («دبیرکل سازمان ملل»), ``constituency`` («نماینده مردم
  تبریز در مجلس») or ``none`` (the title is complete: «سخنگوی دولت»);
* ``default_of``: the institution a bare title means in Iranian news («وزیر امور خارجه»
  alone is Iran's);
* ``bare``: whether the title alone is a ROLE mention («رئیس‌جمهور» is; «سفیر» is not).
* ``of_map``: qualifier id → the id offices use (``iran`` → ``iran_parliament``).
* ``ranked`` (optional, default false): the roles are in order of precedence, so that
  among holders of several of them the first role held wins («رئیس امارات» is the
  president, not the speaker of the parliament the knowledge base files under the same
  country); without it, holders of different roles are alternatives that only the
  document can tell apart («معاون رئیس‌جمهور»: one of the vice presidents).

Titles are matched on normal forms, so every spelling counts.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple, Union

QUALIFIERS = ("country", "org", "constituency", "none")
#: Words that may stand between a title and its second qualifier («سفیر ایران در روسیه»,
#: «نماینده ویژه آمریکا در امور ایران»).
TO_CONNECTORS = (("در", "امور"), ("در",), ("نزد",))
#: «وزیر خارجه دولت یازدهم»: a title qualified by a government named in the knowledge
#: base («دولت …» with a country and the dates of its term)
GOVERNMENT = "دولت"
#: words that may open a country qualifier before the country or the movement that governs
#: it: «وزیر خارجه دولت افغانستان», «وزیر خارجه حکومت طالبان»
REGIME_WORDS = frozenset({GOVERNMENT, "حکومت"})
#: what may stand between those words and the country: «نخست‌وزیر دولت موقت عراق», «وزیر
#: خارجه دولت انتقالی سوریه», «نخست‌وزیر دولت پیشبرد امور لبنان» (a caretaker government)
REGIME_MODIFIERS = (("پیشبرد", "امور"), ("موقت",), ("انتقالی",), ("مستعفی",), ("سرپرست",))
#: Optional words after a constituency: «… در مجلس», «… در مجلس شورای اسلامی».
CONSTITUENCY_TAILS = (("در", "مجلس", "شورای", "اسلامی"), ("در", "مجلس"))
CONSTITUENCY_HEADS = (("مردم",),)


@dataclass
class Title:
    index: int
    roles: List[str]
    forms: List[str]
    qualifier: str
    default_of: Optional[str]
    bare: bool
    of_map: Dict[str, str] = field(default_factory=dict)
    en: str = ""
    ranked: bool = False

    def institution(self, of: Optional[str]) -> Optional[str]:
        if of is None:
            return self.default_of
        return self.of_map.get(of, of)


def _validate(record: Any, where: str) -> List[str]:
    problems = []
    if not isinstance(record, dict):
        return [f"{where}: a title must be a JSON object"]
    if not (isinstance(record.get("roles"), list) and record["roles"] and all(isinstance(r, str) for r in record["roles"])):
        problems.append(f"{where}: roles must be a non-empty list of role ids")
    if not (isinstance(record.get("fa"), list) and record["fa"] and all(isinstance(f, str) and f.strip() for f in record["fa"])):
        problems.append(f"{where}: fa must be a non-empty list of Persian forms")
    if record.get("qualifier") not in QUALIFIERS:
        problems.append(f"{where}: qualifier must be one of {', '.join(QUALIFIERS)}")
    if not isinstance(record.get("bare"), bool):
        problems.append(f"{where}: bare must be true or false")
    if not isinstance(record.get("ranked", False), bool):
        problems.append(f"{where}: ranked must be true or false")
    return problems


def load_titles(path: Union[str, Path, None] = None) -> List[Title]:
    """Read and validate titles.jsonl (the package's by default)."""
    if path is None:
        path = Path(str(resources.files("persian_diplo.kb") / "data" / "titles.jsonl"))
    titles, problems = [], []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            try:
                record = json.loads(line)
            except json.JSONDecodeError as err:
                problems.append(f"{where}: not valid JSON ({err.msg})")
                continue
            found = _validate(record, where)
            if found:
                problems.extend(found)
                continue
            titles.append(title_from_dict(record, len(titles)))
    if problems:
        from ..kb.base import KBError

        raise KBError(problems)
    return titles


def title_from_dict(record: Dict[str, Any], index: int) -> Title:
    return Title(index, list(record["roles"]), list(record["fa"]), record["qualifier"], record.get("default_of"),
                 bool(record["bare"]), dict(record.get("of_map") or {}), record.get("en", ""),
                 bool(record.get("ranked", False)))


def title_to_dict(title: Title) -> Dict[str, Any]:
    return {"roles": title.roles, "fa": title.forms, "qualifier": title.qualifier, "default_of": title.default_of,
            "bare": title.bare, "of_map": title.of_map, "en": title.en, **({"ranked": True} if title.ranked else {})}


@dataclass
class RoleParse:
    """A ROLE mention taken apart: its title, the qualifier's normalised words, and
    the words after «در» (an ambassador's host country, a constituency's parliament)."""

    title: Title
    qualifier: Tuple[str, ...]
    to: Tuple[str, ...]


class TitleTable:
    """Finds the title at the start of a sequence of normal forms."""

    def __init__(self, titles: Sequence[Title], norm_tokens) -> None:
        self.titles = list(titles)
        self._by_tokens: Dict[Tuple[str, ...], Title] = {}
        self.max_len = 1
        for title in self.titles:
            for form in title.forms:
                key = tuple(norm_tokens(form))
                # a form listed under a more specific title wins over a generic one
                if key not in self._by_tokens or (title.qualifier == "none" and self._by_tokens[key].qualifier != "none"):
                    self._by_tokens[key] = title
                self.max_len = max(self.max_len, len(key))

    def items(self) -> Iterable[Tuple[Tuple[str, ...], Title]]:
        return self._by_tokens.items()

    def prefix(self, norms: Sequence[str]) -> Optional[Tuple[int, Title]]:
        """The longest title at the start of ``norms``: (its length in tokens, title)."""
        for size in range(min(self.max_len, len(norms)), 0, -1):
            title = self._by_tokens.get(tuple(norms[:size]))
            if title is not None:
                return size, title
        return None

    def parse(self, norms: Sequence[str]) -> Optional[RoleParse]:
        """Split a ROLE mention's normal forms into title, qualifier and «در …» part."""
        found = self.prefix(norms)
        if found is None:
            return None
        size, title = found
        rest = list(norms[size:])
        if title.qualifier == "constituency":
            for head in CONSTITUENCY_HEADS:
                if tuple(rest[:len(head)]) == head:
                    rest = rest[len(head):]
        to: Tuple[str, ...] = ()
        for connector in TO_CONNECTORS:
            for i in range(1, len(rest)):
                if tuple(rest[i:i + len(connector)]) == connector:
                    to = tuple(rest[i + len(connector):])
                    rest = rest[:i]
                    break
            if to:
                break
        return RoleParse(title, tuple(rest), to)
