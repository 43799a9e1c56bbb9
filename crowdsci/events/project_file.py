"""Reading and checking a file of featured projects (CSV or JSON) before the import writes anything.

Checking never writes: every row becomes a planned project or errors with the line (CSV; the header is line 1)
or the position (JSON, from 1) and field. The service imports only a file with no error at all.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.text import slugify
from django.utils.translation import gettext as _

from crowdsci.catalog.models import Term
from crowdsci.core.csv import spreadsheet_unsafe
from crowdsci.events.models import FeaturedProject

COLUMNS = (
    "slug",
    "title",
    "description",
    "url",
    "topics",
    "age_min",
    "age_max",
    "setting",
    "time_commitment",
    "curated_by",
)
REQUIRED = ("title", "description", "url", "setting")
MAX_ROWS = 2000


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = _("row %(row)s") % {"row": self.row}
        if self.column:
            where += ", " + _("field %(field)s") % {"field": self.column}
        return f"{where}: {self.message}"


@dataclass
class PlannedProject:
    values: dict[str, Any]
    topics: list[Term]


@dataclass
class ProjectReport:
    rows: list[PlannedProject] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    updated: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


def _records(text: str, report: ProjectReport) -> list[tuple[int, dict[str, Any]]]:
    stripped = text.lstrip("\ufeff").lstrip()
    if stripped.startswith("[") or stripped.startswith("{"):
        try:
            data = json.loads(stripped)
        except json.JSONDecodeError as error:
            report.errors.append(RowError(0, "", _("Not valid JSON: %(error)s") % {"error": error.msg}))
            return []
        if isinstance(data, dict):
            data = data.get("projects")
        if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
            report.errors.append(RowError(0, "", _("JSON must be a list of projects (objects).")))
            return []
        return list(enumerate(data, start=1))
    reader = csv.DictReader(io.StringIO(stripped))
    missing = [name for name in REQUIRED if name not in (reader.fieldnames or [])]
    if missing:
        report.errors.append(RowError(1, "", _("Missing columns: %(columns)s") % {"columns": ", ".join(missing)}))
        return []
    return [
        (line, {key: spreadsheet_unsafe(value or "") for key, value in row.items() if key})
        for line, row in enumerate(reader, start=2)
    ]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(str(item) for item in value)
    return str(value).strip()


def check(text: str) -> ProjectReport:
    report = ProjectReport()
    records = _records(text, report)
    if len(records) > MAX_ROWS:
        report.errors.append(RowError(0, "", _("At most %(max)s projects per file.") % {"max": MAX_ROWS}))
        return report
    if not records and not report.errors:
        report.errors.append(RowError(0, "", _("The file has no projects.")))
    topics = {term.slug: term for term in Term.objects.filter(category__slug="topics")}
    seen: set[str] = set()
    url_valid = URLValidator()
    for row, record in records:
        errors: list[RowError] = []
        values = {name: _text(record.get(name)) for name in COLUMNS}
        for name in REQUIRED:
            if not values[name]:
                errors.append(RowError(row, name, _("This field is required.")))
        slug = slugify(values["slug"] or values["title"])[:120]
        if slug in seen:
            errors.append(RowError(row, "slug", _("A second project with the same slug.")))
        seen.add(slug)
        if values["url"]:
            try:
                url_valid(values["url"])
            except ValidationError:
                errors.append(RowError(row, "url", _("Not a web address.")))
        if values["setting"] and values["setting"] not in FeaturedProject.Setting.values:
            errors.append(
                RowError(
                    row, "setting", _("Use one of: %(values)s") % {"values": ", ".join(FeaturedProject.Setting.values)}
                )
            )
        ages = {}
        for name in ("age_min", "age_max"):
            if values[name]:
                try:
                    ages[name] = int(values[name])
                    if not 0 <= ages[name] <= 120:
                        raise ValueError
                except ValueError:
                    errors.append(RowError(row, name, _("An age in years, 0 to 120.")))
            else:
                ages[name] = None
        if ages.get("age_min") is not None and ages.get("age_max") is not None and ages["age_max"] < ages["age_min"]:
            errors.append(RowError(row, "age_max", _("The oldest age is below the youngest.")))
        chosen: list[Term] = []
        for topic in filter(None, (part.strip() for part in values["topics"].split(";"))):
            if topic not in topics:
                errors.append(RowError(row, "topics", _("Unknown topic: %(topic)s") % {"topic": topic}))
            else:
                chosen.append(topics[topic])
        for name, limit in (("title", 200), ("time_commitment", 100), ("curated_by", 200)):
            if len(values[name]) > limit:
                errors.append(RowError(row, name, _("At most %(limit)s characters.") % {"limit": limit}))
        if errors:
            report.errors.extend(errors)
            continue
        report.rows.append(
            PlannedProject(
                values={
                    "slug": slug,
                    "title": values["title"],
                    "description": values["description"],
                    "url": values["url"],
                    "setting": values["setting"],
                    "time_commitment": values["time_commitment"],
                    "curated_by": values["curated_by"],
                    "age_min": ages["age_min"],
                    "age_max": ages["age_max"],
                },
                topics=chosen,
            )
        )
    return report


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return ""
