from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("cledss.assessment.urls")),
    path("admin/", admin.site.urls),
    path("", include("cledss.interop.urls")),
]
