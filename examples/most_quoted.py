"""The most-quoted speakers of the corpus articles, as a bar chart.

    pip install ".[tables]" matplotlib
    python examples/most_quoted.py [docs/most_quoted.png]

Runs the bundled pipeline over the texts of the 541 corpus articles (only their text
and date: the gold annotations are not read), puts the quotations in a pandas
DataFrame with ``persian_diplo.to_dataframe`` and plots the 15 speakers quoted most.
"""
import json
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import persian_diplo  # noqa: E402
from persian_diplo import kb  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]

nlp = persian_diplo.load()
articles = [json.loads(line) for split in ("train", "dev", "test")
            for line in open(ROOT / "corpus" / f"{split}.jsonl", encoding="utf-8")]


def dated(articles):
    for article in articles:
        doc = nlp.make_doc(article["text"])
        doc._.date = article["date"]          # offices are resolved at the article's date
        yield doc, article["id"]


annotated = nlp.pipe(dated(articles), as_tuples=True)   # (doc, id) pairs
quotes = persian_diplo.to_dataframe(annotated, "quotes")
top = quotes.groupby("speaker_kb_id").size().nlargest(15)
names = {i: (kb.default().get(i) or {}).get("name_en", i) for i in top.index}
ax = top.rename(names).sort_values().plot.barh(
    title=f"Most-quoted speakers in {len(articles)} articles ({len(quotes):,} quotations)", figsize=(8, 5))
ax.set_xlabel("quotations")
ax.set_ylabel("")
ax.figure.tight_layout()
out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "most_quoted.png"
ax.figure.savefig(out, dpi=110)
print(top.rename(names).to_string())
print(f"saved {out}")
