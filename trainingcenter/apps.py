from django.apps import AppConfig


class TrainingcenterConfig(AppConfig):
    name = "trainingcenter"
    verbose_name = "Site"
