"""Structural accessibility checks on the main pages: language, one h1, labelled controls,
named links and buttons, image alternatives, and no skipped heading levels."""

import datetime

import lxml.html
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from sekretariat.bodies.models import Body
from sekretariat.demo import services as demo
from sekretariat.meetings.models import Meeting

pytestmark = pytest.mark.django_db


def problems(html: str) -> list[str]:
    doc = lxml.html.document_fromstring(html)
    found = []
    if doc.get("lang") != "da":
        found.append("html lang is not da")
    if len(doc.xpath("//h1")) != 1:
        found.append(f"{len(doc.xpath('//h1'))} h1 elements")
    labels = {lab.get("for") for lab in doc.xpath("//label[@for]")}
    for control in doc.xpath("//input|//select|//textarea"):
        if control.get("type") in {"hidden", "submit", "button"}:
            continue
        named = (
            control.get("id") in labels
            or control.get("aria-label")
            or control.xpath("ancestor::label")
        )
        if not named:
            found.append(f"unlabelled {control.tag} name={control.get('name')}")
    for link in doc.xpath("//a[@href]"):
        if not (link.text_content().strip() or link.get("aria-label")):
            found.append(f"link without text: {link.get('href')}")
    for button in doc.xpath("//button"):
        if not (button.text_content().strip() or button.get("aria-label")):
            found.append("button without text")
    for img in doc.xpath("//img"):
        if img.get("alt") is None:
            found.append(f"img without alt: {img.get('src')}")
    levels = [
        int(h.tag[1]) for h in doc.xpath("//main//*[self::h1 or self::h2 or self::h3 or self::h4]")
    ]
    for before, after in zip(levels, levels[1:], strict=False):
        if after > before + 1:
            found.append(f"heading level jumps from h{before} to h{after}")
    return found


def test_public_and_secretariat_pages_pass_the_structural_checks(client):
    demo.demo_build(today=datetime.date(2026, 11, 22))
    body = Body.objects.get(slug="kommunaldirektoerkredsen")
    meeting = Meeting.objects.filter(body=body, status="referat_godkendt").first()
    item = meeting.agenda_items.filter(access="aaben").first()
    public = [
        reverse("publishing:home"),
        reverse("publishing:body_list"),
        body.get_absolute_url(),
        meeting.get_absolute_url(),
        item.get_absolute_url(),
        reverse("login"),
    ]
    for url in public:
        assert problems(client.get(url).text) == [], url
    client.force_login(get_user_model().objects.get(username="sekretariat"))
    staff = [
        reverse("meetings:dashboard"),
        reverse("meetings:agenda", kwargs={"pk": meeting.pk}),
        reverse("meetings:item_edit", kwargs={"pk": item.pk}),
        reverse("meetings:meeting_create", kwargs={"slug": body.slug}),
        reverse("meetings:members", kwargs={"slug": body.slug}),
        reverse("meetings:attendance", kwargs={"pk": meeting.pk}),
    ]
    for url in staff:
        assert problems(client.get(url).text) == [], url
