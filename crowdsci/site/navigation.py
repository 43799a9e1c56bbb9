"""The site's navigation, assembled from what each installed app contributes (see crowdsci.core.navigation)."""

from __future__ import annotations

from django.apps import AppConfig, apps
from django.http import HttpRequest

from crowdsci.core.navigation import NavItem


def _contributors(method: str, order: str) -> list[AppConfig]:
    configs = [config for config in apps.get_app_configs() if callable(getattr(config, method, None))]
    return sorted(configs, key=lambda config: (getattr(config, order, 100), config.label))


def navigation_items(request: HttpRequest) -> list[NavItem]:
    return [item for config in _contributors("navigation", "nav_order") for item in config.navigation(request)]


def staff_navigation_items(request: HttpRequest) -> list[NavItem]:
    if not request.user.is_authenticated:
        return []
    return [
        item for config in _contributors("staff_navigation", "nav_order") for item in config.staff_navigation(request)
    ]


def demo_loaders() -> list[AppConfig]:
    """The apps with demo data, in the order they load (network first: the others use its organizations)."""
    return _contributors("demo_load", "demo_order")
