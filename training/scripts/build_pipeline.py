"""Save the rule-based pipeline (tokenizer, normaliser, sentence splitter, gazetteer and
linker built from the knowledge base) as the bundled default pipeline. The training
project (`training/project.yml`) adds the trained components.

    python training/scripts/build_pipeline.py [OUTPUT_DIR]
"""
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
import persian_diplo  # noqa: E402


def main(output: str = str(persian_diplo.default_pipeline_path())) -> None:
    from persian_diplo.pipeline import RULE_PIPES

    nlp = persian_diplo.blank(RULE_PIPES)
    nlp.get_pipe("diplo_gazetteer").build()
    nlp.meta.update({"name": "diplo", "version": persian_diplo.__version__,
                     "description": "persian_diplo rules: tokenizer, normaliser, sentences, gazetteer, linker",
                     "license": "MIT", "author": "persian_diplo developers"})
    out = Path(output)
    # write beside the target, then swap, so a failure never leaves a half-written pipeline
    tmp = Path(tempfile.mkdtemp(prefix=".build-", dir=out.parent if out.parent.exists() else None))
    try:
        nlp.to_disk(tmp / "pipeline")
        if out.exists():
            shutil.rmtree(out)
        shutil.move(str(tmp / "pipeline"), str(out))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"saved {nlp.pipe_names} to {out}")


if __name__ == "__main__":
    main(*sys.argv[1:2])
