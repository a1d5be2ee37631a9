from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "cledss.web"
    verbose_name = "Web pages"

    def ready(self):
        from django.utils.formats import get_format
        from django.utils.translation import gettext

        from cledss.clinical.phrases import set_translator

        # The clinical core words its sentences, and writes its decimals, in whatever language the request is in.
        set_translator(gettext, lambda: get_format("DECIMAL_SEPARATOR"))
