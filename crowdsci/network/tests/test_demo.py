import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import authenticate, get_user_model

from crowdsci.network.demo import DEMO_PASSWORD, demo_logins, load_demo_network
from crowdsci.network.models import Organization, Region, RoleAssignment

pytestmark = pytest.mark.django_db


def test_demo_network_covers_every_region_and_loading_twice_duplicates_nothing():
    load_demo_network()
    counts = (Organization.objects.count(), get_user_model().objects.count(), RoleAssignment.objects.count())
    load_demo_network()
    assert (Organization.objects.count(), get_user_model().objects.count(), RoleAssignment.objects.count()) == counts
    assert 40 <= counts[0] <= 60
    for region in Region.objects.all():
        assert Organization.objects.filter(jurisdiction__region=region).count() >= 5, region
    assert Organization.objects.filter(affiliations__code="arsl").exists()
    assert Organization.objects.filter(affiliations__code="abos").exists()
    assert set(Organization.objects.values_list("type", flat=True)) == set(Organization.Type.values)
    assert not Organization.objects.filter(latitude=None).exists()


def test_demo_people_log_in_with_verified_emails_and_their_roles():
    load_demo_network()
    roles = {
        assignment.user.email: assignment
        for assignment in RoleAssignment.objects.select_related("user", "region", "organization")
    }
    assert roles["demo-staff@example.org"].role == "staff"
    assert roles["demo-coordinator@example.org"].region.number == 2
    assert roles["demo-organizer@example.org"].organization.jurisdiction.region.number == 2
    for email, password, _description in demo_logins():
        assert password == DEMO_PASSWORD
        assert EmailAddress.objects.get(email=email).verified
        assert authenticate(username=email.split("@")[0], password=password) is not None
