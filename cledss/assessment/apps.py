from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "cledss.assessment"
    verbose_name = "Assessment"
