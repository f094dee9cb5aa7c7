"""Training: data augmenters and the one-command retraining behind ``persian-diplo train``.

Augmenters (registered with spaCy, used by the training configs):

* ``persian_diplo.orthography_augmenter.v1``: the same example written as other outlets
  write it: ZWNJ stripped or typed as a space, Arabic «ي ك», the other digits, no-break
  spaces between words;
* ``persian_diplo.entity_swap_augmenter.v1``: entities replaced by other names of the
  same label from the knowledge base, so the model learns contexts, not a name list;
* ``persian_diplo.augmenter.v1``: both, each with its own probability.

``train()`` converts the user's annotations (the guidelines' JSONL or any format the
importers read), trains the ``cnn`` or ``trf`` config (from the shipped pipeline or from
scratch), adds the rule components, evaluates on the dev data, and moves the result into
place only when everything succeeded.

``average_weights()`` averages the weights of pipelines trained on from one trunk
(``sourcing_config()``): the shipped NER is such an average of three trainings
(``training/project.yml``, command ``soup``).
"""
from __future__ import annotations

import random
import shutil
import sys
import tempfile
from importlib import resources
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple, Union

import spacy
from spacy.language import Language
from spacy.training import Example

from .entities.features import HIDE_KEY
from .text.chars import ARABIC_INDIC_DIGITS, NBSP, PERSIAN_DIGITS, ZWNJ

PathLike = Union[str, Path]
CONFIGS = ("cnn", "trf")
_TO_ARABIC = str.maketrans({"ی": "ي", "ک": "ك"})
_TO_ASCII = str.maketrans(PERSIAN_DIGITS + ARABIC_INDIC_DIGITS, "0123456789" * 2)
_TO_PERSIAN = str.maketrans("0123456789", PERSIAN_DIGITS)


def config_path(name: str) -> Path:
    """A shipped training config by name (``cnn``, ``trf``) or a path."""
    if name in CONFIGS:
        return Path(str(resources.files("persian_diplo") / "configs" / f"{name}.cfg"))
    path = Path(name)
    if not path.exists():
        raise FileNotFoundError(f"{name}: no such config (use cnn, trf or a path to a .cfg file)")
    return path


# ----------------------------------------------------------------------------- augmenters
def _entities(example: Example) -> List[Tuple[int, int, str]]:
    """The reference's entities as character offsets, and its runs of tokens whose
    entity annotation is missing (partial annotation) with the label ``""``: a variant
    keeps them missing instead of turning them into non-entities."""
    doc = example.reference
    spans = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
    run = None
    for token in doc:
        if token.ent_iob == 0 and not token.is_space:
            run = (run[0], token.idx + len(token)) if run else (token.idx, token.idx + len(token))
        elif run and not token.is_space:
            spans.append((run[0], run[1], ""))
            run = None
    if run:
        spans.append((run[0], run[1], ""))
    return sorted(spans)


def _rewrite(text: str, ents: Sequence[Tuple[int, int, str]], transform: Callable[[str], str]) -> Tuple[str, List[Tuple[int, int, str]]]:
    """Apply a per-character transform (a character may become "" or one character) and
    move entity offsets with it."""
    mapping, out = [], []
    for ch in text:
        mapping.append(len(out))
        out.extend(transform(ch))
    mapping.append(len(out))
    new_text = "".join(out)
    new_ents = []
    for start, end, label in ents:
        s, e = mapping[start], mapping[end]
        while s < e and new_text[s].isspace():
            s += 1
        while e > s and new_text[e - 1].isspace():
            e -= 1
        if s < e:
            new_ents.append((s, e, label))
    return new_text, new_ents


def _example(nlp: Language, text: str, ents: Sequence[Tuple[int, int, str]]) -> Example:
    doc = nlp.make_doc(text)
    spans = []
    for start, end, label in ents:
        span = doc.char_span(start, end, label=label, alignment_mode="expand")
        if span is not None and all(not (span.start < s.end and s.start < span.end) for s in spans):
            spans.append(span)
    reference = nlp.make_doc(text)
    reference.set_ents([reference.char_span(s.start_char, s.end_char, label=s.label_) for s in spans if s.label_],
                       missing=[reference[s.start:s.end] for s in spans if not s.label_], default="outside")
    return Example(doc, reference)


def nbsp_every(n: int) -> Callable[[], Callable[[str], str]]:
    """Every ``n``-th space typed as a no-break space, as pages whose markup had ``&nbsp;``
    come out: the tokenizer keeps each NBSP as a token of its own, inside names too."""
    def fresh() -> Callable[[str], str]:
        seen = [0]

        def transform(ch: str) -> str:
            if ch != " ":
                return ch
            seen[0] += 1
            return NBSP if seen[0] % n == 0 else ch

        return transform

    return fresh


#: other outlets' spellings of a text: per-character transforms, made fresh for each text
ORTHOGRAPHIES: Dict[str, Callable[[], Callable[[str], str]]] = {
    "zwnj_stripped": lambda: lambda ch: "" if ch == ZWNJ else ch,
    "zwnj_spaced": lambda: lambda ch: " " if ch == ZWNJ else ch,
    "arabic_letters": lambda: lambda ch: ch.translate(_TO_ARABIC),
    "ascii_digits": lambda: lambda ch: ch.translate(_TO_ASCII),
    "persian_digits": lambda: lambda ch: ch.translate(_TO_PERSIAN),
    "nbsp_spaces": nbsp_every(2),
}


def rewrite(text: str, orthography: Callable[[], Callable[[str], str]]) -> str:
    """``text`` in another orthography (a value of ``ORTHOGRAPHIES``, or ``nbsp_every(n)``),
    without entities: what benchmarks and tests feed the pipeline."""
    return _rewrite(text, (), orthography())[0]


def orthography_variant(nlp: Language, example: Example, kind: str) -> Example:
    text, ents = _rewrite(example.reference.text, _entities(example), ORTHOGRAPHIES[kind]())
    return _example(nlp, text, ents)


_CUT = ".!?؟:;؛\n"


def _kb_swap_names(labels: Sequence[str]) -> Dict[str, List[str]]:
    from .kb import default as default_kb

    kb = default_kb()
    return {label: [record["name_fa"] for record in kb.entities(label)] for label in labels}


def swap_names(labels: Sequence[str] = ("PERSON", "GPE", "ORG")) -> Dict[str, List[str]]:
    """The knowledge base's names that the entity-swap augmenter would draw, per label
    (sorted): what ``training/swap_names.json`` holds, written by
    ``python -m spacy project run swap-names``."""
    return EntitySwapper(labels).names


def _read_swap_names(path: PathLike, labels: Sequence[str]) -> Dict[str, List[str]]:
    import json

    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FileNotFoundError(
            f"{path}: no such swap-names file (the shipped pipeline's config names the project's "
            "training/swap_names.json; run from training/, or pass "
            "--corpora.train.augmenter.swap_names null to draw from the knowledge base)") from None
    except json.JSONDecodeError as err:
        raise ValueError(f"{path}: not a JSON file ({err})") from None
    if not isinstance(data, dict) or not all(
            isinstance(names, list) and all(isinstance(n, str) for n in names) for names in data.values()):
        raise ValueError(f"{path}: expected an object mapping labels to lists of names")
    missing = [label for label in labels if not data.get(label)]
    if missing:
        raise ValueError(f"{path}: no names for {', '.join(missing)}")
    return data


class EntitySwapper:
    """Replaces entity mentions with other names of the same label: the knowledge base's
    names, or those of a names file (``{"PERSON": [...], ...}``, see ``swap_names``) so
    that a training run does not change when the knowledge base grows."""

    def __init__(self, labels: Sequence[str], names_path: Optional[PathLike] = None):
        pool = _kb_swap_names(labels) if names_path is None else _read_swap_names(names_path, labels)
        # a name with a full stop («اچ. آر. مک‌مستر») would be cut by the sentence
        # splitter, and an entity across sentences cannot be learnt (spaCy's E024)
        self.names: Dict[str, List[str]] = {}
        for label in labels:
            names = sorted({name for name in pool.get(label, ()) if not any(ch in name for ch in _CUT)})
            if names:
                self.names[label] = names

    def __call__(self, nlp: Language, example: Example, rng: random.Random) -> Example:
        text = example.reference.text
        pieces, ents, last = [], [], 0
        for start, end, label in _entities(example):
            pieces.append(text[last:start])
            offset = sum(len(p) for p in pieces)
            name = rng.choice(self.names[label]) if label in self.names and rng.random() < 0.5 else text[start:end]
            pieces.append(name)
            ents.append((offset, offset + len(name), label))
            last = end
        pieces.append(text[last:])
        return _example(nlp, "".join(pieces), ents)


def _augmenter(orthography_level: float, swap_level: float, swap_labels: Sequence[str],
               swap_names: Optional[str] = None, kb_hide_level: float = 0.0, kb_hide_all: float = 0.0):
    swapper = EntitySwapper(swap_labels, swap_names) if swap_level > 0 else None
    rng = random.Random(0)
    hide_rng = random.Random(1)

    def mark(example: Example) -> Example:
        if kb_hide_level > 0 or kb_hide_all > 0:
            example.predicted.user_data[HIDE_KEY] = (hide_rng.randrange(2 ** 31), kb_hide_level, kb_hide_all)
        return example

    def augment(nlp: Language, example: Example) -> Iterator[Example]:
        yield mark(example)
        if orthography_level > 0 and rng.random() < orthography_level:
            yield mark(orthography_variant(nlp, example, rng.choice(sorted(ORTHOGRAPHIES))))
        if swapper is not None and rng.random() < swap_level:
            yield mark(swapper(nlp, example, rng))

    return augment


@spacy.registry.augmenters("persian_diplo.orthography_augmenter.v1")
def make_orthography_augmenter(level: float = 0.3):
    """With probability ``level``, add a copy of the example in another orthography."""
    return _augmenter(level, 0.0, ())


@spacy.registry.augmenters("persian_diplo.entity_swap_augmenter.v1")
def make_entity_swap_augmenter(level: float = 0.2, labels: List[str] = ["PERSON", "GPE", "ORG"],
                               names: Optional[str] = None):
    """With probability ``level``, add a copy with entities swapped for other names of the
    same label: the knowledge base's, or those of the JSON file ``names``."""
    return _augmenter(0.0, level, labels, names)


@spacy.registry.augmenters("persian_diplo.augmenter.v1")
def make_augmenter(orthography_level: float = 0.3, swap_level: float = 0.2,
                   swap_labels: List[str] = ["PERSON", "GPE", "ORG"], swap_names: Optional[str] = None,
                   kb_hide_level: float = 0.0, kb_hide_all: float = 0.0):
    """Both augmenters: orthography variants and entity swaps (names from the knowledge
    base, or from the JSON file ``swap_names``). With ``kb_hide_level`` or ``kb_hide_all``
    above 0, every training copy is marked for ``diplo_kb_features``, which then leaves
    each referent's names unmarked with chance ``kb_hide_level``, and all of them with
    chance ``kb_hide_all`` (a NER that reads the marks must still find the names the
    knowledge base lacks)."""
    return _augmenter(orthography_level, swap_level, swap_labels, swap_names, kb_hide_level, kb_hide_all)


@spacy.registry.callbacks("persian_diplo.add_labels.v1")
def make_add_labels(path: Optional[str] = None) -> Callable[[Language], Language]:
    """``[initialize.before_init]`` callback: give a NER that was sourced from a trained
    pipeline the labels of the training data it does not know yet (a new
    ``MILITARY_UNIT``), so fine-tuning with new labels just works. A NER trained from
    scratch gets its labels from the data anyway."""
    def add_labels(nlp: Language) -> Language:
        if path is None or "ner" not in nlp.pipe_names:
            return nlp
        from spacy.tokens import DocBin

        ner = nlp.get_pipe("ner")
        if not ner.labels:  # not sourced: initialize() will collect the labels
            return nlp
        labels = {ent.label_ for doc in DocBin().from_disk(path).get_docs(nlp.vocab) for ent in doc.ents}
        for label in sorted(labels - set(ner.labels)):
            ner.add_label(label)
        return nlp

    return add_labels


# ----------------------------------------------------------------------------- retraining
def _records(paths: Iterable[PathLike]) -> List[Dict[str, Any]]:
    from .corpus.converters import read_any

    records: List[Dict[str, Any]] = []
    for path in paths:
        records.extend(read_any(path, labels=None))
    return records


#: How the gazetteer completes a trained NER, chosen on the corpus dev split: the
#: knowledge base's events, places and agreements replace the model's spans there (more
#: exact), demonyms are not added where the model saw none (often adjectives), and every
#: other label fills what the model left. The choice is re-made on dev with each release
#: (third round, 86 dev documents: preferring AGREEMENT too gives dev AGREEMENT F 80.7 ->
#: 82.7 and all 91.6 -> 91.8; EVENT and LOC as well cost 1.4 points of all when left out;
#: ORG too loses 0.4 of all).
GAZETTEER_AFTER_NER = {"prefer_labels": ["EVENT", "LOC", "AGREEMENT"], "no_fill_labels": ["NORP"],
                       "name_only_labels": ["EVENT"]}
#: The same after a NER that reads the knowledge base's names itself (``diplo_kb_features``
#: before its tok2vec): the model has learnt where a name of the knowledge base is an
#: entity and where its edges are, so no label of the knowledge base overrides it; the
#: gazetteer fills what it left (chosen on a held-out train fold and on dev, each with the
#: full knowledge base and with one lacking the scored documents' referents, two trainings:
#: entity F level or up to +0.2 in all ten runs, EVENT -0.5 to +0.8, against preferring
#: events, places and agreements).
GAZETTEER_AFTER_KB_NER = {"prefer_labels": [], "no_fill_labels": ["NORP"], "name_only_labels": ["EVENT"]}


def reachable(records: Sequence[Dict[str, Any]], log: Callable[[str], None] = lambda m: None) -> List[Dict[str, Any]]:
    """The records whose entities the NER can learn: an entity that crosses a sentence
    boundary of the text layer (initials such as «اف. بی. آی» split by a full stop) has no
    sequence of moves that produces it, and spaCy's training stops with E024 when it meets
    one. Such documents are left out, with a message."""
    from .pipeline import blank

    text_layer = blank()
    kept, dropped = [], []
    for record in records:
        doc = text_layer(record["text"])
        starts = {t.idx for t in doc if t.is_sent_start}
        if any(any(e["start"] < i < e["end"] for i in starts) for e in record.get("entities", [])):
            dropped.append(str(record.get("id")))
        else:
            kept.append(record)
    if dropped:
        log(f"left out {len(dropped)} document(s) with an entity across a sentence boundary: {', '.join(dropped[:10])}"
            + (" …" if len(dropped) > 10 else ""))
    return kept


#: ``nlp.pipe``'s default batch of the assembled CNN pipeline (spaCy's config default is
#: 256): on 400 train documents, 2 CPUs, batches of 16 took 5.8 s and 10 MB more than the
#: loaded pipeline, batches of 256 took 7.5 s and 789 MB more (the tok2vec's arrays for a
#: whole batch)
PIPE_BATCH_SIZE = 16


def add_rule_components(nlp: Language) -> Language:
    """The gazetteer (after the NER, completing it: :data:`GAZETTEER_AFTER_KB_NER` when the
    NER reads the knowledge base's names, else :data:`GAZETTEER_AFTER_NER`), linker and
    quotation rules; a CNN pipeline's ``nlp.pipe`` batch becomes :data:`PIPE_BATCH_SIZE`
    (a transformer's stays)."""
    if "transformer" not in nlp.pipe_names:
        nlp.batch_size = PIPE_BATCH_SIZE
        nlp.config["nlp"]["batch_size"] = PIPE_BATCH_SIZE
    if "diplo_gazetteer" not in nlp.pipe_names:
        if "ner" in nlp.pipe_names:
            policy = GAZETTEER_AFTER_KB_NER if "diplo_kb_features" in nlp.pipe_names else GAZETTEER_AFTER_NER
            nlp.add_pipe("diplo_gazetteer", after="ner", config=policy)
            if "diplo_kb_features" in nlp.pipe_names:
                # the marks come from the gazetteer's names: one copy of them in memory
                nlp.replace_pipe("diplo_kb_features", "diplo_kb_features", config={"gazetteer": "diplo_gazetteer"})
        else:
            nlp.add_pipe("diplo_gazetteer")
    for name in ("diplo_linker", "diplo_quotes"):
        if name not in nlp.pipe_names:
            nlp.add_pipe(name)
    return nlp


def sourcing_config(config: PathLike, source: PathLike, out: PathLike) -> Path:
    """Write ``config`` to ``out`` with its trained components (tok2vec or transformer,
    and ner) taken from the pipeline ``source``: training then continues from them."""
    from spacy.util import load_config

    source, out = Path(source), Path(out)
    config = load_config(config, interpolate=False)
    trained = set(spacy.util.load_meta(source / "meta.json").get("pipeline", []))
    for name in ("tok2vec", "transformer", "ner"):
        if name in config["components"] and name in trained:
            config["components"][name] = {"source": str(source)}
    config.to_disk(out)
    return out


def average_weights(pipelines: Sequence[PathLike], output: PathLike,
                    components: Sequence[str] = ("tok2vec", "ner")) -> Path:
    """Save to ``output`` the first of ``pipelines`` with the weights of ``components``
    averaged over all of them (a "model soup"). Average only pipelines trained on from
    one common starting point (the same trunk, ``sourcing_config``): the weights of
    separately initialised networks do not line up and their average is no model.

    Raises ValueError when the pipelines' components differ in architecture or shape,
    and NotImplementedError for weights held by PyTorch (a transformer)."""
    import numpy

    if len(pipelines) < 2:
        raise ValueError(f"need at least 2 pipelines to average, got {len(pipelines)}")
    nlps = [spacy.load(path) for path in pipelines]
    for name in components:
        missing = [str(path) for path, nlp in zip(pipelines, nlps) if name not in nlp.pipe_names]
        if missing:
            raise ValueError(f"no component {name!r} in {', '.join(missing)}")
        trees = [list(nlp.get_pipe(name).model.walk()) for nlp in nlps]
        if len({tuple(node.name for node in tree) for tree in trees}) != 1:
            raise ValueError(f"{name}: the pipelines' models differ in architecture")
        for nodes in zip(*trees):
            if nodes[0].shims:
                raise NotImplementedError(f"{name}: averaging weights held by {type(nodes[0].shims[0]).__name__} "
                                          "(a transformer) is not supported")
            for param in nodes[0].param_names:
                if not nodes[0].has_param(param):
                    continue
                arrays = [numpy.asarray(node.get_param(param)) for node in nodes]
                if len({a.shape for a in arrays}) != 1:
                    raise ValueError(f"{name}: parameter {param!r} of {nodes[0].name} differs in shape "
                                     f"({', '.join(str(a.shape) for a in arrays)})")
                nodes[0].set_param(param, nodes[0].ops.asarray(numpy.mean(arrays, axis=0).astype(arrays[0].dtype)))
    output = Path(output)
    nlps[0].to_disk(output)
    return output


def train(data: Sequence[PathLike], output: PathLike, *, dev: Sequence[PathLike] = (), base: str = "default",
          config: str = "cnn", overrides: Optional[Dict[str, Any]] = None, seed: int = 0,
          log: Callable[[str], None] = lambda m: print(m, file=sys.stderr)) -> Dict[str, Any]:
    """Train a pipeline on annotations and save it to ``output``; returns the dev scores.

    ``base``: ``default`` fine-tunes the shipped pipeline's NER when it has one (new
    labels are added), ``blank`` trains from scratch, a path fine-tunes that pipeline. ``output`` is replaced only when
    training, assembling and evaluating all succeeded."""
    from spacy.cli.train import train as spacy_train

    from .corpus.converters import write_docbin
    from .evaluate import evaluate, format_report
    from .pipeline import blank, default_pipeline_path

    if base not in ("default", "blank") and not Path(base).exists():
        raise ValueError(f"base must be 'default', 'blank' or a pipeline directory, got {base!r}")
    records = _records(data)
    if len(records) < 2:
        raise ValueError(f"need at least 2 annotated documents, got {len(records)}")
    dev_records = _records(dev) if dev else []
    if not dev_records:
        rng = random.Random(seed)
        shuffled = records[:]
        rng.shuffle(shuffled)
        cut = max(1, len(shuffled) // 10)
        dev_records, records = shuffled[:cut], shuffled[cut:]
        log(f"no --dev given: {len(dev_records)} of the documents held out for evaluation")
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".train-", dir=str(output.parent)))
    try:
        nlp = blank(pipes=())
        records = reachable(records, log)
        write_docbin(records, nlp, work / "train.spacy")
        write_docbin(dev_records, nlp, work / "dev.spacy")
        settings: Dict[str, Any] = {"paths.train": str(work / "train.spacy"), "paths.dev": str(work / "dev.spacy"),
                                    "system.seed": seed}
        cfg_path = config_path(config)
        source = default_pipeline_path() if base == "default" else (None if base == "blank" else Path(base))
        if source is not None and not (source / "ner").exists():
            if base != "default":
                raise ValueError(f"{base}: not a pipeline with a trained ner to fine-tune")
            log("the shipped pipeline has no trained NER yet: training from scratch")
            source = None
        if source is not None:
            cfg_path = sourcing_config(cfg_path, source, work / "config.cfg")
            log(f"fine-tuning the trained components of {source}")
        settings.update(overrides or {})
        log(f"training {config} on {len(records)} documents, evaluating on {len(dev_records)}")
        spacy_train(cfg_path, work / "model", overrides=settings)
        trained = spacy.load(work / "model" / "model-best")
        add_rule_components(trained)
        trained.to_disk(work / "final")
        result = evaluate(spacy.load(work / "final"), dev_records)
        log(format_report(result, f"dev ({len(dev_records)} documents)"))
        if output.exists():
            backup = work / "previous"
            shutil.move(str(output), str(backup))
            try:
                shutil.move(str(work / "final"), str(output))
            except BaseException:
                shutil.move(str(backup), str(output))
                raise
        else:
            shutil.move(str(work / "final"), str(output))
        return result
    finally:
        shutil.rmtree(work, ignore_errors=True)
