from __future__ import annotations

from django.urls import path

from crowdsci.kits import views

urlpatterns = [
    path("", views.index, name="kits-index"),
    path("request/", views.request_form, name="kits-request"),
    path("requests/<uuid:public_id>/", views.request_detail, name="kits-request-detail"),
    path("manage/", views.manage, name="kits-manage"),
    path("manage/hold/", views.hold, name="kits-hold"),
    path("manage/requests/<int:pk>/", views.manage_request, name="kits-manage-request"),
    path("manage/copies/", views.copies, name="kits-copies"),
    path("manage/copies/<int:pk>/", views.copy_detail, name="kits-copy"),
]

urlpatterns += [
    path("resources/", views.resources, name="kits-resources"),
    path("resources/sanitation.pdf", views.sanitation_pdf, name="kits-sanitation-pdf"),
    path("resources/audio/upload/", views.audio_upload, name="kits-audio-upload"),
    path("resources/audio/<int:pk>/", views.audio_file, name="kits-audio-file"),
]

urlpatterns += [
    path("reports/", views.reports, name="kits-reports"),
    path("reports/export.csv", views.reports_export, name="kits-reports-export"),
]
