from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

# Machine endpoints (JSON API, CDS Hooks, FHIR) keep one URL whatever the language.
urlpatterns = [
    path("", include("cledss.interop.urls")),
]

# English pages keep their plain URLs; Spanish ones live under /es/, so a printed or
# bookmarked result URL says which language it was read in.
urlpatterns += i18n_patterns(
    path("", include("cledss.assessment.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)
