from django.conf import settings
from django.contrib import admin

admin.site.site_header = f"{settings.NETWORK_SHORT_NAME} crowdsci administration"
admin.site.site_title = f"{settings.NETWORK_SHORT_NAME} crowdsci"
admin.site.index_title = "Administration"
