"""Every custom attribute the package adds to Doc, Span and Token, declared in one table.

Values are plain, serialisable data (strings, dicts) so that Docs survive
``Doc.to_bytes``, ``DocBin`` and ``nlp.pipe(n_process=2)``; rich views are getters.
``install()`` is idempotent and never overrides an attribute of the same name that
someone else set (no ``force=True``).
"""
from __future__ import annotations

from typing import Any, Dict, Tuple

from spacy.tokens import Doc, Span, Token

#: (object, name) -> keyword arguments of ``set_extension``
EXTENSIONS: Dict[Tuple[type, str], Dict[str, Any]] = {
    # the document's date (ISO 8601 string), used to resolve office titles to holders
    (Doc, "date"): {"default": None},
}


def install() -> None:
    for (cls, name), kwargs in EXTENSIONS.items():
        if not cls.has_extension(name):
            cls.set_extension(name, **kwargs)


def register(cls: type, name: str, **kwargs: Any) -> None:
    """Add an attribute to the table and install it."""
    EXTENSIONS[(cls, name)] = kwargs
    if not cls.has_extension(name):
        cls.set_extension(name, **kwargs)


install()
__all__ = ["EXTENSIONS", "install", "register", "Doc", "Span", "Token"]
