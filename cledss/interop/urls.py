from django.urls import path

from . import views
from .api import api
from .cds_hooks import views as cds_hooks

urlpatterns = [
    path("api/", api.urls),
    path("fhir/Bundle/evidence", views.fhir_evidence_bundle, name="fhir-evidence-bundle"),
    path("cds-services", cds_hooks.discovery, name="cds-discovery"),
    path("cds-services/<slug:service_id>", cds_hooks.service, name="cds-service"),
    path("cds-services/<slug:service_id>/feedback", cds_hooks.feedback, name="cds-feedback"),
]
