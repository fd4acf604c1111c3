from django.apps import AppConfig


class IngestConfig(AppConfig):
    name = "sekretariat.ingest"
    label = "ingest"
