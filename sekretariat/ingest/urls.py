from django.urls import path

from . import views

app_name = "ingest"

urlpatterns = [
    path("", views.upload, name="upload"),
    path("<int:pk>/", views.review, name="review"),
    path("<int:pk>/kasser/", views.discard, name="discard"),
]
