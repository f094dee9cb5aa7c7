"""HTML picture of a Doc: entities and who said what, right to left.

``render(doc)`` returns an HTML string; in Jupyter, ``render(doc, jupyter=True)`` (or
the default when running inside IPython) displays it. Entities are drawn with spaCy's
``displacy`` colours; each quotation's content is underlined, its cue boxed, and its
speaker linked to the quotation (hover shows the speaker's knowledge-base id).
"""
from __future__ import annotations

import html
from typing import Dict, List, Optional, Tuple

from spacy.tokens import Doc

COLORS = {
    "PERSON": "#aa9cfc", "ROLE": "#feca74", "GPE": "#7aecec", "LOC": "#9cc9cc", "ORG": "#bfeeb7",
    "NORP": "#c887fb", "EVENT": "#ffeb80", "AGREEMENT": "#ff9561",
}
STYLE = """
<style>
.pd-doc {direction: rtl; text-align: right; font-family: Vazirmatn, Tahoma, sans-serif; line-height: 2.4; font-size: 16px}
.pd-ent {padding: 0.15em 0.35em; border-radius: 0.35em; margin: 0 0.1em}
.pd-ent .pd-label {font-size: 0.6em; font-weight: bold; margin-right: 0.4em; direction: ltr; unicode-bidi: isolate}
.pd-quote {border-bottom: 2px solid #1f77b4; background: rgba(31,119,180,0.06)}
.pd-quote.pd-indirect {border-bottom-style: dashed}
.pd-cue {outline: 2px solid #d62728; border-radius: 0.2em; padding: 0 0.15em}
.pd-speaker {outline: 2px dotted #2ca02c; border-radius: 0.2em}
.pd-tag {font-size: 0.6em; color: #555; direction: ltr; unicode-bidi: isolate; margin: 0 0.2em}
</style>
"""


def _events(doc: Doc) -> List[Tuple[int, int, str, str]]:
    """(position, order, kind, html) markers to insert into the text."""
    marks: List[Tuple[int, int, str, str]] = []
    quotes = doc._.quotes if Doc.has_extension("quotes") else []
    for n, quote in enumerate(quotes, start=1):
        kind = "pd-indirect" if quote.kind == "indirect" else "pd-direct"
        title = html.escape(f"#{n} {quote.kind}, speaker: {quote.speaker_kb_id or '?'}")
        marks.append((quote.content.start_char, 1, "open", f'<span class="pd-quote {kind}" id="pd-q{n}" title="{title}">'))
        marks.append((quote.content.end_char, 1, "close", f'</span><sup class="pd-tag">q{n}</sup>'))
        marks.append((quote.cue.start_char, 3, "open", f'<span class="pd-cue" title="cue of q{n}">'))
        marks.append((quote.cue.end_char, 3, "close", "</span>"))
        if quote.speaker is not None:
            marks.append((quote.speaker.start_char, 0, "open",
                          f'<a class="pd-speaker" href="#pd-q{n}" title="speaker of q{n}: {html.escape(quote.speaker_kb_id or "?")}">'))
            marks.append((quote.speaker.end_char, 0, "close", "</a>"))
    for ent in doc.ents:
        color = COLORS.get(ent.label_, "#ddd")
        title = html.escape(ent.kb_id_ or "no knowledge-base id")
        marks.append((ent.start_char, 2, "open", f'<mark class="pd-ent" style="background:{color}" title="{title}">'))
        marks.append((ent.end_char, 2, "close", f'<span class="pd-label">{ent.label_}</span></mark>'))
    return marks


def render(doc: Doc, jupyter: Optional[bool] = None, page: bool = False) -> str:
    """HTML showing the entities and quotations of ``doc`` (right to left).

    Parts that cross each other (a speaker span that is also an entity) nest because
    closings at a position are written before openings, innermost first."""
    marks = _events(doc)
    by_pos: Dict[int, List[Tuple[int, str, str]]] = {}
    for pos, order, kind, markup in marks:
        by_pos.setdefault(pos, []).append((order, kind, markup))
    text = doc.text
    out = [STYLE, '<div class="pd-doc">']
    for i in range(len(text) + 1):
        for order, kind, markup in sorted(by_pos.get(i, []), key=lambda m: (m[1] != "close", -m[0] if m[1] == "close" else m[0])):
            out.append(markup)
        if i < len(text):
            out.append("<br>" if text[i] == "\n" else html.escape(text[i]))
    out.append("</div>")
    body = "".join(out)
    if page:
        body = f'<!DOCTYPE html><html lang="fa" dir="rtl"><head><meta charset="utf-8"><title>persian_diplo</title></head><body>{body}</body></html>'
    if jupyter is None:
        try:
            from IPython import get_ipython  # type: ignore

            jupyter = get_ipython() is not None and "IPKernelApp" in get_ipython().config
        except Exception:  # noqa: BLE001 - IPython missing or not a kernel
            jupyter = False
    if jupyter:
        from IPython.display import HTML, display  # type: ignore

        display(HTML(body))
    return body
