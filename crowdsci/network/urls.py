from django.urls import path

from crowdsci.network import views

urlpatterns = [
    path("directory/", views.directory, name="network-directory"),
]
