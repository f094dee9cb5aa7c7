"""The knowledge base: records, validation, lookup by id and alias, office holders by date.

Records are plain dicts, one JSON object a line (see ``README.md`` for the schema).
:meth:`KnowledgeBase.from_files` validates every record and raises :class:`KBError`
with all problems, each naming file, line and id; references to unknown ids and alias
conflicts that ``ambiguity.jsonl`` does not explain are kept as warnings
(:attr:`KnowledgeBase.warnings`), so users can load partial additions.
"""
from __future__ import annotations

import datetime as _dt
import json
import re
from collections import defaultdict
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple, Union

from ..corpus.schema import DATE_RE, KB_ID_RE, LABELS

PathLike = Union[str, Path]
#: how many looked-up strings' normal forms a knowledge base keeps before starting afresh
TEXT_KEYS_MAX = 50_000
#: data files that are not entity records
NOT_ENTITIES = ("titles.jsonl", "ambiguity.jsonl")


def data_files() -> List[Path]:
    """The entity files of the shipped knowledge base: every ``data/*.jsonl`` but the
    titles and the ambiguity notes."""
    folder = Path(str(resources.files("persian_diplo.kb") / "data"))
    return sorted(p for p in folder.glob("*.jsonl") if p.name not in NOT_ENTITIES)
REFERENCE_FIELDS = ("capital", "country", "parent")
_WIKIDATA = re.compile(r"^Q[1-9][0-9]*$")
#: Honorifics are not part of a name (guidelines): «حجت‌الاسلام», «سید» go to honorifics_fa.
HONORIFICS = frozenset({"سید", "سیده", "حجت‌الاسلام", "حجت‌الاسلام‌والمسلمین", "آیت‌الله", "سرلشکر", "سرتیپ",
                        "دریادار", "دکتر", "مهندس", "شیخ", "حاج", "ملا", "شهید"})


def _squash(name: str) -> str:
    return name.replace(" ", "").replace("\u200c", "")


class KBError(ValueError):
    """Invalid knowledge-base data; the message lists every problem found."""

    def __init__(self, problems: Sequence[str]):
        self.problems = list(problems)
        shown = "\n".join(f"  {p}" for p in self.problems[:50])
        more = f"\n  … and {len(self.problems) - 50} more" if len(self.problems) > 50 else ""
        super().__init__(f"{len(self.problems)} problem(s) in the knowledge base:\n{shown}{more}")


def parse_date(value: Union[str, _dt.date, None], *, end: bool = False) -> Optional[_dt.date]:
    """An ISO date, or a partial one («2015», «2015-03»): the first day of the period,
    or with ``end=True`` the last."""
    if value is None or isinstance(value, _dt.date):
        return value  # type: ignore[return-value]
    if not isinstance(value, str) or not DATE_RE.match(value):
        raise ValueError(f"not an ISO 8601 date: {value!r}")
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 3:
        return _dt.date(*parts)
    if len(parts) == 2:
        year, month = parts
        if not end:
            return _dt.date(year, month, 1)
        nxt = _dt.date(year + (month == 12), month % 12 + 1, 1)
        return nxt - _dt.timedelta(days=1)
    return _dt.date(parts[0], 12, 31) if end else _dt.date(parts[0], 1, 1)


@dataclass(frozen=True)
class Office:
    person: str
    role: str
    of: str
    start: Optional[_dt.date]
    end: Optional[_dt.date]  # None while held
    to: Optional[str] = None

    def held_on(self, date: _dt.date) -> bool:
        """Start inclusive, end exclusive: on a handover day the new holder holds it."""
        return (self.start is None or self.start <= date) and (self.end is None or date < self.end)


def _check_str_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)


def validate_entity(record: Any) -> List[str]:
    """Problems of one record (without cross-record checks)."""
    if not isinstance(record, dict):
        return [f"a record must be a JSON object, got {type(record).__name__}"]
    problems = []
    rid = record.get("id")
    if not isinstance(rid, str) or not KB_ID_RE.match(rid):
        problems.append(f"id {rid!r} is not a snake_case slug")
    if record.get("label") not in LABELS:
        problems.append(f"label {record.get('label')!r} is not one of {', '.join(LABELS)}")
    for key in ("name_fa", "name_en"):
        if not isinstance(record.get(key), str) or not record[key].strip():
            problems.append(f"{key} is missing or empty")
    if not _check_str_list(record.get("aliases_fa", [])):
        problems.append("aliases_fa must be a list of non-empty strings")
    elif record.get("label") == "PERSON":
        for name in [record.get("name_fa") or ""] + record.get("aliases_fa", []):
            words = name.split()
            if len(words) > 1 and words[0] in HONORIFICS:
                problems.append(f"name {name!r} starts with the honorific {words[0]!r}: "
                                "put it in honorifics_fa (honorifics are not part of a PERSON mention)")
    for key in ("demonyms_fa", "honorifics_fa"):
        if key in record and not _check_str_list(record[key]):
            problems.append(f"{key} must be a list of non-empty strings")
    if "wikidata" in record and not (isinstance(record["wikidata"], str) and _WIKIDATA.match(record["wikidata"])):
        problems.append(f"wikidata {record['wikidata']!r} is not a Q-id")
    for key in REFERENCE_FIELDS:
        if key in record and record[key] is not None and not (isinstance(record[key], str) and KB_ID_RE.match(record[key])):
            problems.append(f"{key} {record[key]!r} is not an id")
    for key in ("date", "start", "end"):
        if record.get(key) is not None:
            try:
                parse_date(record[key])
            except ValueError as err:
                problems.append(f"{key}: {err}")
    governs = record.get("governs", [])
    if governs and record.get("label") != "ORG":
        problems.append("only ORG records govern a country")
    if not isinstance(governs, list) or not all(isinstance(rule, dict) for rule in governs):
        problems.append("governs must be a list of objects")
    else:
        for i, rule in enumerate(governs):
            if not (isinstance(rule.get("country"), str) and KB_ID_RE.match(rule["country"])):
                problems.append(f"governs[{i}].country {rule.get('country')!r} is not an id")
            for key in ("start", "end"):
                try:
                    parse_date(rule.get(key))
                except ValueError as err:
                    problems.append(f"governs[{i}].{key}: {err}")
    offices = record.get("offices", [])
    if offices and record.get("label") != "PERSON":
        problems.append("only PERSON records have offices")
    if not isinstance(offices, list):
        return problems + ["offices must be a list"]
    for i, office in enumerate(offices):
        where = f"offices[{i}]"
        if not isinstance(office, dict):
            problems.append(f"{where} must be an object")
            continue
        for key in ("role", "of"):
            if not isinstance(office.get(key), str) or not KB_ID_RE.match(office[key]):
                problems.append(f"{where}.{key} {office.get(key)!r} is not an id")
        if office.get("to") is not None and not (isinstance(office["to"], str) and KB_ID_RE.match(office["to"])):
            problems.append(f"{where}.to {office['to']!r} is not an id")
        try:
            start = parse_date(office.get("start"))
            end = parse_date(office.get("end"), end=True)
        except ValueError as err:
            problems.append(f"{where}: {err}")
            continue
        if start and end and end < start:
            problems.append(f"{where} ends ({office.get('end')}) before it starts ({office.get('start')})")
    return problems


def _data_path(name: str) -> Path:
    return Path(str(resources.files("persian_diplo.kb") / "data" / name))


def read_kb_file(path: PathLike) -> Iterator[Tuple[int, Any]]:
    """(line number, parsed JSON or the JSON error) for each non-blank line."""
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                yield number, json.loads(line)
            except json.JSONDecodeError as err:
                yield number, err


class KnowledgeBase:
    """Entities by id; ids by normalised alias; office holders by role, institution and date."""

    def __init__(self) -> None:
        self._records: Dict[str, Dict[str, Any]] = {}
        self._where: Dict[str, str] = {}
        self._offices: Dict[Tuple[str, str], List[Office]] = defaultdict(list)
        self._person_offices: Dict[str, List[Office]] = defaultdict(list)
        self.ambiguity: Dict[str, Dict[str, Any]] = {}
        self.warnings: List[str] = []
        self._aliases: Optional[Dict[str, List[Tuple[str, str]]]] = None
        self._squashed: Optional[Dict[str, List[Tuple[str, str]]]] = None
        self._squashed_for: Optional[Dict[str, List[Tuple[str, str]]]] = None
        self._normalizer = None
        # the normal form of each knowledge-base name, read by the alias index and by the
        # linker's name indexes (bounded: only names of records go in)
        self._name_keys: Dict[str, str] = {}
        # the normal forms of other strings looked up (mentions repeat across documents),
        # emptied when it reaches TEXT_KEYS_MAX
        self._text_keys: Dict[str, str] = {}

    # ----- building ------------------------------------------------------------------
    @classmethod
    def default(cls) -> "KnowledgeBase":
        """The knowledge base shipped in the package (validated; cached)."""
        return _default_kb()

    @classmethod
    def from_files(cls, paths: Iterable[PathLike], ambiguity: Optional[PathLike] = None) -> "KnowledgeBase":
        kb = cls()
        if ambiguity is not None:
            kb.load_ambiguity(ambiguity)
        kb.add_files(paths)
        return kb

    def add_files(self, paths: Iterable[PathLike], replace: bool = False) -> None:
        """Validate and add the records of JSONL files; raises KBError listing every
        problem (nothing is added then)."""
        problems: List[str] = []
        items: List[Tuple[str, Any]] = []
        for path in paths:
            try:
                lines = list(read_kb_file(path))
            except OSError as err:
                problems.append(f"{path}: cannot read ({err.strerror or err})")
                continue
            for number, record in lines:
                if isinstance(record, json.JSONDecodeError):
                    problems.append(f"{path}:{number}: not valid JSON ({record.msg} at column {record.colno})")
                else:
                    items.append((f"{path}:{number}", record))
        self._add_batch(items, replace, problems)

    def add_records(self, records: Iterable[Dict[str, Any]], source: str = "<records>", replace: bool = False) -> None:
        """Validate and add records given as dicts."""
        self._add_batch([(f"{source}[{i}]", record) for i, record in enumerate(records)], replace, [])

    def _add_batch(self, items: Sequence[Tuple[str, Any]], replace: bool, problems: List[str]) -> None:
        """Validate (each record, and ids against each other and the base) and add all,
        or raise KBError with every problem and add nothing."""
        batch: List[Tuple[str, Dict[str, Any]]] = []
        seen: Dict[str, str] = {}
        for where, record in items:
            found = validate_entity(record)
            rid = record.get("id") if isinstance(record, dict) else None
            label = f"{where}: {rid}" if isinstance(rid, str) else where
            problems.extend(f"{label}: {p}" for p in found)
            if found:
                continue
            if rid in seen:
                problems.append(f"{label}: duplicate id (also at {seen[rid]})")
            elif rid in self._records and not replace:
                problems.append(f"{label}: duplicate id (also at {self._where[rid]})")
            else:
                seen[rid] = where
                batch.append((where, record))
        if problems:
            raise KBError(problems)
        for where, record in batch:
            self._add(record, where)
        self._check_references()
        self._aliases = None

    def load_ambiguity(self, path: PathLike) -> None:
        """Documented alias ambiguities: ``{"alias", "ids", "resolution", "note"}``;
        resolution ``prefer:<id>`` or ``context`` (the linker decides) or ``skip``
        (the gazetteer does not match the alias alone)."""
        problems = []
        for number, entry in read_kb_file(path):
            if isinstance(entry, json.JSONDecodeError) or not isinstance(entry, dict) or \
                    not isinstance(entry.get("alias"), str) or not _check_str_list(entry.get("ids", [])) or \
                    not str(entry.get("resolution", "")).startswith(("prefer:", "context", "skip")):
                problems.append(f"{path}:{number}: expected {{\"alias\", \"ids\", \"resolution\": "
                                "\"prefer:<id>\"|\"context\"|\"skip\", \"note\"}")
                continue
            self.ambiguity[self.normalize(entry["alias"])] = entry
        if problems:
            raise KBError(problems)

    def _add(self, record: Dict[str, Any], where: str) -> None:
        rid = record["id"]
        old = self._records.get(rid)
        if old is not None:
            self._drop_offices(rid)
        self._records[rid] = record
        self._where[rid] = where
        for office in record.get("offices", []):
            item = Office(rid, office["role"], office["of"], parse_date(office.get("start")),
                          parse_date(office.get("end"), end=True) if office.get("end") else None, office.get("to"))
            self._offices[(item.role, item.of)].append(item)
            self._person_offices[rid].append(item)

    def _drop_offices(self, rid: str) -> None:
        for office in self._person_offices.pop(rid, []):
            self._offices[(office.role, office.of)].remove(office)

    def _check_references(self) -> None:
        warnings = []
        for rid, record in self._records.items():
            refs = [(k, record.get(k)) for k in REFERENCE_FIELDS if record.get(k)]
            refs += [("offices.of", o["of"]) for o in record.get("offices", [])]
            refs += [("offices.to", o["to"]) for o in record.get("offices", []) if o.get("to")]
            refs += [("governs.country", g["country"]) for g in record.get("governs", [])]
            for key, target in refs:
                if target not in self._records:
                    warnings.append(f"{self._where[rid]}: {rid}: {key} refers to unknown id {target!r}")
        self.warnings = warnings

    # ----- lookup -------------------------------------------------------------------
    def __contains__(self, rid: object) -> bool:
        return rid in self._records

    def __len__(self) -> int:
        return len(self._records)

    def __iter__(self) -> Iterator[Dict[str, Any]]:
        return iter(self._records.values())

    def get(self, rid: Optional[str]) -> Optional[Dict[str, Any]]:
        """The record of an id, or None."""
        return self._records.get(rid) if rid else None

    def where(self, rid: str) -> str:
        return self._where[rid]

    def entities(self, label: Optional[str] = None) -> List[Dict[str, Any]]:
        return [r for r in self._records.values() if label is None or r["label"] == label]

    def _text_normalizer(self):
        if self._normalizer is None:
            from ..text.normalizer import Normalizer

            self._normalizer = Normalizer()
        return self._normalizer

    def normalize(self, text: str) -> str:
        """``text`` in the normal form names are indexed by (normaliser, single spaces)."""
        key = self._text_keys.get(text)
        if key is None:
            if len(self._text_keys) >= TEXT_KEYS_MAX:
                self._text_keys.clear()
            key = self._text_keys[text] = self._normal_form(text)
        return key

    def _normal_form(self, text: str) -> str:
        return " ".join(self._text_normalizer().text(text).split())

    def normal_name(self, name: str) -> str:
        """:meth:`normalize` of a name of the knowledge base's records, remembered: every
        index over the names (aliases, surnames, transliteration keys) reads them all."""
        key = self._name_keys.get(name)
        if key is None:
            key = self._name_keys[name] = self._normal_form(name)
        return key

    def word_frequency(self, word: str) -> int:
        """How often the normaliser's lexicon saw ``word`` (0 for a word it does not know)."""
        return self._text_normalizer().frequency(word)

    def names(self, record: Dict[str, Any]) -> List[Tuple[str, str]]:
        """(surface name, label) pairs a record is mentioned by: its name and aliases with
        its own label; a country's demonyms as NORP."""
        names = [(record["name_fa"], record["label"])] + [(a, record["label"]) for a in record.get("aliases_fa", [])]
        names += [(d, "NORP") for d in record.get("demonyms_fa", [])]
        return names

    def alias_index(self) -> Dict[str, List[Tuple[str, str]]]:
        """Normalised name -> [(id, label)]."""
        if self._aliases is None:
            index: Dict[str, List[Tuple[str, str]]] = defaultdict(list)
            for rid, record in self._records.items():
                for name, label in self.names(record):
                    key = self.normal_name(name)
                    if key and (rid, label) not in index[key]:
                        index[key].append((rid, label))
            self._aliases = dict(index)
        return self._aliases

    def lookup(self, name: str, label: Optional[str] = None) -> List[Dict[str, Any]]:
        """Records mentioned by ``name`` in any spelling («رئیسجمهور», Arabic letters…,
        and names written joined or apart: «حدادعادل», «حداد عادل»), optionally of one
        label."""
        key = self.normalize(name)
        hits = self.alias_index().get(key)
        if not hits:
            hits = self._squashed_index().get(_squash(key), [])
        return [self._records[rid] for rid, lab in hits if label is None or lab == label]

    def _squashed_index(self) -> Dict[str, List[Tuple[str, str]]]:
        """Names with spaces and ZWNJs removed -> [(id, label)], for names that writers
        join or split differently."""
        if getattr(self, "_squashed", None) is None or self._squashed_for is not self._aliases:
            index: Dict[str, List[Tuple[str, str]]] = defaultdict(list)
            for key, hits in self.alias_index().items():
                for hit in hits:
                    if hit not in index[_squash(key)]:
                        index[_squash(key)].append(hit)
            self._squashed = dict(index)
            self._squashed_for = self._aliases
        return self._squashed

    def alias_conflicts(self) -> Dict[str, List[str]]:
        """Names shared by two or more records and not explained in ambiguity.jsonl."""
        conflicts = {}
        for key, hits in self.alias_index().items():
            ids = sorted({rid for rid, _ in hits})
            if len(ids) > 1 and key not in self.ambiguity:
                conflicts[key] = ids
        return conflicts

    # ----- offices ------------------------------------------------------------------
    def holders(self, role: str, of: str, date: Union[str, _dt.date, None] = None,
                to: Optional[str] = None) -> List[Dict[str, Any]]:
        """People holding ``role`` of ``of`` on ``date`` (default: today), most recently
        appointed first."""
        day = parse_date(date) if date else _dt.date.today()
        found = [o for o in self._offices.get((role, of), []) if o.held_on(day) and (to is None or o.to == to)]
        found.sort(key=lambda o: o.start or _dt.date.min, reverse=True)
        seen, people = set(), []
        for office in found:
            if office.person not in seen:
                seen.add(office.person)
                people.append(self._records[office.person])
        return people

    def offices_during(self, role: str, of: str, start: _dt.date, end: Optional[_dt.date]) -> List[Office]:
        """The terms of ``role`` of ``of`` that overlap the period from ``start`` to ``end``
        (end exclusive; ``None``: still running), earliest first."""
        found = [o for o in self._offices.get((role, of), [])
                 if (o.start is None or end is None or o.start < end) and (o.end is None or o.end > start)]
        return sorted(found, key=lambda o: o.start or _dt.date.min)

    def holder_at(self, role: str, of: str, date: Union[str, _dt.date, None] = None,
                  to: Optional[str] = None) -> Optional[Dict[str, Any]]:
        """The one holder of an office on a date, or None (vacant, unknown, or several)."""
        people = self.holders(role, of, date, to)
        return people[0] if len(people) == 1 else None

    def offices_of(self, person: str, date: Union[str, _dt.date, None] = None) -> List[Office]:
        """A person's offices (those held on ``date`` when given)."""
        offices = self._person_offices.get(person, [])
        if date is None:
            return list(offices)
        day = parse_date(date)
        return [o for o in offices if o.held_on(day)]

    def roles(self) -> List[Tuple[str, str]]:
        return sorted(self._offices)

    # ----- serialisation --------------------------------------------------------------
    def to_dict(self, name_keys: bool = False) -> Dict[str, Any]:
        """The records, where they came from and the ambiguity notes; with ``name_keys``
        also the normal form of every name (what a saved pipeline keeps, so that loading
        it does not normalise ~20,000 names again before the first document)."""
        data: Dict[str, Any] = {"records": list(self._records.values()), "where": self._where,
                                "ambiguity": list(self.ambiguity.values())}
        if name_keys:
            data["name_keys"] = {name: self.normal_name(name) for record in self._records.values()
                                 for name, _ in self.names(record)}
        return data

    @classmethod
    def from_dict(cls, data: Dict[str, Any], lexicon=None) -> "KnowledgeBase":
        """``lexicon``: the normaliser lexicon to normalise names with (default: the
        package's, built on first use)."""
        kb = cls()
        if lexicon is not None:
            from ..text.normalizer import Normalizer

            kb._normalizer = Normalizer(lexicon)
        kb._name_keys = dict(data.get("name_keys") or {})
        for entry in data.get("ambiguity", []):
            kb.ambiguity[kb.normalize(entry["alias"])] = entry
        where = data.get("where", {})
        for record in data["records"]:
            kb._add(record, where.get(record["id"], "<serialised>"))
        kb._check_references()
        return kb


_DEFAULT: Optional[KnowledgeBase] = None


def _default_kb() -> KnowledgeBase:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = KnowledgeBase.from_files(data_files(), ambiguity=_data_path("ambiguity.jsonl"))
    return _DEFAULT
