from django.urls import path

from crowdsci.events import feeds, views

urlpatterns = [
    path("", views.program, name="events-program"),
    path("events/", views.calendar, name="events-calendar"),
    path("events/map/", views.event_map, name="events-map"),
    path("events/map.json", views.event_map_data, name="events-map-data"),
    path("events/feed.jsonld", feeds.events_jsonld, name="events-feed-jsonld"),
    path("events/feed.ics", feeds.events_ics, name="events-feed-ics"),
    path("regions/<slug:region>/feed.ics", feeds.region_events_ics, name="events-region-feed-ics"),
    path("regions/<slug:region>/feed.jsonld", feeds.region_events_jsonld, name="events-region-feed-jsonld"),
    path("events/<slug:slug>/", views.event_detail, name="events-detail"),
    path("events/<slug:slug>/event.ics", feeds.event_ics, name="events-detail-ics"),
    path("registrations/<str:token>/cancel/", views.registration_cancel, name="events-registration-cancel"),
    path("projects/", views.projects, name="events-projects"),
    path("projects/<slug:slug>/", views.project_detail, name="events-project"),
    path("editions/", views.editions, name="events-editions"),
    path("editions/<int:year>/", views.edition_detail, name="events-edition"),
    path("host/", views.host_signup, name="events-host-signup"),
    path("manage/", views.manage, name="events-manage"),
    path("manage/hosts/<int:pk>/events/new/", views.event_create, name="events-event-create"),
    path("manage/events/<slug:slug>/edit/", views.event_edit, name="events-event-edit"),
    path("manage/events/<slug:slug>/cancel/", views.event_cancel, name="events-event-cancel"),
    path("manage/events/<slug:slug>/report/", views.event_report, name="events-event-report"),
    path("manage/events/<slug:slug>/registrations/", views.event_registrations, name="events-registrations"),
    path(
        "manage/events/<slug:slug>/registrations.csv",
        views.event_registrations_csv,
        name="events-registrations-csv",
    ),
    path("manage/review/", views.review, name="events-review"),
    path("manage/review/<int:pk>/", views.review_host, name="events-review-host"),
    path("manage/numbers/", views.numbers, name="events-numbers"),
    path("manage/numbers.csv", views.numbers_csv, name="events-numbers-csv"),
    path("manage/projects/import/", views.projects_import, name="events-projects-import"),
]
