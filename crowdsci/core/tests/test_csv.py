import csv
import io
import tracemalloc

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crowdsci.core.csv import (
    csv_chunks,
    csv_lines,
    csv_streaming_response,
    csv_write,
    spreadsheet_safe,
    spreadsheet_unsafe,
)


@pytest.mark.parametrize("cell", ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx", "\rx", "=HYPERLINK(\"http://x\")"])
def test_cells_a_spreadsheet_would_run_as_formulas_are_neutralized(cell):
    header, row = list(csv.reader(io.StringIO("".join(csv_lines(["a"], [[cell]])), newline="")))
    assert header == ["a"] and row == ["'" + cell]


def test_numbers_and_plain_text_go_out_as_they_are():
    text = "".join(csv_lines(["n", "t"], [[-3.5, "plain"], [0, "a=b"]]))
    assert list(csv.reader(io.StringIO(text))) == [["n", "t"], ["-3.5", "plain"], ["0", "a=b"]]


@given(st.text())
def test_unsafe_undoes_safe(value):
    assert spreadsheet_unsafe(spreadsheet_safe(value)) == value


def test_the_response_streams_with_a_safe_filename():
    response = csv_streaming_response('a"b\r\n.csv', ["x"], ([i] for i in range(3)))
    assert response.streaming
    assert response["Content-Disposition"] == 'attachment; filename="ab.csv"'
    assert b"".join(response.streaming_content).decode().splitlines() == ["x", "0", "1", "2"]


def test_memory_stays_flat_however_many_rows():
    def peak(rows: int) -> int:
        tracemalloc.start()
        for _line in csv_lines(["a", "b"], ((i, "x" * 50) for i in range(rows))):
            pass
        _current, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return top

    assert peak(200_000) < 4 * peak(2_000) + 64_000


def test_csv_write_counts_rows_into_a_file():
    output = io.StringIO()
    assert csv_write(output, ["a"], [["=x"], ["y"]]) == 2
    assert output.getvalue().splitlines() == ["a", "'=x", "y"]


def test_chunks_check_only_the_text_columns_they_are_given_and_join_rows():
    rows = [[i, "=title", "-status", None] for i in range(600)]
    chunks = list(csv_chunks(["n", "title", "status", "x"], rows, text_columns=[1], rows_per_chunk=256))
    assert [chunk.count("\r\n") for chunk in chunks] == [1, 256, 256, 88]  # the header alone first
    parsed = list(csv.reader(io.StringIO("".join(chunks))))
    assert parsed[0] == ["n", "title", "status", "x"] and len(parsed) == 601
    assert parsed[1] == ["0", "'=title", "-status", ""]  # the status column is the site's own text
    everything = list(csv.reader(io.StringIO("".join(csv_chunks(["a", "b"], [[1, "@x"], ["+y", 2]])))))
    assert everything == [["a", "b"], ["1", "'@x"], ["'+y", "2"]]  # without text_columns every cell is checked
