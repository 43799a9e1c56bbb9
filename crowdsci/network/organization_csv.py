"""Reading and checking a CSV of member organizations, and writing the directory back out in the same shape.

Checking never writes: it turns the file into a report with one planned action per row (create or update) and
every error found, each with the line and column a spreadsheet user sees (the header is line 1). The service
``organizations_import_csv`` writes the plan only when there is no error.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crowdsci.core.csv import spreadsheet_unsafe
from crowdsci.network.errors import NetworkError
from crowdsci.network.models import Affiliation, Jurisdiction, Organization

COLUMNS: tuple[str, ...] = (
    "name",
    "type",
    "address",
    "city",
    "state",
    "postal_code",
    "latitude",
    "longitude",
    "affiliations",
    "member_since",
    "website",
)
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
_COORDINATE_PLACES = Decimal("0.000001")
NUL_MESSAGE = gettext_lazy("Contains a NUL character (often left by a file saved in another format); remove it.")
WEBSITE_MESSAGE = gettext_lazy("Not a web address starting with http:// or https://.")


@dataclass(frozen=True)
class RowError:
    line: int
    column: str  # empty when the error is about the whole row or file
    message: str

    def __str__(self) -> str:
        where = _("line %(line)s") % {"line": self.line}
        if self.column:
            where += ", " + _("column %(column)s") % {"column": self.column}
        return f"{where}: {self.message}"


@dataclass
class PlannedRow:
    line: int
    action: str  # "create" or "update"
    values: dict[str, Any]  # model field values, jurisdiction included
    affiliation_codes: list[str]
    organization_id: int | None = None

    @property
    def name(self) -> str:
        return self.values["name"]

    @property
    def city(self) -> str:
        return self.values["city"]

    @property
    def state(self) -> str:
        return self.values["jurisdiction"].code


@dataclass
class ImportReport:
    dry_run: bool
    rows: list[PlannedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def to_create(self) -> int:
        return sum(1 for row in self.rows if row.action == "create")

    @property
    def to_update(self) -> int:
        return sum(1 for row in self.rows if row.action == "update")


def decode_upload(data: bytes) -> str:
    """UTF-8 text with or without a byte-order mark; anything else is refused with a message."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise NetworkError(
            _("The file is larger than %(limit)s MB; split it into smaller files.")
            % {"limit": MAX_UPLOAD_BYTES // (1024 * 1024)}
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise NetworkError(
            _("The file is not UTF-8 text (byte %(position)s). Save it as “CSV UTF-8” and try again.")
            % {"position": error.start + 1}
        ) from error


def natural_key(name: str, city: str, jurisdiction_id: int) -> tuple[str, str, int]:
    """The import's identity of an organization; matches the constraint organization_unique_name_city_jurisdiction."""
    return (name.strip().lower(), city.strip().lower(), jurisdiction_id)


def check_csv(text: str, *, allowed_states: set[str] | None, dry_run: bool) -> ImportReport:
    """Read and check every row; ``allowed_states`` None means any state (the command line, network staff)."""
    report = ImportReport(dry_run=dry_run)
    text = text.removeprefix("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        records = list(enumerate(reader, start=1))
    except csv.Error as error:
        report.errors.append(RowError(line=reader.line_num, column="", message=_("Unreadable CSV: %s") % error))
        return report
    records = [(line, cells) for line, cells in records if any(cell.strip() for cell in cells)]
    if not records:
        report.errors.append(RowError(line=1, column="", message=_("The file is empty: it needs a header row.")))
        return report
    header_line, header = records[0]
    columns = [cell.strip().lower() for cell in header]
    if not _header_is_valid(columns, header_line, report):
        return report
    body = records[1:]
    if len(body) > MAX_ROWS:
        report.errors.append(
            RowError(line=1, column="", message=_("Too many rows: at most %(limit)s per file.") % {"limit": MAX_ROWS})
        )
        return report

    jurisdictions = {jurisdiction.code: jurisdiction for jurisdiction in Jurisdiction.objects.select_related("region")}
    affiliations = set(Affiliation.objects.values_list("code", flat=True))
    existing = _existing_organizations([cells for _line, cells in body], columns, jurisdictions)
    seen: dict[tuple[str, str, int], int] = {}
    for line, cells in body:
        row = _check_row(
            line, cells, columns, report, jurisdictions=jurisdictions, affiliations=affiliations, allowed=allowed_states
        )
        if row is None:
            continue
        key = natural_key(row.values["name"], row.values["city"], row.values["jurisdiction"].pk)
        if key in seen:
            report.errors.append(
                RowError(
                    line=line,
                    column="name",
                    message=_("Same name, city and state as line %(other)s: each organization once per file.")
                    % {"other": seen[key]},
                )
            )
            continue
        seen[key] = line
        if key in existing:
            row.action, row.organization_id = "update", existing[key]
        report.rows.append(row)
    return report


def _header_is_valid(columns: list[str], line: int, report: ImportReport) -> bool:
    duplicated = sorted({column for column in columns if columns.count(column) > 1})
    missing = [column for column in COLUMNS if column not in columns]
    unknown = [column or _("(blank)") for column in columns if column not in COLUMNS]
    if duplicated:
        report.errors.append(RowError(line=line, column="", message=_("Repeated columns: %s.") % ", ".join(duplicated)))
    if missing:
        report.errors.append(RowError(line=line, column="", message=_("Missing columns: %s.") % ", ".join(missing)))
    if unknown:
        report.errors.append(
            RowError(
                line=line,
                column="",
                message=_("Unknown columns: %(unknown)s. The columns are: %(expected)s.")
                % {"unknown": ", ".join(unknown), "expected": ", ".join(COLUMNS)},
            )
        )
    return not (duplicated or missing or unknown)


def _existing_organizations(
    rows: list[list[str]], columns: list[str], jurisdictions: dict[str, Jurisdiction]
) -> dict[tuple[str, str, int], int]:
    # Compared in Python rather than with SQL LOWER(), which on SQLite folds only ASCII letters.
    state_index = columns.index("state")
    codes = {cells[state_index].strip().upper() for cells in rows if len(cells) > state_index}
    ids = [jurisdictions[code].pk for code in codes if code in jurisdictions]
    return {
        natural_key(name, city, jurisdiction_id): pk
        for pk, name, city, jurisdiction_id in Organization.objects.filter(jurisdiction_id__in=ids).values_list(
            "pk", "name", "city", "jurisdiction_id"
        )
    }


def _row_form_field(db_field, **kwargs):
    # Dates are written one way in the file (the spreadsheet's locale must not decide what 04/01/2019 means).
    if db_field.name == "member_since":
        kwargs["input_formats"] = ["%Y-%m-%d"]
    if db_field.name == "website":
        kwargs["assume_scheme"] = "https"
    return db_field.formfield(**kwargs)


# The columns that are Organization's own fields are checked by the form fields Django builds from the model
# (required or not, lengths, choices, dates, web addresses, digits, NUL characters): a limit changed on the model
# applies to the import too. A plain Form rather than a ModelForm: the model's constraints need the row's state
# (checked here against the loaded jurisdictions) and are checked again when the row is written.
MODEL_COLUMNS: tuple[str, ...] = tuple(column for column in COLUMNS if column not in ("state", "affiliations"))
OrganizationRowForm = type(
    "OrganizationRowForm",
    (forms.Form,),
    forms.fields_for_model(Organization, fields=MODEL_COLUMNS, formfield_callback=_row_form_field),
)


def _form_error_message(column: str, error: ValidationError, raw: str) -> str:
    """The message a spreadsheet user sees for a form field's error, by its code; the form's own otherwise."""
    params = error.params or {}
    if error.code == "required":
        return _("Required.")
    if error.code == "max_length":
        return _("At most %(limit)s characters.") % {"limit": params["limit_value"]}
    if error.code == "null_characters_not_allowed":
        return NUL_MESSAGE
    if column == "type" and error.code == "invalid_choice":
        return _("Unknown type “%(value)s”; use one of: %(choices)s.") % {
            "value": raw,
            "choices": ", ".join(Organization.Type.values),
        }
    if column == "member_since":
        return _("Use a date written YYYY-MM-DD, like 2019-04-01.")
    if column == "website":
        return WEBSITE_MESSAGE
    return " ".join(error.messages)


def _check_row(
    line: int,
    cells: list[str],
    columns: list[str],
    report: ImportReport,
    *,
    jurisdictions: dict[str, Jurisdiction],
    affiliations: set[str],
    allowed: set[str] | None,
) -> PlannedRow | None:
    errors: list[RowError] = []
    refused: set[str] = set()  # columns with a NUL character: that is all that is said about them

    def error(column: str, message: str) -> None:
        if column not in refused:
            errors.append(RowError(line=line, column=column, message=str(message)))

    if len(cells) > len(columns) and any(cell.strip() for cell in cells[len(columns) :]):
        error(
            "",
            _("This row has %(cells)s cells but the header has %(columns)s.")
            % {
                "cells": len(cells),
                "columns": len(columns),
            },
        )
    raw = {
        column: spreadsheet_unsafe(cells[index].strip()) if index < len(cells) else ""
        for index, column in enumerate(columns)
    }
    # A NUL character is refused in every column (PostgreSQL cannot store it in text); the cell counts as empty
    # for the other checks, which report nothing more about it.
    for column in columns:
        if "\x00" in raw[column]:
            error(column, NUL_MESSAGE)
            refused.add(column)
            raw[column] = ""

    state = raw["state"].upper()
    jurisdiction = jurisdictions.get(state)
    if not state:
        error("state", _("Required: the two-letter USPS code."))
    elif jurisdiction is None:
        error("state", _("Unknown state or territory code “%(value)s”.") % {"value": raw["state"]})
    elif allowed is not None and state not in allowed:
        error("state", _("%(state)s is outside the regions you coordinate.") % {"state": state})

    data = {column: raw[column] for column in MODEL_COLUMNS}
    data["type"] = raw["type"].lower()
    latitude, longitude = _check_coordinates(raw["latitude"], raw["longitude"], error)
    data["latitude"] = "" if latitude is None else str(latitude)
    data["longitude"] = "" if longitude is None else str(longitude)
    # The model's URLField also takes ftp:// addresses; a member's website is a web page.
    if raw["website"] and not raw["website"].lower().startswith(("http://", "https://")):
        error("website", WEBSITE_MESSAGE)
        data["website"] = ""
    form = OrganizationRowForm(data)
    if not form.is_valid():
        for column, field_errors in form.errors.as_data().items():
            error(column, _form_error_message(column, field_errors[0], raw[column]))

    codes = [code.strip().lower() for code in raw["affiliations"].split(";") if code.strip()]
    for code in codes:
        if code not in affiliations:
            error(
                "affiliations",
                _("Unknown affiliation “%(code)s”; known: %(known)s.")
                % {
                    "code": code,
                    "known": ", ".join(sorted(affiliations)),
                },
            )

    if errors:
        report.errors.extend(errors)
        return None
    values: dict[str, Any] = {**form.cleaned_data, "jurisdiction": jurisdiction}
    return PlannedRow(line=line, action="create", values=values, affiliation_codes=sorted(set(codes)))


def _check_coordinates(latitude: str, longitude: str, error) -> tuple[Decimal | None, Decimal | None]:
    if not latitude and not longitude:
        return None, None
    if not latitude or not longitude:
        error("latitude" if not latitude else "longitude", _("Give both latitude and longitude, or neither."))
        return None, None
    parsed = []
    for column, value, limit in (("latitude", latitude, 90), ("longitude", longitude, 180)):
        try:
            number = Decimal(value)
            if not number.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            error(column, _("Not a number: “%(value)s”.") % {"value": value})
            parsed.append(None)
            continue
        if not -limit <= number <= limit:
            error(column, _("Must be between -%(limit)s and %(limit)s.") % {"limit": limit})
            parsed.append(None)
            continue
        parsed.append(number.quantize(_COORDINATE_PLACES))
    return parsed[0], parsed[1]


def export_rows(organizations) -> Iterator[list[object]]:
    """The organizations in the import's format (columns COLUMNS), so an export can be edited and imported again.

    Cells go out through crowdsci.core.csv, which makes text a spreadsheet would run as a formula safe; the
    import undoes that (``spreadsheet_unsafe``).
    """
    for organization in organizations:
        yield [
            organization.name,
            organization.type,
            organization.address,
            organization.city,
            organization.jurisdiction.code,
            organization.postal_code,
            "" if organization.latitude is None else organization.latitude,
            "" if organization.longitude is None else organization.longitude,
            ";".join(affiliation.code for affiliation in organization.affiliations.all()),
            organization.member_since.isoformat() if organization.member_since else "",
            organization.website,
        ]
