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
_FORMULA_FIRST = frozenset(FORMULA_STARTS)
# Rows joined into one chunk of a streamed download: one write to the client per ~50-100 KB instead of per line.
ROWS_PER_CHUNK = 256


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


class _ListBuffer:
    """A file-like object csv.writer appends its lines to (one ``write`` per row)."""

    def __init__(self, parts: list[str]) -> None:
        self.write = parts.append


def csv_chunks(
    header: Iterable[str],
    rows: Iterable[Iterable[Any]],
    *,
    text_columns: Iterable[int] | None = None,
    rows_per_chunk: int = ROWS_PER_CHUNK,
) -> Iterator[str]:
    """The header line, then the rows as CSV text in chunks of ``rows_per_chunk`` lines (formula-safe cells).

    ``text_columns``, for multi-million-row exports: the indexes of the only columns that can hold text someone
    typed; only those are checked (the others must hold numbers, None, or text the site writes itself, such as a
    status, a URL or JSON), and the rows must then be lists, which are changed in place.
    """
    parts: list[str] = []
    writer = csv.writer(_ListBuffer(parts))
    writer.writerow(list(header))
    yield parts.pop()
    pending = 0
    if text_columns is None:
        for row in rows:
            writer.writerow([spreadsheet_safe(cell) for cell in row])
            pending += 1
            if pending == rows_per_chunk:
                yield "".join(parts)
                parts.clear()
                pending = 0
    else:
        columns = tuple(text_columns)
        formula_first = _FORMULA_FIRST
        for row in rows:
            for index in columns:
                cell = row[index]
                if cell.__class__ is str and cell[:1] in formula_first:
                    row[index] = "'" + cell
            writer.writerow(row)
            pending += 1
            if pending == rows_per_chunk:
                yield "".join(parts)
                parts.clear()
                pending = 0
    if parts:
        yield "".join(parts)


def csv_streaming_response(
    filename: str, header: Iterable[str], rows: Iterable[Iterable[Any]], *, text_columns: Iterable[int] | None = None
) -> StreamingHttpResponse:
    """A download that streams: memory stays flat however many rows (iterate a queryset with ``.iterator()``).
    ``text_columns``: see ``csv_chunks``."""
    response = StreamingHttpResponse(csv_chunks(header, rows, text_columns=text_columns),
                                     content_type="text/csv; charset=utf-8")
    safe_name = "".join(char for char in filename if char.isalnum() or char in "-_.") or "export.csv"
    response["Content-Disposition"] = f'attachment; filename="{safe_name}"'
    return response


def csv_write(
    output: IO[str], header: Iterable[str], rows: Iterable[Iterable[Any]], *, text_columns: Iterable[int] | None = None
) -> int:
    """Write the CSV to an open text file (a management command's output); returns the number of rows.
    ``text_columns``: see ``csv_chunks``."""
    count = 0

    def counted() -> Iterator[Iterable[Any]]:
        nonlocal count
        for row in rows:
            count += 1
            yield row

    for chunk in csv_chunks(header, counted(), text_columns=text_columns):
        output.write(chunk)
    return count
