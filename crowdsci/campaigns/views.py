"""The campaign pages (registration, dashboard, worklists, map, hosted events), above the tracker.

Views stay thin: access is checked through selectors.access, input parsed by a form, one service called, its
CampaignsError shown as a message. Public writes are rate-limited.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from crowdsci.accounts.adapters import proven_wikipedia_username
from crowdsci.campaigns import exports, ics, wiki
from crowdsci.campaigns.errors import CampaignsError
from crowdsci.campaigns.forms import (
    CampaignForm,
    CategoryForm,
    DisplayForm,
    HostedEventForm,
    MapPinForm,
    RegistrationForm,
    TitlesForm,
    WorklistForm,
)
from crowdsci.campaigns.models import (
    Campaign,
    CampaignCounts,
    HostedEvent,
    MapPin,
    Participant,
    Worklist,
    WorklistArticle,
)
from crowdsci.campaigns.selectors import access, dashboard, mapdata
from crowdsci.campaigns.selectors import worklists as worklist_selectors
from crowdsci.campaigns.services import events as event_services
from crowdsci.campaigns.services import map as map_services
from crowdsci.campaigns.services import pages as page_services
from crowdsci.campaigns.services import registration as registration_services
from crowdsci.campaigns.services import worklists as worklist_services

ARTICLES_PAGE_SIZE = 50
EDITS_PAGE_SIZE = 50


def _campaign(slug: str) -> Campaign:
    return get_object_or_404(Campaign, slug=slug)


def _hashtag(campaign: Campaign) -> str:
    return dashboard.campaign_page_settings(campaign).hashtag()


def _my_participation(request: HttpRequest, campaign: Campaign) -> Participant | None:
    if not request.user.is_authenticated:
        return None
    return Participant.objects.filter(campaign=campaign, user=request.user).select_related("organization").first()


# --- list and roll-up ---------------------------------------------------------------------------------------
def campaign_list(request: HttpRequest) -> HttpResponse:
    groups = dashboard.campaigns_listed()
    ids = [campaign.pk for _phase, campaigns in groups for campaign in campaigns]
    totals = dashboard.headline_totals(ids)
    return render(request, "campaigns/list.html", {
        "groups": [(phase, [(campaign, totals[campaign.pk]) for campaign in campaigns])
                   for phase, campaigns in groups],
        "rollup": dashboard.network_rollup(),
        "can_create": access.user_manages_campaigns(request.user),
    })


# --- the dashboard ------------------------------------------------------------------------------------------
def _dashboard_context(request: HttpRequest, campaign: Campaign) -> dict:
    page = dashboard.campaign_page_settings(campaign)
    now = timezone.now()
    context = {
        "campaign": campaign,
        "page": page,
        "page_settings": page,
        "needs_url": reverse("campaigns-needs-citations", args=[campaign.slug]),
        "share_text": _("I'm improving health articles on Wikipedia with %(hashtag)s: %(url)s") % {
            "hashtag": _hashtag(campaign), "url": request.build_absolute_uri()},
        "phase": dashboard.campaign_phase(campaign, now),
        "totals": dashboard.dashboard_totals(campaign),
        "daily": dashboard.daily_series(campaign, now),
        "hourly": (dashboard.hourly_series(page.live_session_start, page.live_session_end, campaign)
                   if page.live_session_start else []),
        "feed": dashboard.live_feed(campaign),
        "freshness": dashboard.tracker_freshness(now, campaign),
        "me": _my_participation(request, campaign),
        "can_edit": access.user_manages_campaigns(request.user),
        "can_organize": access.user_organizes(request.user),
        "events": dashboard.hosted_events(campaign),
        "worklists": Worklist.objects.filter(campaign=campaign).order_by("name"),
        "hashtag": _hashtag(campaign),
    }
    if page.show_leaderboards:
        context["board_people"] = dashboard.participant_leaderboard(campaign)
        context["board_organizations"] = dashboard.organization_leaderboard(campaign)
        context["board_regions"] = dashboard.region_leaderboard(campaign)
    return context


def campaign_detail(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = _campaign(slug)
    return render(request, "campaigns/detail.html", _dashboard_context(request, campaign))


def campaign_live(request: HttpRequest, slug: str) -> HttpResponse:
    """The parts that change (totals, feed, freshness), polled by htmx every few seconds."""
    campaign = _campaign(slug)
    response = render(request, "campaigns/_live.html", {
        "campaign": campaign,
        "totals": dashboard.dashboard_totals(campaign),
        "feed": dashboard.live_feed(campaign),
        "freshness": dashboard.tracker_freshness(campaign=campaign),
    })
    response["Cache-Control"] = "no-store"
    return response


def campaign_stats_json(request: HttpRequest, slug: str) -> JsonResponse:
    campaign = _campaign(slug)
    page = dashboard.campaign_page_settings(campaign)
    freshness = dashboard.tracker_freshness(campaign=campaign)
    data = {
        "campaign": {"slug": campaign.slug, "name": campaign.name, "hashtags": campaign.hashtags,
                     "start": campaign.start.isoformat(), "end": campaign.end.isoformat()},
        "totals": dashboard.dashboard_totals(campaign).as_json(),
        "series": {
            "daily": [{"day": point.key, "edits": point.edits, "citations_added": point.citations_added,
                       "nlm_citations_added": point.nlm_citations_added} for point in dashboard.daily_series(campaign)],
            "hourly": [{"hour": point.key, "edits": point.edits, "citations_added": point.citations_added,
                        "nlm_citations_added": point.nlm_citations_added}
                       for point in (dashboard.hourly_series(page.live_session_start, page.live_session_end,
                                                             campaign) if page.live_session_start else [])],
        },
        "tracker": {"last_event_seen": freshness.last_event_seen.isoformat() if freshness.last_event_seen else None,
                    "silent": freshness.silent,
                    "history_loaded_at": (freshness.history_loaded_at.isoformat() if freshness.history_loaded_at
                                          else None)},
    }
    if page.show_leaderboards:
        data["leaderboard"] = [
            {"rank": row.rank, "name": row.name if row.name is not None else None, "anonymous": row.name is None,
             "edits": row.edits, "citations_added": row.citations_added,
             "nlm_citations_added": row.nlm_citations_added}
            for row in dashboard.participant_leaderboard(campaign)
        ]
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


def campaign_articles(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = _campaign(slug)
    paginator = Paginator(dashboard.article_rows(campaign), ARTICLES_PAGE_SIZE)
    stored = CampaignCounts.objects.filter(campaign=campaign).first()
    if stored is not None:
        # The stored count (a minute old at most) instead of counting every article of a large campaign; articles
        # with only reverted or hidden edits sort last and are in the CSV.
        paginator.count = stored.articles_improved
    page = paginator.get_page(request.GET.get("page"))
    views = dashboard.article_views_by_key(campaign, [row.key for row in page.object_list])
    rows = [(row, *row.key.split(":", 1), views.get(row.key)) for row in page.object_list]
    return render(request, "campaigns/articles.html", {
        "campaign": campaign, "page": page, "rows": rows,
        "page_settings": dashboard.campaign_page_settings(campaign),
    })


def participant_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    campaign = _campaign(slug)
    participant = get_object_or_404(Participant.objects.select_related("user__profile", "organization"),
                                    campaign=campaign, pk=pk)
    if not dashboard.participant_visible_to(request.user, participant):
        raise Http404
    is_me = request.user.is_authenticated and request.user.pk == participant.user_id
    page = Paginator(dashboard.participant_edits(participant), EDITS_PAGE_SIZE).get_page(request.GET.get("page"))
    name = dashboard.participant_public_name(participant)
    return render(request, "campaigns/participant.html", {
        "campaign": campaign, "participant": participant, "is_me": is_me,
        "name": name if name is not None else _("Anonymous participant"),
        "figures": dashboard.participant_figures(participant), "page": page,
        "display_form": DisplayForm(initial={"display": participant.display,
                                             "organization": participant.organization}) if is_me else None,
    })


# --- registration -------------------------------------------------------------------------------------------
@ratelimit(key="user_or_ip", rate="10/m", method="POST", block=True)
def campaign_register(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = _campaign(slug)
    me = _my_participation(request, campaign)
    if me is not None and me.left is None:
        return redirect("campaigns-participant", slug=campaign.slug, pk=me.pk)
    proven = proven_wikipedia_username(request.user) if request.user.is_authenticated else ""
    form = RegistrationForm(request.POST or None, proven_username=proven)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('account_login')}?next={request.path}")
        if form.is_valid():
            try:
                participant = registration_services.registration_create(
                    user=request.user, campaign=campaign,
                    wikipedia_username=proven or form.cleaned_data["wikipedia_username"],
                    organization=form.cleaned_data["organization"], display=form.cleaned_data["display"],
                )
            except CampaignsError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("You are registered. Tag your edit summaries with %(tag)s.")
                                 % {"tag": _hashtag(campaign)})
                return redirect("campaigns-participant", slug=campaign.slug, pk=participant.pk)
    return render(request, "campaigns/register.html", {
        "campaign": campaign, "form": form, "proven": proven, "rejoining": me is not None,
        "wikipedia_sign_in": registration_services.wikipedia_sign_in_available(request),
    })


@login_required
@require_POST
@ratelimit(key="user", rate="10/m", method="POST", block=True)
def campaign_leave(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = _campaign(slug)
    try:
        registration_services.registration_leave(user=request.user, campaign=campaign)
    except CampaignsError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("You have left the campaign. Your edits from now on no longer count for it."))
    return redirect("campaigns-detail", slug=campaign.slug)


@login_required
@require_POST
@ratelimit(key="user", rate="10/m", method="POST", block=True)
def participant_display(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = _campaign(slug)
    form = DisplayForm(request.POST)
    me = _my_participation(request, campaign)
    if me is None:
        raise Http404
    if form.is_valid():
        try:
            registration_services.participant_display_update(
                user=request.user, campaign=campaign, display=form.cleaned_data["display"],
                organization=form.cleaned_data["organization"],
            )
        except CampaignsError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Saved."))
    return redirect("campaigns-participant", slug=campaign.slug, pk=me.pk)


# --- staff: create and edit campaigns ------------------------------------------------------------------------
def _campaign_form_initial(campaign: Campaign) -> dict:
    from zoneinfo import ZoneInfo

    page = dashboard.campaign_page_settings(campaign)
    zone = ZoneInfo("America/New_York")

    def local(moment):
        return moment.astimezone(zone).replace(tzinfo=None) if moment else None

    return {
        "name": campaign.name, "slug": campaign.slug, "hashtags": campaign.hashtags_display(),
        "wikis": " ".join(campaign.wikis), "namespaces": " ".join(str(ns) for ns in campaign.namespaces),
        "start": local(campaign.start), "end": local(campaign.end), "time_zone": "America/New_York",
        "theme": campaign.theme, "description": campaign.description, "credit_mode": campaign.credit_mode,
        "live_session_start": local(page.live_session_start), "live_session_end": local(page.live_session_end),
        "live_session_url": page.live_session_url, "organizers_guide": page.organizers_guide,
        "show_map": page.show_map, "show_leaderboards": page.show_leaderboards,
    }


@login_required
@ratelimit(key="user", rate="30/m", method="POST", block=True)
def campaign_edit(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    if not access.user_manages_campaigns(request.user):
        raise PermissionDenied
    campaign = _campaign(slug) if slug else None
    initial = _campaign_form_initial(campaign) if campaign else None
    form = CampaignForm(request.POST or None, initial=initial, editing=campaign is not None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("time_zone")
        try:
            campaign = page_services.campaign_save(actor=request.user, campaign=campaign, **data)
        except CampaignsError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The campaign was saved."))
            return redirect("campaigns-detail", slug=campaign.slug)
    return render(request, "campaigns/edit.html", {"form": form, "campaign": campaign})


# --- exports -----------------------------------------------------------------------------------------------
def campaign_edits_csv(request: HttpRequest, slug: str) -> HttpResponse:
    return exports.edits_csv_response(_campaign(slug), viewer=request.user)


def campaign_participants_csv(request: HttpRequest, slug: str) -> HttpResponse:
    return exports.participants_csv_response(_campaign(slug), viewer=request.user)


def campaign_articles_csv(request: HttpRequest, slug: str) -> HttpResponse:
    return exports.articles_csv_response(_campaign(slug))


# --- hosted events -------------------------------------------------------------------------------------------
def _event(campaign: Campaign, pk: int) -> HostedEvent:
    return get_object_or_404(HostedEvent.objects.select_related("organization", "campaign"), campaign=campaign,
                             pk=pk)


def _event_kwargs(form: HostedEventForm) -> dict:
    return {name: form.cleaned_data[name] for name in event_services.EVENT_FIELDS}


@login_required
@ratelimit(key="user", rate="30/m", method="POST", block=True)
def event_edit(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    campaign = _campaign(slug)
    event = _event(campaign, pk) if pk else None
    if event is None and not access.user_organizes(request.user):
        raise PermissionDenied
    if event is not None and not access.hosted_event_manageable_by(request.user, event):
        raise PermissionDenied
    initial = None
    if event is not None:
        from zoneinfo import ZoneInfo

        zone = ZoneInfo(event.time_zone)
        initial = {name: getattr(event, name) for name in event_services.EVENT_FIELDS}
        initial["start"] = event.start.astimezone(zone).replace(tzinfo=None)
        initial["end"] = event.end.astimezone(zone).replace(tzinfo=None)
    form = HostedEventForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if event is None:
                event = event_services.hosted_event_create(actor=request.user, campaign=campaign,
                                                           **_event_kwargs(form))
            else:
                event = event_services.hosted_event_update(actor=request.user, event=event, **_event_kwargs(form))
        except CampaignsError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The event was saved."))
            return redirect("campaigns-event", slug=campaign.slug, pk=event.pk)
    return render(request, "campaigns/event_edit.html", {"campaign": campaign, "event": event, "form": form})


def event_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    campaign = _campaign(slug)
    event = _event(campaign, pk)
    me = _my_participation(request, campaign)
    return render(request, "campaigns/event.html", {
        "campaign": campaign, "event": event, "figures": dashboard.hosted_event_figures(event),
        "attending": event.attendees.count(),
        "joined": bool(me and event.attendees.filter(participant=me).exists()),
        "me": me, "can_manage": access.hosted_event_manageable_by(request.user, event),
    })


@login_required
@require_POST
@ratelimit(key="user", rate="30/m", method="POST", block=True)
def event_join(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = _event(_campaign(slug), pk)
    try:
        if request.POST.get("leave"):
            event_services.hosted_event_leave(user=request.user, event=event)
            messages.success(request, _("You left the event."))
        else:
            event_services.hosted_event_join(user=request.user, event=event)
            messages.success(request, _("You joined the event."))
    except CampaignsError as error:
        messages.error(request, error.message)
    return redirect("campaigns-event", slug=slug, pk=pk)


@login_required
@require_POST
def event_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = _event(_campaign(slug), pk)
    try:
        event_services.hosted_event_delete(actor=request.user, event=event)
    except CampaignsError as error:
        messages.error(request, error.message)
        return redirect("campaigns-event", slug=slug, pk=pk)
    messages.success(request, _("The event was deleted."))
    return redirect("campaigns-detail", slug=slug)


def event_ics(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = _event(_campaign(slug), pk)
    location = event.address if event.mode == HostedEvent.Mode.IN_PERSON else event.url
    body = ics.event_ics(
        uid=f"hosted-event-{event.pk}@{request.get_host()}", title=event.title, start=event.start, end=event.end,
        description=event.description, location=location,
        url=request.build_absolute_uri(reverse("campaigns-event", args=[slug, pk])), updated=event.updated,
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slug}-event-{pk}.ics"'
    return response


def live_session_ics(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = _campaign(slug)
    page = dashboard.campaign_page_settings(campaign)
    if not page.live_session_start:
        raise Http404
    body = ics.event_ics(
        uid=f"live-session-{campaign.pk}@{request.get_host()}",
        title=_("%(campaign)s: live editing session") % {"campaign": campaign.name},
        start=page.live_session_start, end=page.live_session_end, description=campaign.theme,
        location=page.live_session_url, url=request.build_absolute_uri(reverse("campaigns-detail", args=[slug])),
        updated=page.updated,
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slug}-live-session.ics"'
    return response


# --- worklists ----------------------------------------------------------------------------------------------
def worklist_list(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = _campaign(slug)
    form = WorklistForm(request.POST or None)
    if request.method == "POST":
        if not access.user_organizes(request.user):
            raise PermissionDenied
        if form.is_valid():
            try:
                worklist = worklist_services.worklist_create(actor=request.user, campaign=campaign,
                                                             **form.cleaned_data)
            except CampaignsError as error:
                form.add_error(None, error.message)
            else:
                return redirect("campaigns-worklist", slug=slug, pk=worklist.pk)
    return render(request, "campaigns/worklists.html", {
        "campaign": campaign, "form": form, "can_organize": access.user_organizes(request.user),
        "worklists": worklist_selectors.worklists_with_counts(campaign),
        "page_settings": dashboard.campaign_page_settings(campaign),
    })


def _worklist(campaign: Campaign, pk: int) -> Worklist:
    return get_object_or_404(Worklist, campaign=campaign, pk=pk)


def worklist_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    campaign = _campaign(slug)
    worklist = _worklist(campaign, pk)
    can_manage = access.worklist_manageable_by(request.user, worklist)
    titles_form, category_form = TitlesForm(), CategoryForm()
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        try:
            if "titles" in request.POST:
                titles_form = TitlesForm(request.POST)
                if titles_form.is_valid():
                    added = worklist_services.worklist_add_titles(
                        actor=request.user, worklist=worklist,
                        titles=worklist_services.titles_parse(titles_form.cleaned_data["titles"]),
                    )
                    _refresh_soon([article.pk for article in added])
                    messages.success(request, _("%(count)s articles added.") % {"count": len(added)})
                    return redirect("campaigns-worklist", slug=slug, pk=pk)
            elif "category" in request.POST:
                category_form = CategoryForm(request.POST)
                if category_form.is_valid():
                    added = worklist_services.worklist_import_category(
                        actor=request.user, worklist=worklist, category=category_form.cleaned_data["category"],
                        depth=category_form.cleaned_data["depth"],
                    )
                    _refresh_soon([article.pk for article in added])
                    messages.success(request, _("%(count)s articles added.") % {"count": len(added)})
                    return redirect("campaigns-worklist", slug=slug, pk=pk)
            elif "refresh" in request.POST:
                _refresh_soon(list(worklist.articles.values_list("pk", flat=True)))
                messages.success(request, _("The articles will be read again from Wikipedia in a moment."))
                return redirect("campaigns-worklist", slug=slug, pk=pk)
        except CampaignsError as error:
            messages.error(request, error.message)
    me = _my_participation(request, campaign)
    return render(request, "campaigns/worklist.html", {
        "campaign": campaign, "worklist": worklist, "can_manage": can_manage, "me": me,
        "articles": worklist_selectors.worklist_articles(worklist),
        "titles_form": titles_form, "category_form": category_form,
        "hashtag": _hashtag(campaign),
    })


def _refresh_soon(article_ids: list[int]) -> None:
    if not article_ids:
        return
    from django.db import transaction

    from crowdsci.campaigns.page_tasks import worklist_articles_refresh_task

    for start in range(0, len(article_ids), 50):
        batch = article_ids[start:start + 50]
        transaction.on_commit(lambda batch=batch: worklist_articles_refresh_task.enqueue(article_ids=batch))


@login_required
@require_POST
@ratelimit(key="user", rate="60/m", method="POST", block=True)
def article_claim(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    campaign = _campaign(slug)
    article = get_object_or_404(WorklistArticle.objects.select_related("worklist"), pk=pk,
                                worklist__campaign=campaign)
    try:
        if request.POST.get("release"):
            worklist_services.article_claim_release(user=request.user, article=article)
        else:
            worklist_services.article_claim(user=request.user, article=article)
    except CampaignsError as error:
        messages.error(request, error.message)
    if request.htmx:
        response = render(request, "campaigns/_article_row.html", {
            "campaign": campaign, "article": worklist_selectors.worklist_article(article.pk),
            "me": _my_participation(request, campaign),
        })
        patch_vary_headers(response, ["HX-Request"])
        return response
    return redirect(reverse("campaigns-worklist", args=[slug, article.worklist_id]) + f"#article-{article.pk}")


def needs_citations(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = _campaign(slug)
    page = Paginator(worklist_selectors.needs_citations(campaign), 25).get_page(request.GET.get("page"))
    summary = _("%(hashtag)s citation added") % {"hashtag": _hashtag(campaign)}
    articles = list(page.object_list)
    for article in articles:
        article.marker_links = [
            {**marker, "edit_url": wiki.edit_section_url(article.wiki, article.title, marker.get("section_number"),
                                                         summary)}
            for marker in article.markers
        ]
    return render(request, "campaigns/needs_citations.html", {
        "campaign": campaign, "page": page, "articles": articles,
        "page_settings": dashboard.campaign_page_settings(campaign),
    })


# --- the map ------------------------------------------------------------------------------------------------
def campaign_map(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = _campaign(slug)
    if not dashboard.campaign_page_settings(campaign).show_map:
        raise Http404
    me = _my_participation(request, campaign)
    pin = MapPin.objects.filter(participant=me).first() if me else None
    form = MapPinForm(initial={"place": pin.place, "latitude": pin.latitude, "longitude": pin.longitude}
                      if pin else None)
    return render(request, "campaigns/map.html", {
        "campaign": campaign, "me": me if me and me.left is None else None, "pin": pin, "form": form,
        "pins": mapdata.pins_public(campaign), "regions": mapdata.region_counts(campaign),
        "tile_url": mapdata.tile_url(), "page_settings": dashboard.campaign_page_settings(campaign),
    })


def campaign_map_json(request: HttpRequest, slug: str) -> JsonResponse:
    campaign = _campaign(slug)
    if not dashboard.campaign_page_settings(campaign).show_map:
        raise Http404
    return JsonResponse(mapdata.map_json(campaign), json_dumps_params={"ensure_ascii": False})


@login_required
@require_POST
@ratelimit(key="user", rate="20/m", method="POST", block=True)
def map_pin(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = _campaign(slug)
    try:
        if request.POST.get("remove"):
            map_services.map_pin_remove(user=request.user, campaign=campaign)
            messages.success(request, _("Your pin was removed from the map."))
        else:
            form = MapPinForm(request.POST)
            if not form.is_valid():
                raise CampaignsError(_("Choose a place on the map, or enter a latitude and longitude."))
            map_services.map_pin_set(user=request.user, campaign=campaign, **form.cleaned_data)
            messages.success(request, _("Your pin is on the map (rounded to about 10 km)."))
    except CampaignsError as error:
        messages.error(request, error.message)
    return redirect("campaigns-map", slug=slug)

