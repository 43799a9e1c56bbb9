from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


def _after_migrate(sender, using: str = "default", **kwargs) -> None:
    """Keep the catalog's database-side pieces whole after every migrate (and test flush):

    - SQLite drops a table's triggers when a migration rebuilds it, so the FTS5 and catalog stamp triggers are
      recreated if missing;
    - Regional Focus entries are linked to the network's regions once those exist, whichever app migrated first.
    """
    from django.db import connections

    from crowdsci.catalog import facet_index, fts
    from crowdsci.catalog.taxonomy_data import link_region_terms

    connection = connections[using]
    tables = set(connection.introspection.table_names())
    if "catalog_guide" not in tables or "catalog_term" not in tables:
        return
    if connection.vendor == "sqlite":
        fts.install(connection)
        if "catalog_catalogstamp" in tables:
            facet_index.install(connection)
    link_region_terms()


class CatalogConfig(AppConfig):
    name = "crowdsci.catalog"
    verbose_name = _("Guides & resources")
    nav_order = 10
    demo_order = 20

    def navigation(self, request: HttpRequest) -> list:
        from django.urls import reverse
        from django.utils.translation import gettext as _

        from crowdsci.core.navigation import NavItem, is_current

        # One entry for the whole catalog (browse and search); the home page lists the categories themselves.
        url = reverse("catalog-browse")
        return [
            NavItem(
                label=_("All guides"),
                url=url,
                description=_("Browse and search every guide and resource by topic, audience and region."),
                current=is_current(request.path, url),
            )
        ]

    def staff_navigation(self, request: HttpRequest) -> list:
        from django.urls import reverse
        from django.utils.translation import gettext as _

        from crowdsci.catalog.selectors import user_can_edit_guides
        from crowdsci.core.navigation import NavItem

        if not user_can_edit_guides(request.user):
            return []
        return [NavItem(label=_("Guides to review"), url=reverse("catalog-review"))]

    def demo_load(self) -> None:
        from crowdsci.catalog.demo import load_demo_catalog

        load_demo_catalog()

    def ready(self) -> None:
        post_migrate.connect(_after_migrate, sender=self, dispatch_uid="catalog-after-migrate")
