import io

import pytest
from django.core.management import CommandError, call_command

from crowdsci.network.models import Organization
from crowdsci.network.organization_csv import COLUMNS

pytestmark = pytest.mark.django_db
HEADER = ",".join(COLUMNS)


def write(tmp_path, *rows: str, encoding: str = "utf-8-sig"):
    path = tmp_path / "organizations.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding=encoding)
    return path


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_organizations", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_imports_and_reimport_updates(tmp_path):
    path = write(tmp_path, "Macon Library,public,,Macon,GA,,,,arsl,,", "Salem Library,academic,,Salem,OR,,,,,,")
    out, _err = run(str(path))
    assert "Created 2, updated 0." in out
    out, _err = run(str(path))
    assert "Created 0, updated 2." in out
    assert Organization.objects.count() == 2


def test_dry_run_lists_rows_and_stores_nothing(tmp_path):
    out, _err = run(str(write(tmp_path, "Macon Library,public,,Macon,GA,,,,,,")), "--dry-run")
    assert "line 2: create Macon Library (Macon, GA)" in out
    assert "would create 1 and update 0; nothing stored" in out
    assert not Organization.objects.exists()


def test_bad_rows_exit_non_zero_with_every_error(tmp_path):
    path = write(
        tmp_path, "Macon Library,public,,Macon,GA,,,,,,", "Bad,castle,,X,ZZ,,,,,,", "Worse,public,,Y,GA,,,,,2020-13-01,"
    )
    with pytest.raises(CommandError, match="3 error"):
        out, err = io.StringIO(), io.StringIO()
        try:
            call_command("import_organizations", str(path), stdout=out, stderr=err)
        finally:
            report = err.getvalue()
    assert "line 3, column type:" in report
    assert "line 3, column state:" in report
    assert "line 4, column member_since:" in report
    assert not Organization.objects.exists()


def test_unreadable_and_non_utf8_files_are_errors(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        run(str(tmp_path / "missing.csv"))
    with pytest.raises(CommandError, match="UTF-8"):
        run(str(write(tmp_path, "Biblioteca Peñuelas,public,,Ponce,PR,,,,,,", encoding="latin-1")))


def test_help_documents_the_columns():
    from crowdsci.network.management.commands.import_organizations import Command

    assert HEADER in Command.help


def test_a_nul_character_in_a_cell_is_refused_with_its_line_and_column(tmp_path):
    # Found when the running site was attacked: the command imported it (and PostgreSQL would fail mid-import).
    path = write(tmp_path, "Macon Library,public,,Macon,GA,,,,,,", "Salem\x00 Library,public,,Salem,OR,,,,ar\x00sl,,")
    err = io.StringIO()
    with pytest.raises(CommandError, match="2 error"):
        call_command("import_organizations", str(path), stdout=io.StringIO(), stderr=err)
    assert "line 3, column name: Contains a NUL character" in err.getvalue()
    assert "line 3, column affiliations: Contains a NUL character" in err.getvalue()
    assert not Organization.objects.exists()
