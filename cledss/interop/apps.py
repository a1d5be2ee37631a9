from django.apps import AppConfig
from django.core import checks

from .checks import cds_clients


class InteropConfig(AppConfig):
    name = "cledss.interop"
    verbose_name = "Interoperability"

    def ready(self) -> None:
        checks.register(cds_clients)
