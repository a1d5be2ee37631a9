from django.urls import path

from . import views
from .api import api

urlpatterns = [
    path("api/", api.urls),
    path("fhir/Bundle/evidence", views.fhir_evidence_bundle, name="fhir-evidence-bundle"),
]
