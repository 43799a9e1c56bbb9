"""The command line: JSON out, clear messages and a non-zero exit on bad input, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from .corpus import DATA, PAGES

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "crowdsci.wikicite", *args], input=stdin, capture_output=True, cwd=ROOT, check=False,
        timeout=60,
    )


def test_count_prints_one_object_per_file_in_order() -> None:
    files = [str(PAGES / "Basil_Lee_Whitener.wikitext"), str(PAGES / "Clint_Murchison_Sr.wikitext")]
    result = run("count", *files)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.decode().splitlines()
    assert [json.loads(line)["file"] for line in lines] == files
    assert [json.loads(line)["definitions"] for line in lines] == [1, 7]
    contract = {"definitions", "reuses", "short_citations", "citation_needed", "nlm", "by_source", "identifiers"}
    assert contract <= json.loads(lines[0]).keys()


def test_count_reads_standard_input() -> None:
    result = run("count", "-", stdin=b"a<ref>x</ref> b<ref name=a>{{cite journal|pmid=123}}</ref><ref name=a/>")
    assert result.returncode == 0
    counts = json.loads(result.stdout)
    assert (counts["definitions"], counts["reuses"], counts["nlm"]) == (2, 1, 1)
    assert counts["by_source"]["pubmed"] == 1


def test_diff_prints_one_object() -> None:
    parent = DATA / "revisions" / "Kommet_ihr_Hirten.parent.wikitext"
    child = DATA / "revisions" / "Kommet_ihr_Hirten.child.wikitext"
    result = run("diff", str(parent), str(child))
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert (summary["added"], summary["removed"], summary["added_nlm"]) == (0, 0, 0)


def test_diff_with_parent_on_standard_input() -> None:
    result = run("diff", "-", str(PAGES / "Basil_Lee_Whitener.wikitext"), stdin=b"")
    assert json.loads(result.stdout)["added"] == 1


def test_missing_file_is_a_message_not_a_traceback() -> None:
    result = run("count", "/nonexistent/page.wikitext")
    assert result.returncode == 2
    assert b"Traceback" not in result.stderr
    assert b"/nonexistent/page.wikitext" in result.stderr


def test_non_utf8_input_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "latin1.wikitext"
    bad.write_bytes("caf\xe9 <ref>x</ref>".encode("latin-1"))
    for args in (("count", str(bad)), ("diff", str(bad), str(bad)), ("count", "-")):
        result = run(*args, stdin=b"\xff\xfe\x00")
        assert result.returncode == 2, args
        assert b"not UTF-8" in result.stderr
        assert b"Traceback" not in result.stderr


def test_usage_errors_exit_non_zero() -> None:
    assert run().returncode != 0
    assert run("diff", "only-one").returncode != 0
    assert b"Traceback" not in run("frobnicate").stderr
