"""The inquiry admin with "Invite to apply": programs owns inquiries, accounts owns
applications, so the button lives here (accounts may import programs, not the reverse)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse

from accounts.cohorts import cohort_choice_label
from accounts.services.application_invites import inquiry_invite, invite_starts
from programs.admin import InquiryAdmin
from programs.models import Inquiry


class InviteForm(forms.Form):
    cohort = forms.ModelChoiceField(
        label="Start date (optional)",
        queryset=None,
        required=False,
        empty_label="No start: the inquirer chooses one",
    )

    def __init__(self, *args, inquiry, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["cohort"]
        field.queryset = invite_starts(inquiry)
        field.label_from_instance = cohort_choice_label


admin.site.unregister(Inquiry)


@admin.register(Inquiry)
class InquiryInviteAdmin(InquiryAdmin):
    change_form_template = "admin/programs/inquiry/change_form_invite.html"

    def get_urls(self):
        return [
            path(
                "<path:object_id>/invite/",
                self.admin_site.admin_view(self.invite_view),
                name="programs_inquiry_invite",
            ),
            *super().get_urls(),
        ]

    def invite_view(self, request, object_id):
        inquiry = get_object_or_404(
            Inquiry.objects.select_related("program", "campus"), pk=object_id
        )
        if not self.has_change_permission(request, inquiry):
            raise PermissionDenied
        form = InviteForm(request.POST or None, inquiry=inquiry)
        if request.method == "POST" and form.is_valid():
            try:
                inquiry_invite(
                    inquiry=inquiry,
                    cohort=form.cleaned_data["cohort"],
                    by=request.user,
                    request=request,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.message_user(
                    request,
                    f"Invitation to apply sent to {inquiry.email}; the inquiry is marked contacted.",
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(
                    reverse("admin:programs_inquiry_change", args=[inquiry.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "title": f"Invite {inquiry.name} to apply",
            "subtitle": None,
            "opts": self.opts,
            "original": inquiry,
            "inquiry": inquiry,
            "form": form,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/programs/inquiry/invite.html", context)
