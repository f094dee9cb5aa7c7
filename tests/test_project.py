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


def test_project_soup_averages_three_branches_of_one_trunk():
    """The shipped NER's recipe (command soup), run for a few steps: a trunk, three
    branches with other seeds that start from its weights, and their average."""
    import numpy
    import spacy

    import persian_diplo  # noqa: F401  (registers the components)

    subprocess.run([sys.executable, "-m", "spacy", "project", "run", "convert"], cwd=TRAINING, capture_output=True)
    result = subprocess.run(
        [sys.executable, "-m", "spacy", "project", "run", "soup", ".", "--vars.trunk_steps", "4",
         "--vars.branch_steps", "4", "--vars.eval_frequency", "2", "--vars.run", "soup-test"],
        cwd=TRAINING, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    run = TRAINING / "training" / "soup-test"
    branches = [spacy.load(run / f"branch{i}" / "model-last") for i in (1, 2, 3)]
    soup = spacy.load(run / "model-best")
    checked = 0
    for nodes in zip(soup.get_pipe("ner").model.walk(), *(b.get_pipe("ner").model.walk() for b in branches)):
        for param in nodes[0].param_names:
            if nodes[0].has_param(param):
                arrays = [numpy.asarray(n.get_param(param)) for n in nodes[1:]]
                assert numpy.allclose(nodes[0].get_param(param), numpy.mean(arrays, axis=0), atol=1e-6)
                checked += 1
    assert checked
    # the branches differ (other seeds), so the average is a new model
    first = [numpy.asarray(n.get_param(p)) for n in branches[0].get_pipe("ner").model.walk()
             for p in n.param_names if n.has_param(p)]
    second = [numpy.asarray(n.get_param(p)) for n in branches[1].get_pipe("ner").model.walk()
              for p in n.param_names if n.has_param(p)]
    assert any(not numpy.array_equal(a, b) for a, b in zip(first, second))
