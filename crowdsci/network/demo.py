# ruff: noqa: E501 -- the demo table keeps one organization per line.
"""Demo data for the network: invented member libraries in all seven regions, and three people to log in as.

Every name, address and website here is invented (websites are under example.org); the coordinates are real
places in the right state so that maps look right. ``load_demo_network`` is idempotent: run it again and it
updates the same rows instead of adding new ones. Do not call it inside a transaction: it uses the services,
which open their own.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model

from crowdsci.network import services
from crowdsci.network.models import Organization, Region, RoleAssignment
from crowdsci.network.reference_data import ensure_reference_data

# A published demo password for invented accounts on a development site, never a secret.
DEMO_PASSWORD = "demo-network-password-2026"  # noqa: S105

# (username, display name, role, region number, organization name)
DEMO_PEOPLE: tuple[tuple[str, str, str, int | None, str | None], ...] = (
    ("demo-staff", "Dana Staff (demo)", RoleAssignment.Role.STAFF, None, None),
    ("demo-coordinator", "Carlos Coordinator (demo)", RoleAssignment.Role.COORDINATOR, 2, None),
    ("demo-organizer", "Olivia Organizer (demo)", RoleAssignment.Role.ORGANIZER, None, "Lowcountry Medical Library"),
)

HEADER = "name,type,address,city,state,postal_code,latitude,longitude,affiliations,member_since,website\n"
DEMO_ORGANIZATIONS_CSV = (
    HEADER
    + """\
Harbor Point Health Sciences Library,hospital,601 Harbor Point Drive,Baltimore,MD,21202,39.2904,-76.6122,,2012-05-14,https://harborpoint.example.org
Chesapeake Shore Public Library,public,14 Dover Street,Easton,MD,21601,38.7743,-76.0763,arsl,2016-09-01,https://chesapeakeshore.example.org
Blue Ridge Hollow Library,public,88 Main Street,Hazard,KY,41701,37.2498,-83.1932,arsl;abos,2018-03-20,https://blueridgehollow.example.org
Piedmont State University Libraries,academic,1200 College Avenue,Greensboro,NC,27401,36.0726,-79.7920,,2009-01-15,https://library.piedmontstate.example.org
Allegheny Valley Community Health Collaborative,community,350 Liberty Avenue,Pittsburgh,PA,15222,40.4406,-79.9959,,2021-06-07,
Shenandoah Crossroads Library,public,22 Court Square,Harrisonburg,VA,22801,38.4496,-78.8689,arsl,2015-11-02,https://shenandoahcrossroads.example.org
Kanawha River Bookmobile Services,public,900 Quarrier Street,Charleston,WV,25301,38.3498,-81.6326,abos,2019-04-01,https://kanawhabookmobile.example.org
Capitol Hill Medical Center Library,hospital,110 Independence Avenue SE,Washington,DC,20003,38.8899,-77.0091,,2011-10-10,https://capitolhillmed.example.org
Delmarva Coastal Library,public,118 Savannah Road,Lewes,DE,19958,38.7746,-75.1393,,2020-02-18,https://delmarvacoastal.example.org
Pine Barrens Regional Library,public,451 Egg Harbor Road,Hammonton,NJ,08037,39.6365,-74.8024,arsl,2017-08-23,https://pinebarrens.example.org
Black Belt Community Library,public,1 Water Avenue,Selma,AL,36701,32.4074,-87.0211,arsl,2018-01-09,https://blackbelt.example.org
Gulf Coast University Health Sciences Library,academic,4202 Fowler Avenue,Tampa,FL,33620,27.9506,-82.4572,,2008-07-01,https://hsl.gulfcoastu.example.org
Okefenokee Regional Bookmobile,public,401 Lee Avenue,Waycross,GA,31501,31.2135,-82.3540,abos;arsl,2022-03-15,https://okefenokeebookmobile.example.org
Delta Health Information Center,community,222 Washington Avenue,Greenville,MS,38701,33.4101,-91.0618,,2023-01-30,
Lowcountry Medical Library,hospital,171 Ashley Avenue,Charleston,SC,29425,32.7765,-79.9311,,2010-09-12,https://lowcountrymed.example.org
Cumberland Plateau Public Library,public,98 East Street,Crossville,TN,38555,35.9489,-85.0269,arsl,2016-05-05,https://cumberlandplateau.example.org
Biblioteca Comunitaria del Yunque,public,Calle Principal 12,Río Grande,PR,00745,18.3803,-65.8313,arsl,2019-10-21,https://yunque.example.org
Universidad del Caribe Biblioteca de Ciencias de la Salud,academic,Avenida Ponce de León 1050,San Juan,PR,00925,18.4655,-66.1057,,2013-02-11,https://biblioteca.udelcaribe.example.org
St. Croix Community Library,public,5 Company Street,Christiansted,VI,00820,17.7466,-64.7032,arsl,2021-04-12,https://stcroixlibrary.example.org
Ozark Hills Library District,public,120 North Spring Street,Harrison,AR,72601,36.2298,-93.1077,arsl,2017-06-26,https://ozarkhills.example.org
Flint Hills Public Library,public,110 East 6th Avenue,Emporia,KS,66801,38.4039,-96.1817,,2014-03-03,https://flinthills.example.org
Bayou Teche Health Sciences Library,hospital,1214 Coolidge Boulevard,Lafayette,LA,70503,30.2241,-92.0198,,2012-12-01,https://bayouteche.example.org
Missouri Prairie College Library,academic,500 College Avenue,Columbia,MO,65201,38.9517,-92.3341,,2010-08-16,https://library.moprairie.example.org
Sandhills Bookmobile Cooperative,public,213 North Main Street,Valentine,NE,69201,42.8728,-100.5510,abos;arsl,2020-07-07,https://sandhillsbookmobile.example.org
Red River Tribal Health Library,community,1515 Lee Boulevard,Lawton,OK,73501,34.6036,-98.3959,,2022-09-19,
Rio Grande Valley Medical Library,hospital,1102 West Trenton Road,McAllen,TX,78501,26.2034,-98.2300,,2015-01-26,https://rgvmedlib.example.org
Hill Country Public Library,public,115 West Main Street,Fredericksburg,TX,78624,30.2752,-98.8720,arsl,2018-11-05,https://hillcountrylibrary.example.org
Sonoran Desert Health Sciences Library,academic,1501 North Campbell Avenue,Tucson,AZ,85724,32.2226,-110.9747,,2009-04-20,https://hsl.sonoran.example.org
Snake River Public Library,public,201 Fourth Avenue East,Twin Falls,ID,83301,42.5558,-114.4701,arsl,2016-10-03,https://snakeriver.example.org
Front Range Community Health Library,community,310 West 11th Street,Pueblo,CO,81003,38.2544,-104.6091,,2023-05-08,
Big Sky Bookmobile Library,public,701 West Main Street,Lewistown,MT,59457,47.0625,-109.4282,abos,2019-02-25,https://bigskybookmobile.example.org
High Desert Medical Center Library,hospital,2211 Lomas Boulevard NE,Albuquerque,NM,87106,35.0844,-106.6504,,2011-03-14,https://highdesertmed.example.org
Prairie Rose Public Library,public,516 Second Avenue SW,Minot,ND,58701,48.2325,-101.2963,arsl,2017-01-17,https://prairierose.example.org
Black Hills Regional Library,public,610 Quincy Street,Rapid City,SD,57701,44.0805,-103.2310,,2014-09-29,https://blackhillsregional.example.org
Wasatch Health Sciences Library,academic,10 North 1900 East,Salt Lake City,UT,84132,40.7608,-111.8910,,2008-10-06,https://hsl.wasatch.example.org
Wind River Community Library,public,1330 West Park Avenue,Riverton,WY,82501,43.0247,-108.3801,arsl,2021-08-30,https://windriver.example.org
Tanana Valley Public Library,public,1215 Cowles Street,Fairbanks,AK,99701,64.8378,-147.7164,arsl;abos,2015-06-15,https://tananavalley.example.org
Central Valley Medical Library,hospital,2823 Fresno Street,Fresno,CA,93721,36.7378,-119.7871,,2012-02-06,https://centralvalleymed.example.org
Pacific Coast University Biomedical Library,academic,9500 Gilman Drive,San Diego,CA,92093,32.7157,-117.1611,,2007-11-19,https://biomed.pacificcoastu.example.org
Hilo Community Health Library,community,1190 Waianuenue Avenue,Hilo,HI,96720,19.7074,-155.0885,,2020-10-26,
Great Basin Public Library,public,720 Court Street,Elko,NV,89801,40.8324,-115.7631,arsl,2018-04-09,https://greatbasin.example.org
Willamette Valley Health Sciences Library,academic,1585 East 13th Avenue,Eugene,OR,97403,44.0521,-123.0868,,2013-09-23,https://hsl.willamette.example.org
Puget Sound Bookmobile Services,public,1102 Tacoma Avenue South,Tacoma,WA,98402,47.2529,-122.4443,abos,2019-12-02,https://pugetsoundbookmobile.example.org
Guam Community Health Library,community,176 Serenu Avenue,Hagåtña,GU,96910,13.4757,144.7489,,2022-04-04,
Saipan Public Health Library,other,Beach Road,Garapan,MP,96950,15.2069,145.7197,,2023-08-14,
Prairie State Medical Library,hospital,801 North Rutledge Street,Springfield,IL,62702,39.7817,-89.6501,,2010-05-24,https://prairiestatemed.example.org
Wabash River Public Library,public,1 Library Square,Terre Haute,IN,47807,39.4667,-87.4139,,2015-07-13,https://wabashriver.example.org
Loess Hills Library,public,400 Willow Avenue,Council Bluffs,IA,51503,41.2619,-95.8608,arsl,2017-03-27,https://loesshills.example.org
Great Lakes University Health Sciences Library,academic,1135 Catherine Street,Ann Arbor,MI,48109,42.2808,-83.7430,,2006-09-05,https://hsl.greatlakesu.example.org
North Woods Bookmobile,public,509 America Avenue NW,Bemidji,MN,56601,47.4736,-94.8803,abos;arsl,2020-01-13,https://northwoodsbookmobile.example.org
Appalachian Ohio Community Health Network,community,30 Home Street,Athens,OH,45701,39.3292,-82.1013,,2021-11-22,
Driftless Area Public Library,public,114 North Main Street,Viroqua,WI,54665,43.5569,-90.8887,arsl,2018-08-06,https://driftless.example.org
Quinnipiac Valley Medical Library,hospital,20 York Street,New Haven,CT,06510,41.3083,-72.9279,,2011-06-20,https://quinnipiacmed.example.org
Berkshire Hills Public Library,public,1 Wendell Avenue,Pittsfield,MA,01201,42.4501,-73.2454,,2014-12-08,https://berkshirehills.example.org
Down East Bookmobile,public,4 Court Street,Machias,ME,04654,44.7151,-67.4614,abos;arsl,2019-05-20,https://downeastbookmobile.example.org
White Mountains Community Library,public,92 Main Street,Littleton,NH,03561,44.3062,-71.7701,arsl,2016-02-29,https://whitemountains.example.org
Hudson Valley Health Sciences Library,academic,47 New Scotland Avenue,Albany,NY,12208,42.6526,-73.7562,,2009-10-26,https://hsl.hudsonvalley.example.org
Narragansett Bay Community Health Library,community,100 Broad Street,Providence,RI,02903,41.8240,-71.4128,,2022-06-27,
Green Mountain Rural Library,public,135 North Main Street,Barre,VT,05641,44.1970,-72.5020,arsl,2017-10-16,https://greenmountainrural.example.org
"""
)


def load_demo_network() -> None:
    """Load the demo organizations and people; safe to run again (it updates, never duplicates)."""
    from allauth.account.models import EmailAddress

    ensure_reference_data()
    report = services.organizations_import_csv(actor=None, text=DEMO_ORGANIZATIONS_CSV, dry_run=False)
    if not report.ok:  # A bug in the table above, not a user error.
        raise RuntimeError("Demo organizations are invalid: " + "; ".join(str(error) for error in report.errors))

    for region in Region.objects.filter(contact_email=""):
        region.contact_name = f"Region {region.number} office (demo)"
        region.contact_email = f"region{region.number}@example.org"
        services.region_save(actor=None, region=region)

    user_model = get_user_model()
    for username, display_name, role, region_number, organization_name in DEMO_PEOPLE:
        email = f"{username}@example.org"
        user, created = user_model.objects.get_or_create(username=username, defaults={"email": email})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        EmailAddress.objects.get_or_create(user=user, email=email, defaults={"primary": True, "verified": True})
        region = Region.objects.get(number=region_number) if region_number else None
        organization = Organization.objects.get(name=organization_name) if organization_name else None
        profile = services.profile_ensure(user=user)
        if profile.display_name != display_name or (organization and profile.organization_id != organization.pk):
            services.profile_update(
                user=user,
                display_name=display_name,
                organization=organization or profile.organization,
                wikipedia_username=profile.wikipedia_username,
                preferred_language=profile.preferred_language,
            )
        if not RoleAssignment.objects.filter(user=user, role=role, region=region, organization=organization).exists():
            services.role_grant(actor=None, user=user, role=role, region=region, organization=organization)


def demo_logins() -> list[tuple[str, str, str]]:
    """(email, password, what the person can do) for the command that prints them."""
    descriptions = {
        "demo-staff": "network staff: everything, in the admin and the import page",
        "demo-coordinator": "regional coordinator of Region 2",
        "demo-organizer": "organizer for Lowcountry Medical Library (Region 2)",
    }
    return [(f"{username}@example.org", DEMO_PASSWORD, descriptions[username]) for username, *_rest in DEMO_PEOPLE]
