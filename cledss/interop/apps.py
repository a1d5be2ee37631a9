from django.apps import AppConfig


class InteropConfig(AppConfig):
    name = "cledss.interop"
    verbose_name = "Interoperability"
