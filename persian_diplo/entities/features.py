"""The knowledge base's names as a feature the NER's encoder reads.

``diplo_kb_features`` runs before the ``tok2vec``: it finds the knowledge base's names
(the gazetteer's matching, without the model) and writes, on each token they cover,
``B-LABEL`` or ``I-LABEL`` into ``token.tag_``, which the tok2vec embeds beside the
word's norm and affixes. The NER then learns when a name of the knowledge base is an
entity of the guidelines and where its edges are, instead of a fixed rule deciding.

``token.tag_`` is free in these pipelines (they have no tagger); a tagger added to one
belongs after the ``ner``, which has read the marks by then.

In training, the augmenter marks each example so that a share of its referents (and
now and then all of them) is left unmarked: the knowledge base never knows every name
of an unseen article, and a model that saw every name marked would trust the mark alone.
"""
from __future__ import annotations

import random
from typing import Any, Dict, Iterable, List, Optional

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..kb.base import KnowledgeBase
from ..serialize import MsgpackState
from .gazetteer import Gazetteer

#: ``doc.user_data`` key of the training mark: (seed, share of referents hidden, chance
#: of hiding them all)
HIDE_KEY = "persian_diplo.kb_hide"
OUTSIDE = ""


def _referent(span: Span) -> str:
    """What a hidden name stands for: its knowledge-base id, or its words (a title)."""
    return span.kb_id_ or " ".join(t.norm_ for t in span)


class KBFeatures(MsgpackState):
    """Marks the knowledge base's names: with names of its own (a training pipeline, which
    has no gazetteer), or with those of the pipeline's gazetteer named ``gazetteer`` (the
    assembled pipeline: one copy of the names, not two)."""

    state_file = "patterns.msgpack"

    def __init__(self, nlp: Language, name: str = "diplo_kb_features", gazetteer: Optional[str] = None):
        self.nlp = nlp
        self.name = name
        self.source = gazetteer
        self._own: Optional[Gazetteer] = Gazetteer(nlp, name) if gazetteer is None else None

    @property
    def gazetteer(self) -> Gazetteer:
        """Whose names are marked: this component's own, or the pipeline's gazetteer."""
        if self._own is not None:
            return self._own
        try:
            return self.nlp.get_pipe(self.source)
        except KeyError:
            raise ValueError(f"{self.name} marks the names of the pipeline's {self.source!r}, which it lacks "
                             "(excluded when loading?); disable it instead of excluding it") from None

    def initialize(self, get_examples=None, *, nlp: Optional[Language] = None) -> None:
        self.build()

    def build(self, kb: Optional[KnowledgeBase] = None) -> None:
        """Generate the names from ``kb`` (the package's knowledge base by default); a
        shared gazetteer is built by its own component."""
        if self._own is not None:
            self._own.build(kb)

    def add_entities(self, kb: KnowledgeBase, records: Iterable[Dict[str, Any]]) -> None:
        """Mark the names of more knowledge-base records (``load(kb_files=...)``); a shared
        gazetteer gets them as a component of its own."""
        if self._own is not None:
            self._own.add_entities(kb, records)

    def spans(self, doc: Doc) -> List[Span]:
        """The knowledge base's names in ``doc``, less those a training mark hides."""
        gazetteer = self.gazetteer
        if not gazetteer._built:
            gazetteer.build()
        spans = gazetteer.find(doc)
        mark = doc.user_data.get(HIDE_KEY)
        if not mark or not spans:
            return spans
        seed, share, whole = mark
        rng = random.Random(seed)
        if rng.random() < whole:
            return []
        keys = [_referent(s) for s in spans]
        hidden = {key for key in sorted(set(keys)) if rng.random() < share}
        return [s for s, key in zip(spans, keys) if key not in hidden]

    def __call__(self, doc: Doc) -> Doc:
        tags = [OUTSIDE] * len(doc)
        for span in self.spans(doc):
            tags[span.start] = "B-" + span.label_
            for i in range(span.start + 1, span.end):
                tags[i] = "I-" + span.label_
        for token, tag in zip(doc, tags):
            token.tag_ = tag
        return doc

    def pipe(self, stream: Iterable[Doc], batch_size: int = 128) -> Iterable[Doc]:
        for doc in stream:
            yield self(doc)

    def _state(self) -> Dict[str, Any]:
        if self._own is None:
            return {"gazetteer": self.source}
        return self._own._state()

    def _load_state(self, state: Dict[str, Any]) -> None:
        if "names" not in state:
            self.source, self._own = state["gazetteer"], None
            return
        self.source = None
        self._own = Gazetteer(self.nlp, self.name)
        self._own._load_state(state)


@Language.factory("diplo_kb_features", assigns=["token.tag"], requires=["token.norm"],
                  default_config={"gazetteer": None})
def make_kb_features(nlp: Language, name: str, gazetteer: Optional[str]) -> KBFeatures:
    """Factory of ``diplo_kb_features``: after ``diplo_normalizer``, before the ``tok2vec``
    that embeds ``TAG``. ``gazetteer``: the name of a ``diplo_gazetteer`` of the same
    pipeline whose names it marks (``None``: names of its own, from the knowledge base)."""
    return KBFeatures(nlp, name, gazetteer=gazetteer)
