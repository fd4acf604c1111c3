"""The IV screens as a nurse and the region use them: dates inside the agreement, steps dated when
they happened, and a monitoring report that opens on a year with data and speaks Danish."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from sekretariat.core.errors import ApplicationError
from sekretariat.settlements import services

from . import factories as f

pytestmark = pytest.mark.django_db


def test_a_referral_outside_the_agreements_period_is_refused_at_once():
    org, reg = f.municipality(), f.region()
    with pytest.raises(ApplicationError) as exc:
        f.referred(org, reg, day=datetime.date(2019, 6, 3))
    assert exc.value.field == "referred_at"
    assert "Aftalen gælder fra 4. oktober 2021" in exc.value.message
    assert "2. juni 2019" in exc.value.message  # the day before the first day, as received


def test_the_referral_form_states_the_period_and_does_not_suggest_a_day_outside_it(client):
    org = f.municipality()
    client.force_login(f.municipal_user(org))
    r = client.get(reverse("settlements:course_create"))
    assert "Aftalen gælder fra 4. oktober 2021" in r.text
    # hovedstaden-2021 ran for two years: today (2026) is outside, so no date is filled in.
    if timezone.localdate() > datetime.date(2023, 10, 3):
        assert 'name="referred_at" value=' not in r.text


def test_a_step_is_dated_when_it_happened_never_in_the_future_or_before_the_referral(client):
    org, reg = f.municipality(), f.region()
    course = f.referred(org, reg, day=datetime.date(2022, 3, 1))  # received 28 Feb 11.00
    with pytest.raises(ApplicationError) as exc:
        services.course_assess(
            course=course, accept=True, at=timezone.now() + datetime.timedelta(days=2)
        )
    assert "fremtiden" in exc.value.message
    with pytest.raises(ApplicationError, match="før henvisningen"):
        services.course_assess(course=course, accept=True, at=f.aware(datetime.date(2022, 2, 27)))
    client.force_login(f.municipal_user(org))
    url = reverse("settlements:course_step", kwargs={"pk": course.pk, "step": "vurdering"})
    r = client.post(url, {"decision": "accept", "assessed_at": "2022-02-28T15:30"})
    assert r.status_code == 302
    course.refresh_from_db()
    assert timezone.localtime(course.assessed_at).strftime("%Y-%m-%d %H:%M") == "2022-02-28 15:30"
    url = reverse("settlements:course_step", kwargs={"pk": course.pk, "step": "plan"})
    r = client.post(
        url,
        {
            "plan_text": "Plan 7d3e",
            "start_date": "2022-03-01",
            "plan_recorded_at": "2022-02-28T16:00",
        },
    )
    assert r.status_code == 302
    course.refresh_from_db()
    assert timezone.localtime(course.plan_recorded_at).hour == 16


def test_the_report_opens_on_the_latest_year_with_referrals_and_says_when_a_year_is_empty(client):
    org, reg = f.municipality("Tomkommune 7d3e"), f.region("Region Tom 7d3e")
    for i in range(3):
        f.completed(org, reg, type_code="vaeske", start=datetime.date(2022, 5, 2 + i), days=5)
    client.force_login(f.finance_user(reg))
    r = client.get(reverse("settlements:report"))
    assert r.status_code == 200
    assert "Region Tom 7d3e 2022" in r.text and "<svg" in r.text
    # The parameters table names the type, never its code.
    assert "IV-væske" in r.text and ">vaeske" not in r.text and " vaeske " not in r.text
    empty = (
        reverse("settlements:report")
        + f"?region={reg.pk}&year=2024&quarter=4&agreement_id={f.AGREEMENT}"
    )
    r = client.get(empty)
    assert "Ingen henvisninger og ingen forløb i 2024" in r.text
    assert "<svg" not in r.text


ENGLISH_MONTHS = re.compile(r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\b")


def test_dates_on_the_iv_pages_have_danish_month_names(client):
    org, reg = f.municipality(), f.region()
    course = f.completed(org, reg, start=datetime.date(2022, 9, 12), days=5)
    client.force_login(f.municipal_user(org))
    for url in (
        reverse("settlements:home"),
        reverse("settlements:course_list"),
        reverse("settlements:course_detail", kwargs={"pk": course.pk}),
    ):
        text = client.get(url).text
        assert not ENGLISH_MONTHS.search(text), (url, ENGLISH_MONTHS.search(text))
    assert (
        "september 2022"
        in client.get(reverse("settlements:course_detail", kwargs={"pk": course.pk})).text
    )
