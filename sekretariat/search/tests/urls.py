"""The project's URLs plus search, for the tests until the project includes it itself."""

from django.urls import include, path

from sekretariat.config.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    path("soeg/", include("sekretariat.search.urls")),
    *[p for p in project_urlpatterns if getattr(p, "app_name", None) != "search"],
]
