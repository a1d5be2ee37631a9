from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from . import health
from .web import views as web_views

# Machine endpoints (JSON API, CDS Hooks, FHIR, health) keep one URL whatever the language.
urlpatterns = [
    path("", include("cledss.interop.urls")),
    path("health/", health.health, name="health"),
    path("language/<str:code>/", web_views.choose_language, name="choose_language"),
]

# English pages keep their plain URLs; Spanish ones live under /es/, so a printed or
# bookmarked result URL says which language it was read in.
urlpatterns += i18n_patterns(
    path("", include("cledss.web.urls")),
    path(settings.ADMIN_URL, admin.site.urls),
    prefix_default_language=False,
)

handler500 = "cledss.failures.server_error"
