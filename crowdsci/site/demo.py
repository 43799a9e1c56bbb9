"""The demo's text for the Crowdsourcing & Citizen Science page (``/ccs/``), written for the NNLM network.

It is only a starting point: the page is network data that staff rewrite in the admin.
"""

from __future__ import annotations

from crowdsci.site.models import SitePage
from crowdsci.site.services import site_page_save

CCS_TITLE = "Crowdsourcing and Citizen Science"
CCS_SUMMARY = (
    "Members of the public taking part in research, with libraries as their meeting place: the network's "
    "crowdsourcing and citizen-science program brings communities, librarians and researchers together."
)
CCS_BODY = """\
## Why it is a priority

Citizen science invites anyone to take part in real research: counting, measuring, transcribing, testing
water, or improving the health information millions of people read every day. Libraries are where people
already come to learn, which makes them natural places to start. The network supports crowdsourcing and
citizen science because it builds health and information literacy in the most practical way there is, by
doing, and because it makes research more open to the communities it is meant to serve.

## What collaboration brings

When communities and researchers work together, research asks better questions and reaches people it would
otherwise miss. Participants learn how evidence is gathered and weighed; researchers gain data and local
knowledge they could not collect alone; libraries gain programs that bring new people through their doors and
partners they can keep working with. The network provides kits, training and guides so that any member library,
however small, can host a project.

## The three programs

- **#CiteNLM Wikipedia edit-a-thons.** Twice a year, in the spring and the fall, participants add citations to
  National Library of Medicine sources (PubMed, PMC, MedlinePlus, NCBI Bookshelf and others) to Wikipedia's
  health articles and tag each edit summary with #CiteNLM. Member institutions can host their own event during a
  campaign.
- **Citizen Science Month.** Every April, with our partner SciStarter, libraries host citizen-science events:
  sign up, receive a program kit with facilitation instructions, register your event, and run it with one of the
  featured projects.
- **Test the Waters.** Loanable water-testing kits from the All of Us partnership, with a sanitation guide and an
  audio activity guide in six languages. Libraries affiliated with ARSL and ABOS are served first.
"""


def load_demo_site() -> None:
    """The /ccs/ page's text, unless staff have already written it (idempotent)."""
    if SitePage.objects.filter(key=SitePage.Key.CCS).exists():
        return
    site_page_save(actor=None, key=SitePage.Key.CCS, title=CCS_TITLE, summary=CCS_SUMMARY, body=CCS_BODY, language="en")
