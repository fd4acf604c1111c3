"""Test settings until the project installs the app: the project's settings plus search."""

from sekretariat.config.settings import *  # noqa: F403

if "sekretariat.search" not in INSTALLED_APPS:  # noqa: F405
    INSTALLED_APPS = [*INSTALLED_APPS, "sekretariat.search"]  # noqa: F405
