"""The campaign pages (registration, dashboard, worklists, map), above the tracker."""

from __future__ import annotations
