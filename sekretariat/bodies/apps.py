from django.apps import AppConfig


class BodiesConfig(AppConfig):
    name = "sekretariat.bodies"
    label = "bodies"
