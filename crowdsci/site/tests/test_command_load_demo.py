import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from crowdsci.catalog.demo import DEMO_GUIDES
from crowdsci.catalog.models import Guide
from crowdsci.network.models import Organization, RoleAssignment


@pytest.mark.django_db(transaction=True)
def test_load_demo_twice_duplicates_nothing_and_prints_the_staff_login(capsys):
    call_command("load_demo")
    first = (Organization.objects.count(), Guide.objects.count(), RoleAssignment.objects.count())
    output = capsys.readouterr().out
    assert "demo-staff@example.org" in output
    assert "password:" in output

    call_command("load_demo")
    assert (Organization.objects.count(), Guide.objects.count(), RoleAssignment.objects.count()) == first
    assert first[0] > 40
    assert first[1] >= len(DEMO_GUIDES)


def test_load_demo_is_refused_in_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="never loaded in production"):
        call_command("load_demo")
