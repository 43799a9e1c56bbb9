from django.urls import path

from crowdsci.accounts import views

urlpatterns = [
    path("profile/", views.profile, name="accounts-profile"),
]
