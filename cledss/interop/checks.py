"""System checks for the interop app: its configuration is judged where Django judges configuration.

``manage.py check`` (and every command that runs the checks, runserver among them) reports a mistake
in ``CLEDSS_CDS_CLIENTS`` as the error ``cledss.interop.E001``, with the message that names the EHR
and the field; gunicorn's workers run the same checks before they serve (cledss/gunicorn_conf.py).
"""

from django.core import checks

from .cds_hooks.clients import ClientConfigurationError, registered

CDS_CLIENTS_HINT = 'docs/interop.md, "CDS Hooks: registering an EHR", describes the list.'


def cds_clients(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """The EHRs trusted to call the CDS Hooks service, read as the service will read them."""
    try:
        registered()
    except ClientConfigurationError as error:
        return [checks.Error(str(error), hint=CDS_CLIENTS_HINT, id="cledss.interop.E001")]
    return []
