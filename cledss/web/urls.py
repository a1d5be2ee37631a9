from django.urls import path

from . import views

app_name = "web"
urlpatterns = [
    path("", views.start, name="start"),
    path("result/", views.result, name="result"),
    path("result/pdf/", views.result_pdf, name="result_pdf"),
    path("result/full-evidence/pdf/", views.full_evidence_pdf, name="full_evidence_pdf"),
    path("result/handout/", views.handout, name="handout"),
    path("result/handout/pdf/", views.handout_pdf, name="handout_pdf"),
    path("whats-new/", views.whats_new, name="whats_new"),
    path("whats-new/feed.json", views.whats_new_json, name="whats_new_json"),
    path("whats-new/feed.atom", views.whats_new_atom, name="whats_new_atom"),
]
