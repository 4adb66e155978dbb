from django.urls import path

from accounts import feeds, views

app_name = "portal"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("paths/<int:pk>/", views.PathDetailView.as_view(), name="path_detail"),
    path(
        "evidence/<int:pk>/download/",
        views.EvidenceDownloadView.as_view(),
        name="evidence_download",
    ),
    path("credentials/", views.CredentialsView.as_view(), name="credentials"),
    path("profile/", views.ProfileView.as_view(), name="profile"),
    path("profile/export.json", views.ProfileExportView.as_view(), name="profile_export"),
    path("invitation/<str:token>/", views.InvitationAcceptView.as_view(), name="invitation_accept"),
    # Calendar feed (feeds.py)
    path("calendar/<str:token>.ics", feeds.CalendarFeedView.as_view(), name="calendar"),
    path("calendar/reset/", feeds.CalendarResetView.as_view(), name="calendar_reset"),
]
