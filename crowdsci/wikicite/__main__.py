"""Command line: `python -m crowdsci.wikicite count FILE...` and `python -m crowdsci.wikicite diff PARENT CHILD`.

`count` prints one JSON object per file, in order; `diff` prints one. `-` reads standard input. Unreadable
input (missing file, not UTF-8) gets a one-line message on standard error and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from .diff import diff, diff_summary
from .extract import count

EXIT_BAD_INPUT = 2


class InputError(Exception):
    """A file that cannot be read as UTF-8 text."""


def read_text(path: str) -> str:
    try:
        data = sys.stdin.buffer.read() if path == "-" else open(path, "rb").read()  # noqa: SIM115 - read at once
    except OSError as error:
        raise InputError(f"{path}: cannot read: {error.strerror or error}") from error
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(f"{path}: not UTF-8 text (invalid byte at offset {error.start})") from error


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m crowdsci.wikicite",
                                     description="Count and diff citations in wikitext as MediaWiki's Cite does.")
    commands = parser.add_subparsers(dest="command", required=True)
    count_command = commands.add_parser("count", help="one JSON object of citation counts per file")
    count_command.add_argument("files", nargs="+", metavar="FILE", help="wikitext file, or - for standard input")
    diff_command = commands.add_parser("diff", help="citations added/removed/enriched/moved from PARENT to CHILD")
    diff_command.add_argument("parent", metavar="PARENT")
    diff_command.add_argument("child", metavar="CHILD")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = _build_parser().parse_args(argv)
    try:
        if arguments.command == "count":
            if sum(1 for name in arguments.files if name == "-") > 1:
                raise InputError("-: standard input can be read only once")
            texts = [(name, read_text(name)) for name in arguments.files]
            for name, text in texts:
                result = {"file": name, **count(text)}
                sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
        else:
            if arguments.parent == "-" and arguments.child == "-":
                raise InputError("-: standard input can be read only once")
            parent = read_text(arguments.parent)
            child = read_text(arguments.child)
            sys.stdout.write(json.dumps(diff_summary(diff(parent, child)), ensure_ascii=False) + "\n")
    except InputError as error:
        sys.stderr.write(f"wikicite: {error}\n")
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
