import re
from http import HTTPStatus
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from careers.models import Role
from programs.models import next_open_start
from tests.careers.test_pages import text

pytestmark = pytest.mark.django_db

URL = reverse("careers:find_your_path")


def ask(client, **answers):
    response = client.get(f"{URL}?{urlencode(answers)}")
    assert response.status_code == HTTPStatus.OK
    return response


def test_blank_form_without_errors_or_recommendation(client, careers_demo, campuses):
    response = client.get(URL)
    assert response.context["form"].errors == {}
    assert "recommendation" not in response.context
    html = response.content.decode()
    assert '<form method="get"' in html
    for name in ["work", "needles", "schedule", "campus"]:
        assert f'name="{name}"' in html
    assert 'value="dallas"' in html
    assert 'value="arlington"' in html
    assert "noindex" not in html


def test_patient_care_answers_recommend_the_clinical_path(client, school):
    response = ask(client, work="patients", needles="yes", schedule="either", campus="either")
    rec = response.context["recommendation"]
    assert rec.role.slug == "clinical-medical-assistant"
    assert {c.slug for c, _ in rec.certifications} == {"cma", "rma", "ccma"}
    assert [m.program for m in rec.programs] == [school["ma"]]
    page = text(response)
    assert "Our suggestion: clinical medical assistant" in page
    assert "Why: You want to care for patients" in page
    assert "Prepares you for the CMA, RMA and CCMA exams." in page
    assert 'name="robots" content="noindex, follow"' in response.content.decode()


def test_office_answers_recommend_the_administrative_path(client, school):
    response = ask(client, work="office", needles="yes", schedule="day", campus="dallas")
    rec = response.context["recommendation"]
    assert rec.role.slug == "administrative-medical-assistant"
    assert {c.slug for c, _ in rec.certifications} == {"cmaa", "maac"}
    assert [m.program for m in rec.programs] == [school["maa"]]
    html = response.content.decode()
    assert f'href="{school["maa"].get_absolute_url()}"' in html
    assert f'href="{school["dallas"].get_absolute_url()}"' in html
    assert (
        f'href="{reverse("programs:request_info")}?program={school["maa"].slug}&amp;campus=dallas"'
        in html
    )


def test_patient_care_without_needles_leads_to_the_front_office_and_says_why(client, school):
    rec = ask(client, work="patients", needles="no", schedule="either", campus="either").context[
        "recommendation"
    ]
    assert rec.role.slug == "administrative-medical-assistant"
    assert "rather avoid needles" in rec.role_why


def test_a_mix_of_both_recommends_the_umbrella_role(client, school):
    rec = ask(client, work="both", needles="unsure", schedule="either", campus="either").context[
        "recommendation"
    ]
    assert rec.role.slug == "medical-assistant"
    assert "not sure about needles" in rec.role_why


def test_next_start_date_is_the_next_upcoming_cohort_at_the_chosen_campus(client, school):
    response = ask(client, work="patients", needles="yes", schedule="day", campus="dallas")
    [match] = response.context["recommendation"].programs
    [offering] = match.offerings
    assert offering.campus == school["dallas"]
    assert offering.next_cohort.start_date == school["first_start"]  # not the past cohort
    assert f"Next start: {school['first_start']:%b}" in match.why
    assert "day classes in Dallas" in match.why


def test_schedule_not_offered_at_campus_shows_the_closest_matches(client, school):
    response = ask(client, work="patients", needles="yes", schedule="evening", campus="dallas")
    rec = response.context["recommendation"]
    assert rec.programs == []
    [alternative] = rec.alternatives
    assert alternative.program == school["ma"]
    assert "doesn't run as evening classes in Dallas" in alternative.why
    assert "evening classes in Arlington" in alternative.why
    assert "None of the programs for this path runs as evening classes in Dallas" in text(response)


def test_no_role_for_the_answer_gets_a_helpful_note(client, careers_demo, campuses):
    Role.objects.filter(recommend_for="office").update(recommend_for="")
    response = ask(client, work="office", needles="yes", schedule="day", campus="either")
    assert response.context["recommendation"].role is None
    assert "an admissions advisor will help you choose" in text(response)


def test_missing_answers_get_a_message_beside_each_field(client, careers_demo, campuses):
    response = ask(client, work="patients")
    form = response.context["form"]
    assert set(form.errors) == {"needles", "schedule", "campus"}
    assert "recommendation" not in response.context
    html = response.content.decode()
    assert "Please answer every question" in html
    assert 'id="id_needles_error"' in html
    assert 'aria-describedby="id_needles_helptext id_needles_error"' in html
    assert "Tell us how you feel about needles." in html
    assert 'href="#id_needles_0"' in html  # the summary links to the field


@pytest.mark.parametrize(
    "query",
    [
        "work=<script>alert(1)</script>&needles=yes&schedule=day&campus=dallas",
        "work=patients&needles=yes&schedule=night&campus=dallas",
        "work=patients&needles=yes&schedule=day&campus=../../etc/passwd",
        "work=patients&needles=yes&schedule=day&campus=houston",
        "work=patients&needles=%00&schedule=day&campus=dallas",
        "work=patients&needles=maybe&schedule=day&campus=dallas",
        "work=" + "x" * 5000 + "&needles=yes&schedule=day&campus=dallas",
        "work[]=patients&needles=yes&schedule=day&campus=dallas",
        "work=%F0%9F%92%89&needles=yes&schedule=day&campus=%E2%80%AE",
        "work=&needles=&schedule=&campus=",
    ],
)
def test_hostile_query_strings_get_messages_not_errors(client, school, query):
    response = client.get(f"{URL}?{query}")
    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors
    assert "recommendation" not in response.context
    html = response.content.decode()
    assert "<script>alert(1)" not in html
    assert "Please answer every question" in html


def test_repeated_parameters_use_the_last_value_without_error(client, school):
    response = client.get(f"{URL}?work=office&work=patients&needles=yes&schedule=day&campus=either")
    assert response.context["recommendation"].role.slug == "clinical-medical-assistant"


def test_unrelated_query_parameters_do_not_trigger_errors(client, careers_demo, campuses):
    response = client.get(f"{URL}?utm_source=newsletter")
    assert response.context["form"].errors == {}
    assert not response.context["form"].is_bound


def test_an_empty_submit_says_what_is_missing_and_changes_nothing_else(client, school):
    # The form sends its "answered" marker; unanswered radio buttons send nothing at all.
    response = client.get(f"{URL}?answered=1")
    assert response.status_code == HTTPStatus.OK
    form = response.context["form"]
    assert set(form.errors) == {"work", "needles", "schedule", "campus"}
    assert "recommendation" not in response.context
    html = response.content.decode()
    summary = html[html.index('id="pathfinder-errors"') :]
    summary = summary[: summary.index("</div>")]
    # The summary takes the focus on load, without a script, and links to each question.
    assert (
        'tabindex="-1"' in html[html.index('class="alert') : html.index('id="pathfinder-errors"')]
    )
    assert "autofocus" in summary
    assert "Please answer every question:" in summary
    for name in ["work", "needles", "schedule", "campus"]:
        assert f'href="#id_{name}_0"' in summary
        # Each question is marked where it is asked.
        assert f'id="id_{name}_error"' in html
        assert f'name="{name}" value=' in html
    assert html.count('aria-invalid="true"') == sum(
        len(form.fields[n].choices) for n in form.errors
    )
    assert response.headers["Cache-Control"].count("no-store") == 1
    assert 'name="robots" content="noindex, follow"' in html


def test_a_partial_submit_keeps_the_answers_given(client, school):
    response = client.get(f"{URL}?answered=1&work=office&campus=dallas")
    assert set(response.context["form"].errors) == {"needles", "schedule"}
    html = response.content.decode()
    assert 'value="office"  id="id_work_1" required checked' in html
    assert 'value="dallas"  id="id_campus_0" required checked' in html
    assert 'href="#id_work_0"' not in html


def test_the_form_sends_its_marker_with_every_submit(client, careers_demo, campuses):
    html = client.get(URL).content.decode()
    form = html[html.index('<form method="get"') :]
    assert '<input type="hidden" name="answered" value="1">' in form[: form.index("</form>")]
    assert "pathfinder-errors" not in html


def test_results_read_as_label_value_lists(client, school):
    response = ask(
        client, work="patients", needles="yes", schedule="day", campus="dallas", answered="1"
    )
    [match] = response.context["recommendation"].programs
    [offering] = match.offerings
    html = response.content.decode()
    result = html[html.index('class="card program-match"') :]
    facts = result[result.index('<dl class="match-facts">') : result.index("</dl>")]
    pairs = re.findall(r"<dt>(.*?)</dt>\s*<dd>(.*?)</dd>", facts, re.S)
    labels = [label for label, _ in pairs]
    assert labels == ["Program", "Campus", "Schedule", "Next start"]
    values = dict(pairs)
    assert values["Program"] == school["ma"].title
    assert ">Dallas</a>" in values["Campus"]
    assert values["Schedule"].startswith("Day")
    # The next start is the offering's next open start (programs.models.next_open_start).
    start = next_open_start(offering)
    assert start.start_date == school["first_start"]
    assert f'<time datetime="{start.start_date:%Y-%m-%d}">' in values["Next start"]
    assert "&middot;" not in facts
