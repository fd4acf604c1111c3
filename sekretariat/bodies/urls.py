"""The secretariat's register, under /sekretariat/ beside its meeting screens."""

from django.urls import path

from . import views

app_name = "bodies"

urlpatterns = [
    path("register/", views.register, name="register"),
    path("organisationer/", views.organisation_list, name="organisation_list"),
    path("organisationer/ny/", views.organisation_create, name="organisation_create"),
    path("organisationer/<int:pk>/", views.organisation_edit, name="organisation_edit"),
    path("sekretariater/", views.secretariat_list, name="secretariat_list"),
    path("sekretariater/nyt/", views.secretariat_create, name="secretariat_create"),
    path("sekretariater/<int:pk>/", views.secretariat_edit, name="secretariat_edit"),
    path("fora/", views.body_list, name="body_list"),
    path("fora/nyt/", views.body_create, name="body_create"),
    path("fora/<slug:slug>/rediger/", views.body_edit, name="body_edit"),
    path("personer/", views.person_list, name="person_list"),
    path("personer/ny/", views.person_create, name="person_create"),
    path("personer/<int:pk>/", views.person_edit, name="person_edit"),
]
