from django.urls import path

from . import views

app_name = "assessment"
urlpatterns = [
    path("", views.start, name="start"),
    path("result/", views.result, name="result"),
    path("result/pdf/", views.result_pdf, name="result_pdf"),
]
