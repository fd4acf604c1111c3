from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "sekretariat.meetings"
    label = "meetings"
