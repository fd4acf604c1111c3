from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from sekretariat.meetings import body_views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("log-ind/", auth_views.LoginView.as_view(), name="login"),
    path("log-ud/", auth_views.LogoutView.as_view(), name="logout"),
    path("sekretariat/import/", include("sekretariat.ingest.urls")),
    path("sekretariat/", include("sekretariat.meetings.urls")),
    path("sekretariat/", include("sekretariat.bodies.urls")),
    path(
        "sekretariat/fora/<slug:slug>/afsnit/",
        body_views.section_template,
        name="section_template",
    ),
    path("aftaler/", include("sekretariat.settlements.urls")),
    path("soeg/", include("sekretariat.search.urls")),
    path("", include("sekretariat.publishing.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
