from django.urls import path

from . import views

app_name = "assessment"
urlpatterns = [
    path("", views.start, name="start"),
    path("result/", views.result, name="result"),
    path("result/pdf/", views.result_pdf, name="result_pdf"),
    path("result/handout/", views.handout, name="handout"),
    path("result/handout/pdf/", views.handout_pdf, name="handout_pdf"),
]
