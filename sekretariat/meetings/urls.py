from django.urls import path

from . import body_views, views

app_name = "meetings"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("fora/<slug:slug>/nyt-moede/", views.meeting_create, name="meeting_create"),
    path("fora/<slug:slug>/moedeplan/", views.meeting_plan, name="meeting_plan"),
    path("fora/<slug:slug>/medlemmer/", body_views.members, name="members"),
    path(
        "fora/<slug:slug>/medlemmer/<int:pk>/ophoer/",
        body_views.membership_end,
        name="membership_end",
    ),
    path("fora/<slug:slug>/kommissorium/", body_views.terms_of_reference, name="terms"),
    path("moeder/<int:pk>/", views.agenda, name="agenda"),
    path("moeder/<int:pk>/rediger/", views.meeting_edit, name="meeting_edit"),
    path("moeder/<int:pk>/punkter/nyt/", views.item_add, name="item_add"),
    path("moeder/<int:pk>/handling/<slug:action>/", views.agenda_action, name="agenda_action"),
    path("moeder/<int:pk>/deltagere/", views.attendance, name="attendance"),
    path("moeder/<int:pk>/referat/", views.minutes, name="minutes"),
    path("punkter/<int:pk>/", views.item_edit, name="item_edit"),
    path("punkter/<int:pk>/flyt/", views.item_move_to, name="item_move_to"),
    path("punkter/<int:pk>/flyt/<slug:direction>/", views.item_move, name="item_move"),
    path("punkter/<int:pk>/slet/", views.item_delete, name="item_delete"),
    path("punkter/<int:pk>/bilag/", views.attachment_add, name="attachment_add"),
    path("punkter/<int:pk>/beslutning/", views.decision_save, name="decision_save"),
    path("punkter/<int:pk>/rettelse/", views.correction, name="correction"),
    path("bilag/<int:pk>/slet/", views.attachment_delete, name="attachment_delete"),
]
