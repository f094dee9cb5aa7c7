"""Save the rule-based pipeline (tokenizer, normaliser, sentence splitter, gazetteer,
linker built from the knowledge base, quotation rules) to a directory: the pipeline
without a trained NER. The bundled pipeline is made by the training project
(`training/project.yml`: assemble + bundle), not by this script.

    python training/scripts/build_pipeline.py OUTPUT_DIR
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
import persian_diplo  # noqa: E402
import persian_diplo.pipeline  # noqa: E402


def main(output: str) -> None:
    from persian_diplo.pipeline import RULE_PIPES

    nlp = persian_diplo.blank(RULE_PIPES)
    nlp.get_pipe("diplo_gazetteer").build()
    nlp.meta.update({"name": "diplo", "version": persian_diplo.__version__,
                     "description": "persian_diplo rules: tokenizer, normaliser, sentences, gazetteer, linker",
                     "license": "MIT", "author": "persian_diplo developers"})
    persian_diplo.pipeline.save_pipeline(nlp, output)
    print(f"saved {nlp.pipe_names} to {output}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
