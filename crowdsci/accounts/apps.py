from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "crowdsci.accounts"
    verbose_name = _("Accounts")

    def staff_navigation(self, request) -> list:
        from django.urls import reverse
        from django.utils.translation import gettext as _

        from crowdsci.core.navigation import NavItem
        from crowdsci.network.selectors import user_works_in_admin

        # Staff and coordinators: two-factor sign-in (required for staff when MFA_REQUIRED_FOR_STAFF).
        if not user_works_in_admin(request.user):
            return []
        return [NavItem(label=_("Two-factor sign-in"), url=reverse("mfa_index"))]
