"""Deployment check of the IV register: the CPR pseudonyms' key (see ``pseudonyms``)."""

from django.core.checks import Error, Tags, register

from . import pseudonyms


@register(Tags.security, deploy=True)
def check_pseudonym_key(app_configs=None, **kwargs):
    problem = pseudonyms.key_problem()
    if not problem:
        return []
    return [
        Error(
            problem,
            hint="Set SEKRETARIAT_PSEUDONYM_KEY (or SEKRETARIAT_PSEUDONYM_KEY_FILE), or run "
            "`sekretariat keys --create`.",
            id="sekretariat.E101",
        )
    ]
