from __future__ import annotations

from django.urls import path

from crowdsci.campaigns import views_status

urlpatterns: list = [
    path("status/", views_status.status, name="campaigns-status"),
]
