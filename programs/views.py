# Interim views so that URL names resolve; the Programs issue replaces each of them.
from django.http import Http404
from django.views import View


class _Pending(View):
    def get(self, request, *args, **kwargs):
        raise Http404


CampusListView = CampusDetailView = ProgramListView = ProgramDetailView = _Pending
RequestInfoView = RequestInfoThanksView = DisclosuresView = _Pending
