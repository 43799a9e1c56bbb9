from django.urls import path

from crowdsci.network import views

urlpatterns = [
    path("directory/", views.directory, name="network-directory"),
    path("directory/export.csv", views.directory_export, name="network-directory-export"),
    path("organizations/<slug:slug>/", views.organization_detail, name="network-organization-detail"),
    path("import/", views.organization_import, name="network-import"),
]
