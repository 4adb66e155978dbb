from django.apps import AppConfig


class TrainingcenterConfig(AppConfig):
    name = "trainingcenter"
    verbose_name = "Site"

    def ready(self):
        from trainingcenter import pagecache

        pagecache.connect_signals()
