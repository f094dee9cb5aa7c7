"""The transformer path for real: a tiny BERT and tokenizer built here (no download),
the ``trf`` config trained for a few steps, saved and loaded."""
import json
import os
from pathlib import Path

import pytest

pytest.importorskip("spacy_transformers")
transformers = pytest.importorskip("transformers")

import persian_diplo  # noqa: E402
from persian_diplo.corpus.io import read_jsonl  # noqa: E402
from persian_diplo.train import train  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def tiny_bert(tmp_path_factory):
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    folder = tmp_path_factory.mktemp("tiny-bert")
    records = list(read_jsonl(ROOT / "corpus" / "train.jsonl"))[:30]
    chars = sorted({ch for r in records for ch in r["text"] if not ch.isspace()})
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + chars + ["##" + ch for ch in chars]
    (folder / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    tokenizer = transformers.BertTokenizerFast(vocab_file=str(folder / "vocab.txt"), do_lower_case=False,
                                               tokenize_chinese_chars=False, strip_accents=False)
    config = transformers.BertConfig(vocab_size=len(vocab), hidden_size=32, num_hidden_layers=2,
                                     num_attention_heads=2, intermediate_size=64, max_position_embeddings=2048)
    transformers.BertModel(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


def test_trf_config_trains_saves_and_loads(tiny_bert, tmp_path):
    data = tmp_path / "small.jsonl"
    records = list(read_jsonl(ROOT / "corpus" / "train.jsonl"))[:12]
    data.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    out = tmp_path / "trf-model"
    train([data], out, config="trf", base="blank", log=lambda m: None,
          overrides={"paths.transformer": str(tiny_bert), "training.max_steps": 6, "training.eval_frequency": 3,
                     "components.transformer.model.get_spans.window": 32,
                     "components.transformer.model.get_spans.stride": 24})
    nlp = persian_diplo.load(out)
    assert "transformer" in nlp.pipe_names and "ner" in nlp.pipe_names
    doc = nlp("رئیس‌جمهور روسیه گفت: آماده همکاری هستیم.")
    assert doc.text == "رئیس‌جمهور روسیه گفت: آماده همکاری هستیم."
    assert doc._.trf_data is not None
