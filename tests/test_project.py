"""The training project: every command's scripts and inputs exist, and the workflow's
first steps run on the real corpus (training itself is smoke-tested in test_train.py)."""
import subprocess
import sys
from pathlib import Path

import srsly

TRAINING = Path(__file__).resolve().parents[1] / "training"


def test_project_file_is_complete():
    project = srsly.read_yaml(TRAINING / "project.yml")
    names = {c["name"] for c in project["commands"]}
    assert set(project["workflows"]["all"]) <= names
    for command in project["commands"]:
        for line in command["script"]:
            if line.startswith("python scripts/"):
                assert (TRAINING / line.split()[1]).exists(), line
        for line in command["script"]:
            # spaCy runs each line without a shell: redirections and pipes would be
            # passed to the program as arguments
            assert not {">", "|", ">>", "<"} & set(line.split()), line
    for config in ("cnn", "trf"):
        assert (TRAINING.parent / "persian_diplo" / "configs" / f"{config}.cfg").exists()


def test_project_convert_and_short_training_run():
    run = lambda *args: subprocess.run([sys.executable, "-m", "spacy", "project", "run", *args], cwd=TRAINING,
                                       capture_output=True, text=True)
    result = run("convert")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (TRAINING / "corpus" / "train.spacy").exists()
    result = run("train", ".", "--vars.max_steps", "4", "--vars.eval_frequency", "2", "--vars.run", "smoke-test")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (TRAINING / "training" / "smoke-test" / "model-best" / "ner").exists()


def test_training_is_reproducible_bit_for_bit():
    """Two runs of the project's train command with the same seed, in separate processes
    (so with different string-hash seeds), give byte-identical weights."""
    run = lambda name: subprocess.run(
        [sys.executable, "-m", "spacy", "project", "run", "train", ".", "--vars.max_steps", "20",
         "--vars.eval_frequency", "10", "--vars.run", name], cwd=TRAINING, capture_output=True, text=True)
    subprocess.run([sys.executable, "-m", "spacy", "project", "run", "convert"], cwd=TRAINING, capture_output=True)
    for name in ("repro-a", "repro-b"):
        result = run(name)
        assert result.returncode == 0, result.stdout + result.stderr
    for part in ("tok2vec/model", "ner/model", "ner/moves"):
        a = (TRAINING / "training" / "repro-a" / "model-last" / part).read_bytes()
        b = (TRAINING / "training" / "repro-b" / "model-last" / part).read_bytes()
        assert a == b, part
