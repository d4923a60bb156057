from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "ccm.accounts"
    label = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self) -> None:
        from ccm.accounts import panels, signals, todo  # noqa: F401

        panels.register_panels()
        todo.register()  # contacts missing, e-mails failed: the staff home (issue #26)
