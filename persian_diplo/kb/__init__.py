"""The political knowledge base: entities, aliases, office holders by date.

>>> from persian_diplo import kb
>>> base = kb.default()
>>> base.holder_at("president", "russia", "2020-03-04")["id"]
'vladimir_putin'
"""
from .base import KBError, KnowledgeBase, Office, parse_date, validate_entity


def default() -> KnowledgeBase:
    """The knowledge base shipped with the package."""
    return KnowledgeBase.default()


def load(*paths, include_default: bool = True) -> KnowledgeBase:
    """The shipped knowledge base (unless ``include_default=False``) plus the records of
    the given JSONL files, validated."""
    from .base import _data_path, data_files

    base = KnowledgeBase.from_files(data_files() if include_default else [],
                                    ambiguity=_data_path("ambiguity.jsonl"))
    base.add_files(paths)
    return base


__all__ = ["KnowledgeBase", "KBError", "Office", "default", "load", "parse_date", "validate_entity"]
