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
