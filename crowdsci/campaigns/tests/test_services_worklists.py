"""Worklists: pasted titles, a category imported through the API, the refresh that reads markers, NLM citations
and views (against the local fake), the "needs citations" ranking, and claims that expire."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.utils import timezone

from crowdsci.campaigns.errors import CampaignsError
from crowdsci.campaigns.models import ArticleClaim, WorklistArticle
from crowdsci.campaigns.selectors.worklists import needs_citations, worklist_article
from crowdsci.campaigns.services import worklists
from crowdsci.campaigns.tests.page_factories import MARKED_TITLE, make_campaign, make_participant
from crowdsci.network.models import RoleAssignment
from crowdsci.network.tests.factories import make_organization, make_user

pytestmark = pytest.mark.django_db


def organizer():
    return make_user(role=RoleAssignment.Role.ORGANIZER, organization=make_organization())


def test_pasted_titles_are_normalized_and_added_once():
    owner = organizer()
    worklist = worklists.worklist_create(actor=owner, campaign=make_campaign(), name="Heart")
    titles = worklists.titles_parse("aspirin\n[[Heart failure|heart]]\nhttps://en.wikipedia.org/wiki/Atrial_fibrillation"
                                    "\n\nAspirin\n")
    assert titles == ["Aspirin", "Heart failure", "Atrial fibrillation"]
    worklists.worklist_add_titles(actor=owner, worklist=worklist, titles=titles)
    worklists.worklist_add_titles(actor=owner, worklist=worklist, titles=["Aspirin", "Zinc"])
    assert sorted(worklist.articles.values_list("title", flat=True)) == [
        "Aspirin", "Atrial fibrillation", "Heart failure", "Zinc"]


def test_only_organizers_build_worklists_and_only_their_author_or_staff_change_them():
    campaign = make_campaign()
    with pytest.raises(CampaignsError):
        worklists.worklist_create(actor=make_user(), campaign=campaign, name="Mine")
    worklist = worklists.worklist_create(actor=organizer(), campaign=campaign, name="Theirs")
    with pytest.raises(CampaignsError):
        worklists.worklist_add_titles(actor=organizer(), worklist=worklist, titles=["Aspirin"])
    worklists.worklist_add_titles(actor=make_user(role=RoleAssignment.Role.STAFF), worklist=worklist,
                                  titles=["Aspirin"])


def test_a_category_is_imported_through_the_api_depth_limited(fake_wikimedia):
    owner = organizer()
    worklist = worklists.worklist_create(actor=owner, campaign=make_campaign(), name="Biology")
    worklists.worklist_import_category(actor=owner, worklist=worklist, category="CiteNLM test root", depth=0)
    assert sorted(worklist.articles.values_list("title", flat=True)) == ["Chemical biology", "Toronto"]
    worklists.worklist_import_category(actor=owner, worklist=worklist, category="Category:CiteNLM test root",
                                       depth=1)
    titles = set(worklist.articles.values_list("title", flat=True))
    assert {"Alanine—oxo-acid transaminase", "CRISPR gene editing"} <= titles
    assert "Kommet, ihr Hirten" not in titles  # two levels down


def test_the_refresh_reads_markers_with_sentence_and_section_citations_and_views(fake_wikimedia):
    owner = organizer()
    campaign = make_campaign("spring")
    worklist = worklists.worklist_create(actor=owner, campaign=campaign, name="List")
    worklists.worklist_add_titles(actor=owner, worklist=worklist, titles=[MARKED_TITLE, "No such page here"])

    assert worklists.worklist_articles_refresh(article_ids=worklist.articles.values_list("pk", flat=True)) == 2

    marked = WorklistArticle.objects.get(title=MARKED_TITLE)
    assert marked.citation_needed == 2 and marked.nlm_citations == 1 and marked.citations == 1
    assert marked.views_30d > 0 and marked.refreshed_at is not None and marked.last_revid == 910000001
    first, second = marked.markers
    assert first["section"] == "Treatment" and first["section_number"] == 1
    assert "recover within a week" in first["sentence"]
    assert second["section"] == "History" and second["section_number"] == 2
    assert WorklistArticle.objects.get(title="No such page here").missing

    [ranked] = needs_citations(campaign)
    assert ranked.title == MARKED_TITLE
    response = Client().get("/campaigns/spring/needs-citations/")
    content = response.content.decode()
    assert "recover within a week" in content and "Treatment" in content
    edit_link = next(marker["edit_url"] for marker in response.context["articles"][0].marker_links)
    query = parse_qs(urlsplit(edit_link).query)
    assert query["action"] == ["edit"] and query["section"] == ["1"]
    assert query["summary"] == ["#citenlm citation added"]


def test_a_refresh_failure_is_stored_and_the_old_figures_kept(wikimedia_unreachable):
    owner = organizer()
    worklist = worklists.worklist_create(actor=owner, campaign=make_campaign(), name="List")
    [article] = worklists.worklist_add_titles(actor=owner, worklist=worklist, titles=["Aspirin"])
    WorklistArticle.objects.filter(pk=article.pk).update(citation_needed=4)
    assert worklists.worklist_articles_refresh(article_ids=[article.pk]) == 0
    article.refresh_from_db()
    assert article.citation_needed == 4 and article.refresh_error


def test_a_claim_shows_the_article_taken_until_it_expires_or_is_released():
    owner = organizer()
    campaign = make_campaign()
    worklist = worklists.worklist_create(actor=owner, campaign=campaign, name="List")
    [article] = worklists.worklist_add_titles(actor=owner, worklist=worklist, titles=["Aspirin"])
    alice, bob = make_user(), make_user()
    make_participant(campaign, user=alice)
    make_participant(campaign, user=bob)
    now = timezone.now()

    worklists.article_claim(user=alice, article=article, hours=2, now=now)
    assert worklist_article(article.pk).claimed_by == alice.pk
    with pytest.raises(CampaignsError, match="Someone else"):
        worklists.article_claim(user=bob, article=article, now=now + timedelta(hours=1))
    with pytest.raises(CampaignsError):
        worklists.article_claim_release(user=bob, article=article)

    claim = worklists.article_claim(user=bob, article=article, now=now + timedelta(hours=3))  # alice's expired
    assert claim.user == bob and ArticleClaim.objects.filter(released_at__isnull=True).count() == 1
    worklists.article_claim_release(user=bob, article=article)
    assert worklist_article(article.pk).claimed_by is None


def test_claiming_needs_a_registration():
    owner = organizer()
    campaign = make_campaign()
    worklist = worklists.worklist_create(actor=owner, campaign=campaign, name="List")
    [article] = worklists.worklist_add_titles(actor=owner, worklist=worklist, titles=["Aspirin"])
    with pytest.raises(CampaignsError, match="Register"):
        worklists.article_claim(user=make_user(), article=article)


def test_the_worklist_page_claims_with_htmx_and_escapes_titles(client: Client):
    owner = organizer()
    campaign = make_campaign("spring")
    worklist = worklists.worklist_create(actor=owner, campaign=campaign, name="<b>List</b>")
    [article] = worklists.worklist_add_titles(actor=owner, worklist=worklist, titles=['Aspirin "quoted" & co'])
    user = make_user()
    make_participant(campaign, user=user)
    client.force_login(user)
    page = client.get(f"/campaigns/spring/worklists/{worklist.pk}/").content.decode()
    assert "<b>List</b>" not in page and "&lt;b&gt;List&lt;/b&gt;" in page
    assert "Aspirin &quot;quoted&quot; &amp; co" in page
    response = client.post(f"/campaigns/spring/worklist-articles/{article.pk}/claim/", headers={"HX-Request": "true"})
    assert "You are on it" in response.content.decode() and "<html" not in response.content.decode()
