"""Clients for Wikipedia as the campaign pages use them (worklists, username checks), built from settings.

``WIKIMEDIA_API_URL`` (shared with the tracker) may hold ``{server_name}``; ``WIKIMEDIA_PAGEVIEWS_URL`` is the
REST base the pageviews client reads from. Tests point both at the local fake (crowdsci/wikimedia/fake.py).
"""

from __future__ import annotations

import re

from django.conf import settings

from crowdsci.wikimedia.action import ActionApiClient
from crowdsci.wikimedia.common import RetryPolicy, build_user_agent
from crowdsci.wikimedia.errors import ConfigurationError
from crowdsci.wikimedia.pageviews import PageviewsClient

DEFAULT_API_URL = "https://{server_name}/w/api.php"
DEFAULT_PAGEVIEWS_URL = "https://wikimedia.org/api/rest_v1"
# Page views answer a person waiting on a page or a periodic job: a few quick tries, never minutes of backoff.
PATIENT_ENOUGH = RetryPolicy(max_attempts=3, base_delay=0.5, max_delay=4.0, max_retry_after=10.0)

_WIKIPEDIA_DBNAME = re.compile(r"^([a-z][a-z0-9_]*)wiki$")


def server_name(wiki: str) -> str:
    """``enwiki`` -> ``en.wikipedia.org`` (language Wikipedias; other wikis are not campaign targets yet)."""
    match = _WIKIPEDIA_DBNAME.match(wiki)
    if not match:
        raise ValueError(f"not a Wikipedia database name: {wiki!r}")
    return f"{match.group(1).replace('_', '-')}.wikipedia.org"


def pageviews_project(wiki: str) -> str:
    return server_name(wiki).removesuffix(".org")


def user_agent() -> str:
    try:
        return build_user_agent(settings.WIKIMEDIA_CONTACT)
    except ConfigurationError:
        # The development default (an address at localhost) is not a reachable contact; the site's own address
        # is, so development still sends a User-Agent that follows the policy.
        return build_user_agent(f"{settings.WIKIMEDIA_CONTACT} {settings.SITE_URL}")


def action_client(wiki: str = "enwiki") -> ActionApiClient:
    template = getattr(settings, "WIKIMEDIA_API_URL", "") or DEFAULT_API_URL
    return ActionApiClient(template.format(server_name=server_name(wiki)), user_agent=user_agent(),
                           retry=PATIENT_ENOUGH)


def pageviews_client() -> PageviewsClient:
    base = getattr(settings, "WIKIMEDIA_PAGEVIEWS_URL", "") or DEFAULT_PAGEVIEWS_URL
    return PageviewsClient(base, user_agent=user_agent(), retry=PATIENT_ENOUGH, max_concurrency=4)


def article_url(wiki: str, title: str) -> str:
    from urllib.parse import quote

    return f"https://{server_name(wiki)}/wiki/{quote(title.replace(' ', '_'), safe='/:(),')}"


def diff_url(wiki: str, revid: int) -> str:
    return f"https://{server_name(wiki)}/w/index.php?diff={revid}"


def edit_section_url(wiki: str, title: str, section: int | None, summary: str) -> str:
    """The editor opened on that section, with the summary already written (``action=edit&summary=``)."""
    from urllib.parse import urlencode

    params: dict[str, str] = {"title": title.replace(" ", "_"), "action": "edit", "summary": summary}
    if section is not None:
        params["section"] = str(section)
    return f"https://{server_name(wiki)}/w/index.php?{urlencode(params)}"
