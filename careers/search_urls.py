"""The site search's URL, mounted at /search/ beside the other public pages."""

from django.urls import path

from careers import views

app_name = "search"

urlpatterns = [
    path("", views.SearchView.as_view(), name="results"),
]
