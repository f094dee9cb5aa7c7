"""Apply the corpus decision «a meeting's venue is not part of the EVENT name» to the
markup sources (corpus/README.md, "Decisions beyond the guidelines").

    [اجلاس سران بریکس در کازان|EVENT=x]  ->  [اجلاس سران بریکس|EVENT=x] در [کازان|GPE=kazan]

Only EVENT spans that open (after an optional ordinal) with a meeting noun, as the
gazetteer decides it (``persian_diplo.entities.gazetteer.meeting_head``); the venue
must resolve to one GPE/LOC of the knowledge base, or to the one label and id the
corpus gives the same string elsewhere; a date after «در» («در ماه ژوئن») is cut and
left untagged. Names with «در» inside («گروه هشت کشور در حال توسعه») are kept. Prints
every change; writes only with --write. Run from the repository root:

    python training/scripts/split_event_venues.py [--src corpus/src] [--write]
"""
import argparse
import re
from collections import Counter, defaultdict
from pathlib import Path

from persian_diplo import kb as K
from persian_diplo.entities.gazetteer import VENUE_LABELS, meeting_head

KEEP = ("تعامل و اعتمادسازی", "منطقه عاری", "حال توسعه")
SPAN = re.compile(r"\[([^\[\]|]+)\|EVENT=([^\]|]*)((?:\|[^\]]*)?)\]")
PLACE = re.compile(r"\[([^\[\]|]+)\|(GPE|LOC)=([^\]|]*)")
VENUE = re.compile(r"^(.*\S)(\s+در\s+)(\S.*)$")
DATE = re.compile(r"(?:ماه|سال)\s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", default="corpus/src")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    kb = K.default()
    files = sorted(Path(args.src).glob("*.txt"))
    seen = defaultdict(Counter)  # the label and id the corpus gives a place's name
    for path in files:
        for m in PLACE.finditer(path.read_text(encoding="utf-8")):
            seen[kb.normalize(m.group(1))][(m.group(2), m.group(3))] += 1

    def venue(name):
        ids = {(r["label"], r["id"]) for r in kb.lookup(name) if r["label"] in VENUE_LABELS}
        if len(ids) == 1:
            return ids.pop()
        known = seen.get(kb.normalize(name))
        return next(iter(known)) if known and len(known) == 1 else None

    stats = Counter()

    def fix(m):
        text, kb_id, rest = m.groups()
        parts = VENUE.match(text)
        if not parts:
            return m.group(0)
        head, sep, tail = parts.groups()
        if meeting_head(kb.normalize(head).split()) is None or any(k in text for k in KEEP):
            return m.group(0)
        if DATE.match(tail):
            stats["date cut"] += 1
            print(f"  {text} -> {head} | {tail}")
            return f"[{head}|EVENT={kb_id}{rest}]{sep}{tail}"
        place = venue(tail)
        if place is None:
            stats["venue unknown, kept"] += 1
            print(f"  kept (venue unknown): {text}")
            return m.group(0)
        stats["venue split"] += 1
        print(f"  {text} -> {head} | {tail} {place[0]}={place[1]}")
        return f"[{head}|EVENT={kb_id}{rest}]{sep}[{tail}|{place[0]}={place[1]}]"

    for path in files:
        source = path.read_text(encoding="utf-8")
        out = SPAN.sub(fix, source)
        if out != source and args.write:
            path.write_text(out, encoding="utf-8")
    print(dict(stats) or "nothing to change")


if __name__ == "__main__":
    main()
