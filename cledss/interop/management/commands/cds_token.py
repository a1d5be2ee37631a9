import shlex

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from cledss.interop.cds_hooks import development
from cledss.interop.cds_hooks.clients import registered
from cledss.interop.cds_hooks.services import SERVICES

# A request body for each endpoint, shaped like the specification's examples.
EXAMPLES = "cledss/interop/cds_hooks/examples"
BODIES = {
    "cledss-thalidomide-patient-view": f"@{EXAMPLES}/patient-view-scle-hydroxychloroquine.json",
    "cledss-thalidomide-order-select": f"@{EXAMPLES}/order-select-thalidomide-pregnant.json",
    "cledss-thalidomide-order-sign": f"@{EXAMPLES}/order-sign-thalidomide-pregnant.json",
    "feedback": '{"feedback": [{"card": "4e0a3a1e-3283-4575-ab82-028d55fe2719", "outcome": "overridden", '
    '"outcomeTimestamp": "2026-11-26T12:00:00Z"}]}',
}


class Command(BaseCommand):
    help = (
        "Development only: print a CDS Hooks JWT from the local stand-in EHR for one call "
        "(each token is accepted once), or with --curl a whole curl command that uses one."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "endpoint", nargs="?", default="cledss-thalidomide-patient-view",
            help="A service id, 'discovery', or '<service id>/feedback' (default: the patient-view service).",
        )
        parser.add_argument("--curl", action="store_true", help="Print a curl command that calls the endpoint.")

    def handle(self, *args, endpoint, curl, **options):
        if settings.PRODUCTION:
            raise CommandError("cds_token mints development tokens and is refused in production.")
        if not any(client.issuer == development.ISSUER for client in registered()):
            raise CommandError("CLEDSS_CDS_CLIENTS is set, so this instance does not trust the development EHR.")
        path = self._path(endpoint)
        token = development.mint(development.private_key(settings.CDS_DEVELOPMENT_KEYS), settings.CDS_PUBLIC_URL + path)
        if not curl:
            self.stdout.write(token)
            return
        command = ["curl", "-sS", "-H", f"Authorization: Bearer {token}"]
        if endpoint != "discovery":
            body = BODIES["feedback" if endpoint.endswith("/feedback") else endpoint]
            command += ["-H", "Content-Type: application/json", "--data", body]
        self.stdout.write(shlex.join([*command, settings.CDS_PUBLIC_URL + path]))

    def _path(self, endpoint: str) -> str:
        service_id, _, feedback = endpoint.partition("/")
        if endpoint == "discovery":
            return reverse("cds-discovery")
        if service_id not in SERVICES or feedback not in ("", "feedback"):
            raise CommandError(f"Unknown endpoint {endpoint!r}: give 'discovery', a service id or '<id>/feedback'.")
        return reverse("cds-feedback" if feedback else "cds-service", args=[service_id])
