"""Apply online: the pages of accounts/apply_urls.py (being built)."""

from django.http import Http404
from django.views import View


class _NotYet(View):
    def get(self, request, *args, **kwargs):
        raise Http404


ChooseStartView = StartView = ApplicationListView = ApplicationDetailView = _NotYet
ApplicationStepView = ApplicationWithdrawView = InterviewCalendarView = DocumentView = _NotYet
