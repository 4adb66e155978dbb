"""Staff invite someone who asked for information to apply online: an e-mail with the
signed link (and the start chosen), the inquiry marked contacted; only with change_inquiry."""

from datetime import timedelta
from http import HTTPStatus
from urllib.parse import parse_qs, urlparse

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from accounts.services.application_invites import invite_from_token
from programs.models import Inquiry
from tests.factories import make_campus, make_cohort, make_offering, make_program

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    program = make_program(title="Medical Assistant")
    arlington = make_campus(name="Arlington", slug="arlington-inv")
    dallas = make_campus(name="Dallas", slug="dallas-inv")
    soon = timezone.localdate() + timedelta(days=30)
    here = make_cohort(offering=make_offering(program=program, campus=arlington), start_date=soon)
    past = make_cohort(offering=here.offering, start_date=timezone.localdate() - timedelta(days=30))
    elsewhere = make_cohort(offering=make_offering(program=program, campus=dallas), start_date=soon)
    inquiry = Inquiry.objects.create(
        name="Rosa", email="rosa@example.com", program=program, campus=arlington, consent=True
    )
    return {"inquiry": inquiry, "here": here, "past": past, "elsewhere": elsewhere}


def invite_url(inquiry):
    return reverse("admin:programs_inquiry_invite", args=[inquiry.pk])


def test_the_inquiry_page_offers_the_invitation(staff_client, world):
    html = staff_client.get(
        reverse("admin:programs_inquiry_change", args=[world["inquiry"].pk])
    ).content.decode()
    assert invite_url(world["inquiry"]) in html


def test_only_upcoming_starts_of_the_program_and_campus_are_offered(staff_client, world):
    response = staff_client.get(invite_url(world["inquiry"]))
    assert response.status_code == HTTPStatus.OK
    choices = [c.pk for c in response.context["form"].fields["cohort"].queryset]
    assert choices == [world["here"].pk]


def test_invitation_with_a_start(staff_client, world, mailoutbox):
    inquiry = world["inquiry"]
    response = staff_client.post(invite_url(inquiry), {"cohort": world["here"].pk}, follow=True)
    assert "Invitation to apply sent to rosa@example.com" in " ".join(
        str(m) for m in response.context["messages"]
    )
    (mail,) = mailoutbox
    assert mail.to == ["rosa@example.com"]
    assert "Apply online to Medical Assistant" in mail.subject
    link = next(w for w in mail.body.split() if "/apply/?invite=" in w)
    assert link.startswith("http")
    invite = invite_from_token(parse_qs(urlparse(link).query)["invite"][0])
    assert invite.inquiry == inquiry
    assert invite.cohort == world["here"]
    assert link in mail.alternatives[0][0]
    inquiry.refresh_from_db()
    assert inquiry.status == Inquiry.Status.CONTACTED
    assert inquiry.contacted_at is not None


def test_invitation_without_a_start(staff_client, world, mailoutbox):
    staff_client.post(invite_url(world["inquiry"]), {"cohort": ""})
    (mail,) = mailoutbox
    link = next(w for w in mail.body.split() if "/apply/?invite=" in w)
    assert invite_from_token(parse_qs(urlparse(link).query)["invite"][0]).cohort is None


def test_a_start_elsewhere_is_refused_and_nothing_is_sent(staff_client, world, mailoutbox):
    for cohort in (world["elsewhere"], world["past"]):
        response = staff_client.post(invite_url(world["inquiry"]), {"cohort": cohort.pk})
        assert response.status_code == HTTPStatus.OK
        assert "errornote" in response.content.decode()
    assert mailoutbox == []
    world["inquiry"].refresh_from_db()
    assert world["inquiry"].status == Inquiry.Status.NEW


def test_staff_without_change_inquiry_cannot_invite(client, make_user, world, mailoutbox):
    viewer = make_user("viewer@example.com", is_staff=True)
    viewer.user_permissions.set(Permission.objects.filter(codename="view_inquiry"))
    client.force_login(viewer)
    page = client.get(reverse("admin:programs_inquiry_change", args=[world["inquiry"].pk]))
    assert page.status_code == HTTPStatus.OK
    assert invite_url(world["inquiry"]) not in page.content.decode()
    assert client.get(invite_url(world["inquiry"])).status_code == HTTPStatus.FORBIDDEN
    assert client.post(invite_url(world["inquiry"]), {}).status_code == HTTPStatus.FORBIDDEN
    assert mailoutbox == []


def test_students_and_anonymous_are_sent_to_login(client, student, world, mailoutbox):
    assert client.post(invite_url(world["inquiry"]), {}).status_code == HTTPStatus.FOUND
    client.force_login(student)
    assert client.post(invite_url(world["inquiry"]), {}).status_code == HTTPStatus.FOUND
    assert mailoutbox == []
