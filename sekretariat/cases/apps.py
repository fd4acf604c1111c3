from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "sekretariat.cases"
    label = "cases"
