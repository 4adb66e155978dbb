"""Apply online (mounted at /apply/): choose a start, the application steps, the
applicant's own pages and documents. Views: accounts/apply_views.py."""

from django.urls import path

from accounts import apply_views as views

app_name = "apply"

urlpatterns = [
    path("", views.ChooseStartView.as_view(), name="choose"),
    path("<int:cohort_id>/", views.StartView.as_view(), name="start"),
    path("<int:cohort_id>/account/", views.ApplySignupView.as_view(), name="signup"),
    path("applications/", views.ApplicationListView.as_view(), name="applications"),
    path("applications/<int:pk>/", views.ApplicationDetailView.as_view(), name="application"),
    path(
        "applications/<int:pk>/step/<slug:step>/",
        views.ApplicationStepView.as_view(),
        name="step",
    ),
    path(
        "applications/<int:pk>/withdraw/",
        views.ApplicationWithdrawView.as_view(),
        name="withdraw",
    ),
    path(
        "applications/<int:pk>/interview.ics",
        views.InterviewCalendarView.as_view(),
        name="interview_ics",
    ),
    path("documents/<int:pk>/", views.DocumentView.as_view(), name="document"),
    path("documents/<int:pk>/remove/", views.DocumentRemoveView.as_view(), name="document_remove"),
]
