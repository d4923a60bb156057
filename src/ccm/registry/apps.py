from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "ccm.registry"
    label = "registry"
    verbose_name = _("Registry")

    def ready(self) -> None:
        from ccm.core import reference
        from ccm.registry import figures, services

        reference.register(
            "registry", services.load_reference, "in the reference data; nothing was loaded."
        )
        figures.register_figures()  # States Parties and signatories, for letters (issue #25)
