"""Save the text-layer pipeline (tokenizer, normaliser, sentence splitter) as the
bundled default pipeline. Later stages (`training/project.yml`) replace it with the
trained pipeline.

    python training/scripts/build_text_pipeline.py [OUTPUT_DIR]
"""
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
import persian_diplo  # noqa: E402


def main(output: str = str(persian_diplo.default_pipeline_path())) -> None:
    nlp = persian_diplo.blank()
    nlp.meta.update({"name": "diplo", "version": persian_diplo.__version__,
                     "description": "persian_diplo text layer: tokenizer, normaliser, sentences",
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
