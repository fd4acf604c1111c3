import pytest
from django.conf import settings

# Until the project lists the app in INSTALLED_APPS these tests run with
# --ds=sekretariat.search.tests.settings; under the project's settings they are skipped.
if "sekretariat.search" not in settings.INSTALLED_APPS:
    collect_ignore_glob = ["test_*.py"]
else:
    from sekretariat.search import services


@pytest.fixture
def catch_up():
    """Bring the index up to date, as the next search request would."""

    def run():
        while services.search_catch_up(limit=1000):
            pass

    return run
