"""The IV screens: course register, settlement runs and statements, monitoring report, population.

Thin views: rights come from ``selectors.request_course_viewer`` (the public is sent to the log-in
page, users without course rights get 403, another municipality's course or statement is 404),
reads go through selectors and reports, writes through services. The course's steps (which steps
a course offers, which are refused and why) come from the one table in ``workflow``; the screen of
each step (its form, the service it calls, its message) from ``steps``.
"""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from sekretariat.core.errors import ApplicationError

from . import documents, forms, reports, selectors, services, steps, workflow
from .models import Course

COURSES_PER_PAGE = 50


COURSES, SETTLEMENTS, SETTLE, GRANT = "courses", "settlements", "settle", "grant"


def _viewer(request, need: str = COURSES) -> selectors.CourseViewer:
    """The request's IV rights; 403 unless they cover ``need``."""
    viewer = selectors.request_course_viewer(request)
    allowed = {
        COURSES: viewer.may_see_courses,
        SETTLEMENTS: viewer.may_see_settlements,
        SETTLE: viewer.may_settle,
        GRANT: viewer.may_grant,
    }[need]
    if not allowed:
        raise PermissionDenied
    return viewer


def _form_error(form, exc: ApplicationError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


def _download(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def home(request):
    viewer = selectors.request_course_viewer(request)
    if not viewer.may_use_register:
        raise PermissionDenied
    return render(
        request,
        "settlements/home.html",
        {
            "counts": selectors.course_counts_by_status(viewer=viewer),
            "statuses": Course.Status.choices,
            "runs": selectors.run_list(viewer=viewer)[:5],
            "course_viewer": viewer,
        },
    )


@login_required
def course_list(request):
    viewer = _viewer(request)
    form = forms.CourseFilterForm(
        request.GET or None,
        municipalities=selectors.municipalities_visible(viewer=viewer),
        years=selectors.course_years(viewer=viewer),
    )
    filters = form.cleaned_data if form.is_valid() else {}
    courses = selectors.course_list(
        viewer=viewer,
        status=filters.get("status") or "",
        municipality_id=getattr(filters.get("municipality"), "pk", None),
        year=filters.get("year"),
    )
    page = Paginator(courses, COURSES_PER_PAGE).get_page(request.GET.get("side"))
    query = request.GET.copy()
    query.pop("side", None)
    return render(
        request,
        "settlements/course_list.html",
        {"form": form, "page": page, "query": query.urlencode(), "course_viewer": viewer},
    )


@sensitive_post_parameters("cpr")
@login_required
def course_create(request):
    viewer = _viewer(request)
    municipalities = selectors.municipalities_visible(viewer=viewer).filter(
        pk__in=viewer.municipality_ids
    )
    if not municipalities:
        raise PermissionDenied
    form = forms.ReferralForm(
        request.POST or None, municipalities=municipalities, regions=selectors.regions()
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["referred_at"] = data["referred_at"] or None
        try:
            course = services.course_refer(actor=request.user, **data)
        except ApplicationError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Course %(ref)s is referred.") % {"ref": course.reference})
            return redirect("settlements:course_detail", pk=course.pk)
    return render(request, "settlements/course_form.html", {"form": form, "course_viewer": viewer})


@login_required
def course_detail(request, pk: int, step_forms: dict | None = None):
    viewer = _viewer(request)
    course = selectors.course_detail(viewer=viewer, pk=pk)
    editable = viewer.may_edit(course.municipality_id)
    return render(
        request,
        "settlements/course_detail.html",
        {
            "course": course,
            "events": selectors.course_events(course),
            "editable": editable,
            "show_note": viewer.may_read_note(course),
            "step_forms": (step_forms or steps.open_forms(course)) if editable else {},
            "eligibility": services.course_eligibility(course)
            if course.status == Course.Status.REFERRED
            else None,
            "type_label": dict(forms.type_choices()).get(course.treatment_type),
            "course_viewer": viewer,
        },
    )


@login_required
@require_POST
def course_step(request, pk: int, step: str):
    """One step of the table in ``workflow`` through its screen in ``steps``; a step not open
    now gets the table's message."""
    viewer = _viewer(request)
    course = selectors.course_detail(viewer=viewer, pk=pk)
    chosen = workflow.step_for_slug(step)
    if chosen is None or not viewer.may_edit(course.municipality_id):
        raise PermissionDenied
    try:
        workflow.require(course, chosen)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return course_detail(request, pk)
    step_forms = steps.open_forms(course, chosen, request.POST)
    form = step_forms[chosen]
    if form.is_valid():
        screen = steps.SCREENS[chosen]
        try:
            screen.perform(course, form.cleaned_data, request.user)
        except ApplicationError as exc:
            _form_error(form, exc)
            messages.error(request, exc.message)
        else:
            messages.success(request, screen.done)
            return redirect("settlements:course_detail", pk=course.pk)
    return course_detail(request, pk, step_forms)


# --- settlement runs and statements ---------------------------------------------------------


@login_required
def run_list(request):
    viewer = _viewer(request, SETTLEMENTS)
    form = None
    if viewer.may_settle:
        form = forms.SettlementRunForm(
            request.POST or None,
            regions=selectors.regions(),
            initial={"year": timezone.localdate().year - 1},
        )
    elif request.method == "POST":
        raise PermissionDenied
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            run = services.settlement_run_create(actor=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("The settlement is run and stored."))
            return redirect("settlements:run_detail", pk=run.pk)
    return render(
        request,
        "settlements/run_list.html",
        {"runs": selectors.run_list(viewer=viewer), "form": form, "course_viewer": viewer},
    )


@login_required
def run_detail(request, pk: int):
    viewer = _viewer(request, SETTLEMENTS)
    run = selectors.run_detail(viewer=viewer, pk=pk)
    return render(
        request,
        "settlements/run_detail.html",
        {
            "run": run,
            "statements": selectors.statements_for_run(viewer=viewer, run=run),
            "course_viewer": viewer,
        },
    )


@login_required
def run_csv(request, pk: int):
    viewer = _viewer(request, SETTLEMENTS)
    run = selectors.run_detail(viewer=viewer, pk=pk)
    if not (viewer.may_settle or run.region_id in viewer.finance_region_ids):
        raise PermissionDenied
    stream = io.StringIO()
    documents.run_lines_csv(run, stream)
    return _download(
        stream.getvalue().encode("utf-8"), "text/csv; charset=utf-8", documents.run_file_name(run)
    )


def _statement(request, pk: int, municipality_pk: int):
    viewer = _viewer(request, SETTLEMENTS)
    run = selectors.run_detail(viewer=viewer, pk=pk)
    return selectors.statement_detail(viewer=viewer, run=run, municipality_id=municipality_pk)


@login_required
def statement_pdf(request, pk: int, municipality_pk: int):
    statement = _statement(request, pk, municipality_pk)
    pdf = documents.statement_pdf(statement, base_url=request.build_absolute_uri("/"))
    return _download(pdf, "application/pdf", documents.statement_file_name(statement, "pdf"))


@login_required
def statement_xlsx(request, pk: int, municipality_pk: int):
    statement = _statement(request, pk, municipality_pk)
    return _download(
        documents.statement_xlsx(statement),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        documents.statement_file_name(statement, "xlsx"),
    )


# --- monitoring report ----------------------------------------------------------------------


def _report(request, *, with_charts: bool = True):
    """The report the query string asks for (defaults: first region, latest year with
    courses, the latest quarter), or None with the form's errors."""
    viewer = _viewer(request, SETTLEMENTS)
    region_list = selectors.regions()
    data = request.GET
    if not data:
        own = region_list.filter(pk__in=viewer.finance_region_ids)
        region = own.first() or region_list.first()
        year = selectors.report_default_year(region=region) or timezone.localdate().year
        data = {
            "region": region.pk if region else "",
            "year": year,
            "quarter": reports.latest_quarter(timezone.localdate(), year),
            "agreement_id": forms.agreement_choices()[0][0],
        }
    form = forms.ReportForm(data, regions=region_list)
    if not form.is_valid():
        return form, None
    report = reports.monitoring_report(with_charts=with_charts, **form.cleaned_data)
    return form, report


@login_required
def report(request):
    form, report = _report(request)
    return render(
        request,
        "settlements/report.html",
        {
            "form": form,
            "report": report,
            "query": request.GET.urlencode(),
            "course_viewer": selectors.request_course_viewer(request),
        },
    )


@login_required
def report_pdf(request):
    form, report = _report(request)
    if report is None:
        return redirect("settlements:report")
    pdf = documents.report_pdf(report, base_url=request.build_absolute_uri("/"))
    return _download(pdf, "application/pdf", documents.report_file_name(report))


# --- population -----------------------------------------------------------------------------


@login_required
def population(request):
    viewer = _viewer(request, SETTLE)
    form = forms.PopulationUploadForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        try:
            count = services.population_import(
                data=form.cleaned_data["file"].read(), actor=request.user
            )
        except ApplicationError as exc:
            problems = exc.message.splitlines()
        else:
            messages.success(
                request, _("%(count)d population figures are imported.") % {"count": count}
            )
            return redirect("settlements:population")
    return render(
        request,
        "settlements/population.html",
        {
            "form": form,
            "problems": problems,
            "figures": selectors.population_list(),
            "course_viewer": viewer,
        },
    )


# --- access to the register ------------------------------------------------------------------


@login_required
def access(request):
    """Who may use the IV register: the grants in force, the history, and a form to grant."""
    viewer = _viewer(request, GRANT)
    form = forms.AccessGrantForm(
        request.POST or None,
        users=selectors.access_users(exclude=request.user),
        organisations=selectors.access_organisations(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.course_access_grant(actor=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("The access is granted and recorded."))
            return redirect("settlements:access")
    return render(
        request,
        "settlements/access.html",
        {
            "form": form,
            "grants": selectors.access_list(active=True),
            "history": selectors.access_list(active=False)[:100],
            "course_viewer": viewer,
        },
    )


@login_required
@require_POST
def access_revoke(request, pk: int):
    _viewer(request, GRANT)
    grant = selectors.access_get(pk=pk)
    try:
        services.course_access_revoke(access=grant, actor=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The access is revoked."))
    return redirect("settlements:access")
