from django.urls import path

from crowdsci.catalog import views

# Fixed paths first: category slugs are data and must not shadow them.
urlpatterns = [
    path("", views.browse, name="catalog-browse"),
    path("review/", views.review, name="catalog-review"),
    path("guide/<slug:slug>/", views.guide_detail, name="catalog-guide"),
    path("<slug:category>/", views.category_detail, name="catalog-category"),
    path("<slug:category>/<slug:term>/", views.term_detail, name="catalog-term"),
]
