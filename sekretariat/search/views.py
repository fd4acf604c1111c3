"""The search page and its JSON twin: the same form, the same selector, the same results."""

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from sekretariat.bodies.selectors import request_viewer

from . import selectors, services
from .forms import MULTI, SearchForm, facet_groups, page_url


def _results(request):
    # A search only reads: the index is kept current by the events' consumers.
    rebuild_pending = services.search_rebuild_needed()
    form = SearchForm(request.GET)
    results = selectors.search(
        form.query_text,
        request_viewer(request),
        form.filters(),
        page=form.page_number,
        order=form.chosen_order,
        all_words=form.only_all_words,
    )
    if rebuild_pending:
        results.notices.append(
            _("The search index is waiting to be rebuilt; until then some results may be missing.")
        )
    return form, results


def search_page(request):
    form, results = _results(request)
    context = {
        "form": form,
        "results": results,
        "facet_groups": facet_groups(request.GET, results.facets),
        "hidden_filters": [(k, v) for k in (*MULTI, "year") for v in request.GET.getlist(k)],
        "previous_url": page_url(request.GET, results.page - 1) if results.has_previous else "",
        "next_url": page_url(request.GET, results.page + 1) if results.has_next else "",
    }
    return render(request, "search/search.html", context)


def search_json(request):
    _form, results = _results(request)
    return JsonResponse(results.as_json(), json_dumps_params={"ensure_ascii": False})
