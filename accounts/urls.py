from django.urls import path

from accounts import feeds, views

app_name = "portal"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("paths/<int:pk>/", views.PathDetailView.as_view(), name="path_detail"),
    path("steps/<int:pk>/count/", views.StepActionView.as_view(action="count"), name="step_count"),
    path("steps/<int:pk>/date/", views.StepActionView.as_view(action="date"), name="step_date"),
    path("steps/<int:pk>/done/", views.StepActionView.as_view(action="done"), name="step_done"),
    path(
        "steps/<int:pk>/evidence/",
        views.StepActionView.as_view(action="evidence"),
        name="step_evidence",
    ),
    path(
        "evidence/<int:pk>/download/",
        views.EvidenceDownloadView.as_view(),
        name="evidence_download",
    ),
    path(
        "evidence/<int:pk>/view/",
        views.EvidenceInlineView.as_view(),
        name="evidence_inline",
    ),
    path("notices/seen/", views.NoticesSeenView.as_view(), name="notices_seen"),
    path(
        "evidence/<int:pk>/preview.jpg",
        views.EvidenceThumbnailView.as_view(),
        name="evidence_thumbnail",
    ),
    path(
        "evidence/<int:pk>/withdraw/",
        views.EvidenceWithdrawView.as_view(),
        name="evidence_withdraw",
    ),
    path("credentials/", views.CredentialsView.as_view(), name="credentials"),
    path("credentials/<int:pk>/ce/", views.CEActivityAddView.as_view(), name="ce_add"),
    path("ce/<int:pk>/delete/", views.CEActivityDeleteView.as_view(), name="ce_delete"),
    path("ce/<int:pk>/proof/", views.CEProofDownloadView.as_view(), name="ce_proof_download"),
    path("profile/", views.ProfileView.as_view(), name="profile"),
    path("profile/photo/", views.ProfilePhotoView.as_view(), name="profile_photo"),
    path("profile/export.json", views.ProfileExportView.as_view(), name="profile_export"),
    path("invitation/<str:token>/", views.InvitationAcceptView.as_view(), name="invitation_accept"),
    # Calendar feed (feeds.py)
    path("calendar/<str:token>.ics", feeds.CalendarFeedView.as_view(), name="calendar"),
    path("calendar/reset/", feeds.CalendarResetView.as_view(), name="calendar_reset"),
]
