from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from crowdsci.core.admin import view_on_site
from crowdsci.core.metrics import metrics
from crowdsci.site import status as site_status
from crowdsci.site import views as site_views

# The admin's own sign-in page has no rate limit and no email verification: people sign in through allauth
# (ACCOUNT_RATE_LIMITS) and come back; /admin/login/ only redirects there, or refuses someone signed in without admin
# access.
admin.site.login = secure_admin_login(admin.site.login)

handler403 = "crowdsci.core.views.permission_denied"
handler404 = "crowdsci.core.views.page_not_found"
handler500 = "crowdsci.core.views.server_error"

urlpatterns = [
    path("", site_views.home, name="site-home"),
    path("ccs/", site_views.ccs, name="site-ccs"),
    path("favicon.ico", site_views.favicon),
    path("staff/status/", site_status.status, name="site-status"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("accounts/", include("crowdsci.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("network/", include("crowdsci.network.urls")),
    path("guides/", include("crowdsci.catalog.urls")),
    path("campaigns/", include("crowdsci.campaigns.urls")),
    path("citizen-science-month/", include("crowdsci.events.urls")),
    path("kits/", include("crowdsci.kits.urls")),
    # Before the admin's own "view on site" shortcut, which it replaces with one that checks the record's scope.
    path("admin/r/<int:content_type_id>/<path:object_id>/", admin.site.admin_view(view_on_site)),
    path("admin/", admin.site.urls),
    # Prometheus; answers only METRICS_ALLOWED_ADDRESSES. /healthz and /readyz answer in middleware, before routing.
    path("metrics", metrics, name="metrics"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
