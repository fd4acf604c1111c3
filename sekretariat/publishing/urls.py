from django.urls import path

from . import feeds, views

app_name = "publishing"

urlpatterns = [
    path("", views.home, name="home"),
    path("fora/", views.body_list, name="body_list"),
    path("fora/<slug:slug>/", views.body_detail, name="body"),
    path("fora/<slug:slug>/moedeplan/<int:year>/", views.body_detail, name="body_year"),
    path("fora/<slug:slug>/kalender.ics", views.body_calendar, name="body_calendar"),
    path(
        "fora/<slug:slug>/beslutninger.xml",
        feeds.BodyDecisionsFeed(),
        name="body_decisions_feed",
    ),
    path("moeder/<int:pk>/", views.meeting_detail, name="meeting"),
    path("moeder/<int:pk>/dagsorden.pdf", views.meeting_pdf, {"kind": "agenda"}, name="agenda_pdf"),
    path("moeder/<int:pk>/referat.pdf", views.meeting_pdf, {"kind": "minutes"}, name="minutes_pdf"),
    path("moeder/<int:meeting_pk>/punkter/<int:pk>/", views.item_detail, name="item"),
    path("bilag/<int:pk>/", views.attachment_download, name="attachment"),
    path("sager/<path:journal_number>/", views.case_detail, name="case"),
]
