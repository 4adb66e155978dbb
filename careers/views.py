# Interim views so that URL names resolve; the Careers issue replaces each of them.
from django.http import Http404
from django.views import View


class _Pending(View):
    def get(self, request, *args, **kwargs):
        raise Http404


CareersIndexView = CertificationListView = CertificationDetailView = _Pending
GuideDetailView = FindYourPathView = RoleDetailView = _Pending
