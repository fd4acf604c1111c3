from django.apps import AppConfig


class SettlementsConfig(AppConfig):
    name = "sekretariat.settlements"
    label = "settlements"
    verbose_name = "Afregninger"
