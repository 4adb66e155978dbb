from django.urls import path

from careers import views

app_name = "careers"

urlpatterns = [
    path("", views.CareersIndexView.as_view(), name="index"),
    path("certifications/", views.CertificationListView.as_view(), name="certification_list"),
    path(
        "certifications/<slug:slug>/",
        views.CertificationDetailView.as_view(),
        name="certification_detail",
    ),
    path("guides/<slug:slug>/", views.GuideDetailView.as_view(), name="guide_detail"),
    path("find-your-path/", views.FindYourPathView.as_view(), name="find_your_path"),
    path("<slug:slug>/", views.RoleDetailView.as_view(), name="role_detail"),
]
