from django.apps import AppConfig


class SettlementsConfig(AppConfig):
    name = "sekretariat.settlements"
    label = "settlements"
    verbose_name = "Afregninger"

    def ready(self):
        from . import checks  # noqa: F401 - registers the deployment check of the CPR key
