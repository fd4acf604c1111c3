from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "sekretariat.publishing"
    label = "publishing"
