"""Average the NER weights of branches trained on from one trunk (a "model soup").

    python scripts/average.py OUTPUT BRANCH_PIPELINE BRANCH_PIPELINE [...]

OUTPUT gets the first branch's pipeline with tok2vec and ner averaged over all of them
(``persian_diplo.train.average_weights``).
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from persian_diplo.train import average_weights  # noqa: E402

if __name__ == "__main__":
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    print(average_weights(sys.argv[2:], sys.argv[1]))
