"""Phrase matching across the white space inside a line.

Whitespace inside a line that is not a plain space (an NBSP, a tab, a second space) is a
token of its own in spaCy, so a ``PhraseMatcher`` pattern «وزیر امور خارجه» would not
match «وزیر\u00a0امور خارجه». :func:`compact` gives the Doc without those tokens and
:func:`matches` maps a matcher's matches on it back to the original Doc. A line break
stays a token: no phrase spans one.
"""
from __future__ import annotations

from typing import List, Optional, Tuple

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc


def compact(doc: Doc) -> Tuple[Doc, Optional[List[int]]]:
    """The doc a phrase matcher runs on, and the index in ``doc`` of each of its tokens
    (None: ``doc`` itself, which has no white-space token inside a line). Tokens keep
    their normal forms."""
    inner = [t.is_space and "\n" not in t.text for t in doc]
    if not any(inner):
        return doc, None
    keep = [t.i for t, skip in zip(doc, inner) if not skip]
    target = Doc(doc.vocab, words=[doc[i].text for i in keep])
    for token, i in zip(target, keep):
        token.norm_ = doc[i].norm_
    return target, keep


def matches(matcher: PhraseMatcher, target: Doc, keep: Optional[List[int]]) -> List[Tuple[int, int, int]]:
    """``matcher``'s matches on ``target`` (from :func:`compact`) as (match id, start,
    end) in the original doc."""
    if keep is None:
        return [(match_id, start, end) for match_id, start, end in matcher(target)]
    return [(match_id, keep[start], keep[end - 1] + 1) for match_id, start, end in matcher(target)]
