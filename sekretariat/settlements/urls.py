from django.urls import path

from . import views

app_name = "settlements"

urlpatterns = [
    path("", views.home, name="home"),
    path("forloeb/", views.course_list, name="course_list"),
    path("forloeb/ny/", views.course_create, name="course_create"),
    path("forloeb/<int:pk>/", views.course_detail, name="course_detail"),
    path("forloeb/<int:pk>/<slug:step>/", views.course_step, name="course_step"),
    path("afregning/", views.run_list, name="run_list"),
    path("afregning/<int:pk>/", views.run_detail, name="run_detail"),
    path("afregning/<int:pk>/forloeb.csv", views.run_csv, name="run_csv"),
    path(
        "afregning/<int:pk>/kommune/<int:municipality_pk>.pdf",
        views.statement_pdf,
        name="statement_pdf",
    ),
    path(
        "afregning/<int:pk>/kommune/<int:municipality_pk>.xlsx",
        views.statement_xlsx,
        name="statement_xlsx",
    ),
    path("monitorering/", views.report, name="report"),
    path("monitorering/rapport.pdf", views.report_pdf, name="report_pdf"),
    path("folketal/", views.population, name="population"),
    path("adgang/", views.access, name="access"),
    path("adgang/<int:pk>/tilbagekald/", views.access_revoke, name="access_revoke"),
]
