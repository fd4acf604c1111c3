"""The project's URLs plus the import screens, until sekretariat/config/urls.py includes them."""

from django.urls import include, path

urlpatterns = [
    path("sekretariat/import/", include("sekretariat.ingest.urls")),
    path("", include("sekretariat.config.urls")),
]
