"""Rebuild crispr_enwiki.jsonl.xz from the real CRISPR history in tests/data/wikicite (see SOURCES.md here).

    .venv/bin/python crowdsci/campaigns/demo_data/build.py [COUNT]

Keeps the last COUNT revisions of the export (default 61: 60 edits and the parent of the first), byte for byte,
with their ids, parent ids, timestamps, users, summaries, sizes and sha1s as the export gives them.
"""

from __future__ import annotations

import json
import lzma
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = HERE.parents[2] / "tests" / "data" / "wikicite" / "histories" / "CRISPR.enwiki.2005-2016.xml.xz"
OUTPUT = HERE / "crispr_enwiki.jsonl.xz"


def revisions(path: Path):
    title = ""
    with lzma.open(path) as stream:
        for _event, element in ET.iterparse(stream, events=("end",)):  # noqa: S314 -- our own committed file
            tag = element.tag.rsplit("}", 1)[-1]
            if tag == "title":
                title = element.text or ""
            elif tag == "revision":
                fields = {child.tag.rsplit("}", 1)[-1]: child for child in element}
                contributor = {c.tag.rsplit("}", 1)[-1]: c.text for c in fields["contributor"]}
                text = fields["text"].text or ""
                yield {
                    "title": title,
                    "revid": int(fields["id"].text),
                    "parentid": int(fields["parentid"].text) if "parentid" in fields else 0,
                    "timestamp": fields["timestamp"].text,
                    "user": contributor.get("username") or contributor.get("ip") or "",
                    "minor": "minor" in fields,
                    "comment": (fields["comment"].text or "") if "comment" in fields else "",
                    "sha1": fields["sha1"].text or "",
                    "size": len(text.encode("utf-8")),
                    "text": text,
                }
                element.clear()


def main(count: int) -> None:
    kept = list(revisions(SOURCE))[-count:]
    with lzma.open(OUTPUT, "wt", encoding="utf-8", preset=9 | lzma.PRESET_EXTREME) as out:
        for revision in kept:
            out.write(json.dumps(revision, ensure_ascii=False) + "\n")
    print(f"{OUTPUT}: {len(kept)} revisions, {OUTPUT.stat().st_size} bytes")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 61)
