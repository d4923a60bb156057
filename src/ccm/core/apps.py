from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "ccm.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from ccm.core import revision

        # Every connection keeps the data revision (public pages' cache) up to date.
        connection_created.connect(revision.install, dispatch_uid="ccm.core.revision")
