"""The installation's own deployment checks (`sekretariat check --deploy`), beside Django's.

`sekretariat serve` asks the same question before it starts (`secret_key_problem`): outside debug
it refuses the development signing key, which is in the source and therefore known to everyone.
"""

from django.conf import settings
from django.core.checks import Error, Tags, register

KEY_HINT = (
    "Set SEKRETARIAT_SECRET_KEY (or SEKRETARIAT_SECRET_KEY_FILE), or run "
    "`sekretariat keys --create` to write a random key into the data dir."
)


def secret_key_problem() -> str | None:
    """Why the signing key must not be used in production, or None."""
    if settings.SECRET_KEY == settings.DEVELOPMENT_SECRET_KEY:
        return "SECRET_KEY is the development key from the source code."
    return None


@register(Tags.security, deploy=True)
def check_secret_key(app_configs=None, **kwargs):
    problem = secret_key_problem()
    return [Error(problem, hint=KEY_HINT, id="sekretariat.E001")] if problem else []
