from django.urls import path

from programs import views

app_name = "programs"

urlpatterns = [
    path("campuses/", views.CampusListView.as_view(), name="campus_list"),
    path("campuses/<slug:slug>/", views.CampusDetailView.as_view(), name="campus_detail"),
    path("programs/", views.ProgramListView.as_view(), name="list"),
    path("programs/<slug:slug>/", views.ProgramDetailView.as_view(), name="detail"),
    path("request-info/", views.RequestInfoView.as_view(), name="request_info"),
    path(
        "request-info/thank-you/", views.RequestInfoThanksView.as_view(), name="request_info_thanks"
    ),
    path("disclosures/", views.DisclosuresView.as_view(), name="disclosures"),
]
