# Interim views so that portal URL names resolve; the Portal issue replaces them.
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.views import View
from django.views.generic import TemplateView


class DashboardView(LoginRequiredMixin, TemplateView):
    template_name = "accounts/dashboard.html"


class _Pending(LoginRequiredMixin, View):
    def get(self, request, *args, **kwargs):
        raise Http404


PathDetailView = EvidenceDownloadView = CredentialsView = ProfileView = _Pending
ProfileExportView = _Pending


class InvitationAcceptView(View):
    def get(self, request, *args, **kwargs):
        raise Http404
