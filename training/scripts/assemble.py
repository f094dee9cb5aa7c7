"""Assemble the shipped pipeline: a trained NER pipeline plus the rule components
(gazetteer filling what the NER left, linker, quotations), with package metadata.

    python training/scripts/assemble.py TRAINED_MODEL OUTPUT_DIR
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
import spacy  # noqa: E402

import persian_diplo  # noqa: E402
from persian_diplo.pipeline import save_pipeline  # noqa: E402
from persian_diplo.train import add_rule_components  # noqa: E402


def main(trained: str, output: str) -> None:
    nlp = spacy.load(trained)
    add_rule_components(nlp)
    # the gazetteer's names from the knowledge base as it is now; add_rule_components has
    # pointed the NER's knowledge-base marks at them
    nlp.get_pipe("diplo_gazetteer").build()
    nlp.meta.update({
        "name": "diplo", "version": persian_diplo.__version__, "license": "MIT",
        "author": "persian_diplo developers",
        "description": "persian_diplo: tokenizer, normaliser, sentences, CNN NER trained on the persian_diplo "
                       "corpus, gazetteer and linker from the knowledge base, quotation attribution",
        "sources": [{"name": "persian_diplo corpus", "license": "MIT"},
                    {"name": "hazm word list (normaliser lexicon)", "url": "https://github.com/roshan-research/hazm",
                     "license": "MIT"}],
    })
    save_pipeline(nlp, output)
    print(f"assembled {nlp.pipe_names} into {output}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
