from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "sekretariat.demo"
    label = "demo"
