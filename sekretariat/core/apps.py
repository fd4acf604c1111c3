from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "sekretariat.core"
    label = "core"
