# Interim view so that the portal URL resolves; the Portal issue replaces it.
from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView


class DashboardView(LoginRequiredMixin, TemplateView):
    template_name = "accounts/dashboard.html"
