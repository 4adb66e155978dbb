# Interim views so that the calendar URL names resolve; the Portal issue replaces them.
from django.http import Http404
from django.views import View


class CalendarFeedView(View):
    def get(self, request, *args, **kwargs):
        raise Http404


CalendarResetView = CalendarFeedView
