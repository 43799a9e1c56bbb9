"""CSV out of the site: streamed in constant memory, and safe to open in a spreadsheet.

A cell whose first character is ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run as a formula by
spreadsheet programs (CSV injection); ``spreadsheet_safe`` puts a single quote in front of it, which spreadsheets
show as text. Numbers are written as they are (a negative number is not text a user typed). ``spreadsheet_unsafe``
undoes it, so an exported file can be imported again unchanged.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from typing import IO, Any

from django.http import StreamingHttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return "'" + value
    return value


def spreadsheet_unsafe(value: str) -> str:
    return value[1:] if value[:1] == "'" and value[1:2] in FORMULA_STARTS else value


class _LineBuffer:
    """A file-like object csv.writer writes one line into; the generator takes it back out."""

    def __init__(self) -> None:
        self.value = ""

    def write(self, text: str) -> int:
        self.value = text
        return len(text)


def csv_lines(header: Iterable[str], rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    """The header, then each row, as CSV lines (formula-safe cells), one at a time."""
    buffer = _LineBuffer()
    writer = csv.writer(buffer)
    writer.writerow(list(header))
    yield buffer.value
    for row in rows:
        writer.writerow([spreadsheet_safe(cell) for cell in row])
        yield buffer.value


def csv_streaming_response(
    filename: str, header: Iterable[str], rows: Iterable[Iterable[Any]]
) -> StreamingHttpResponse:
    """A download that streams: memory stays flat however many rows (iterate a queryset with ``.iterator()``)."""
    response = StreamingHttpResponse(csv_lines(header, rows), content_type="text/csv; charset=utf-8")
    safe_name = "".join(char for char in filename if char.isalnum() or char in "-_.") or "export.csv"
    response["Content-Disposition"] = f'attachment; filename="{safe_name}"'
    return response


def csv_write(output: IO[str], header: Iterable[str], rows: Iterable[Iterable[Any]]) -> int:
    """Write the CSV to an open text file (a management command's output); returns the number of rows."""
    count = -1
    for count, line in enumerate(csv_lines(header, rows)):  # noqa: B007 -- the count is the result
        output.write(line)
    return max(count, 0)
