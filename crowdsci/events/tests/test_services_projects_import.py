"""Featured projects from CSV or JSON: row-level errors, all or nothing, updates by slug."""

from __future__ import annotations

import json

import pytest

from crowdsci.core.models import AuditEntry
from crowdsci.events import services
from crowdsci.events.errors import EventsError
from crowdsci.events.models import FeaturedProject
from crowdsci.network.tests.factories import make_user

pytestmark = pytest.mark.django_db

HEADER = "slug,title,description,url,topics,age_min,age_max,setting,time_commitment,curated_by\n"


def test_a_good_csv_creates_then_updates_by_slug():
    text = HEADER + (
        "birds,Bird Count,Count birds.,https://p.example.org/birds,stem;public-health,5,,on_location,15 min,"
        "SciStarter\n"
        ",Cloud Watch,Watch clouds.,https://p.example.org/clouds,,,,online,,\n"
    )
    report = services.projects_import(actor=None, text=text)
    assert (report.errors, report.created, report.updated) == ([], 2, 0)
    birds = FeaturedProject.objects.get(slug="birds")
    assert sorted(birds.topics.values_list("slug", flat=True)) == ["public-health", "stem"]
    assert FeaturedProject.objects.filter(slug="cloud-watch").exists()
    report = services.projects_import(actor=None, text=text.replace("Count birds.", "Count more birds."))
    assert (report.created, report.updated) == (0, 2)
    assert FeaturedProject.objects.get(slug="birds").description == "Count more birds."


def test_json_works_the_same():
    data = [
        {
            "title": "Bird Count",
            "description": "Count.",
            "url": "https://p.example.org/b",
            "setting": "both",
            "topics": ["stem"],
            "age_min": 8,
        }
    ]
    report = services.projects_import(actor=None, text=json.dumps(data))
    assert report.created == 1
    assert FeaturedProject.objects.get().age_min == 8


def test_one_bad_row_imports_nothing_and_every_error_names_its_row_and_field():
    text = HEADER + (
        "ok,Fine,Fine.,https://p.example.org/ok,,,,online,,\nbad,,No title.,not a url,nosuchtopic,9,3,underwater,,\n"
    )
    report = services.projects_import(actor=None, text=text)
    assert not FeaturedProject.objects.exists()
    assert {(error.row, error.column) for error in report.errors} == {
        (3, "title"),
        (3, "url"),
        (3, "topics"),
        (3, "age_max"),
        (3, "setting"),
    }
    assert str(report.errors[0]).startswith("row 3, field ")
    assert not AuditEntry.objects.filter(action="project.import").exists()


@pytest.mark.parametrize(
    "text, message",
    [
        ("{not json", "Not valid JSON"),
        ('{"a": 1}', "JSON must be a list"),
        ("title,url\nx,https://e.org\n", "Missing columns"),
        ("", "Missing columns"),
        (HEADER, "no projects"),
    ],
)
def test_a_malformed_file_gets_a_clear_error(text, message):
    report = services.projects_import(actor=None, text=text)
    assert message in " ".join(str(error) for error in report.errors)
    assert not FeaturedProject.objects.exists()


def test_only_staff_import():
    with pytest.raises(EventsError, match="Only network staff"):
        services.projects_import(actor=make_user("coord", role="coordinator", region=1), text=HEADER)
