from __future__ import annotations

from django.urls import path

from crowdsci.campaigns import views, views_status

urlpatterns = [
    # Before "<slug>/": "status" is not a campaign.
    path("status/", views_status.status, name="campaigns-status"),
    path("", views.campaign_list, name="campaigns-list"),
    path("new/", views.campaign_edit, name="campaigns-create"),
    path("<slug:slug>/", views.campaign_detail, name="campaigns-detail"),
    path("<slug:slug>/edit/", views.campaign_edit, name="campaigns-edit"),
    path("<slug:slug>/live/", views.campaign_live, name="campaigns-live"),
    path("<slug:slug>/stats.json", views.campaign_stats_json, name="campaigns-stats-json"),
    path("<slug:slug>/articles/", views.campaign_articles, name="campaigns-articles"),
    path("<slug:slug>/edits.csv", views.campaign_edits_csv, name="campaigns-edits-csv"),
    path("<slug:slug>/participants.csv", views.campaign_participants_csv, name="campaigns-participants-csv"),
    path("<slug:slug>/articles.csv", views.campaign_articles_csv, name="campaigns-articles-csv"),
    path("<slug:slug>/register/", views.campaign_register, name="campaigns-register"),
    path("<slug:slug>/leave/", views.campaign_leave, name="campaigns-leave"),
    path("<slug:slug>/me/display/", views.participant_display, name="campaigns-participant-display"),
    path("<slug:slug>/participants/<int:pk>/", views.participant_detail, name="campaigns-participant"),
    path("<slug:slug>/live-session.ics", views.live_session_ics, name="campaigns-live-session-ics"),
    path("<slug:slug>/events/new/", views.event_edit, name="campaigns-event-create"),
    path("<slug:slug>/events/<int:pk>/", views.event_detail, name="campaigns-event"),
    path("<slug:slug>/events/<int:pk>/edit/", views.event_edit, name="campaigns-event-edit"),
    path("<slug:slug>/events/<int:pk>/join/", views.event_join, name="campaigns-event-join"),
    path("<slug:slug>/events/<int:pk>/delete/", views.event_delete, name="campaigns-event-delete"),
    path("<slug:slug>/events/<int:pk>/event.ics", views.event_ics, name="campaigns-event-ics"),
    path("<slug:slug>/worklists/", views.worklist_list, name="campaigns-worklists"),
    path("<slug:slug>/worklists/<int:pk>/", views.worklist_detail, name="campaigns-worklist"),
    path("<slug:slug>/worklist-articles/<int:pk>/claim/", views.article_claim, name="campaigns-article-claim"),
    path("<slug:slug>/needs-citations/", views.needs_citations, name="campaigns-needs-citations"),
    path("<slug:slug>/map/", views.campaign_map, name="campaigns-map"),
    path("<slug:slug>/map.json", views.campaign_map_json, name="campaigns-map-json"),
    path("<slug:slug>/map/pin/", views.map_pin, name="campaigns-map-pin"),
]
