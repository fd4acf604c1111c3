"""CPR pseudonyms of the IV register: a CPR number in, a key that cannot be turned back out.

A CPR number has few possible values (about 36,500 birth dates times 10,000 serials), so a fast
hash, even keyed, is reversed by trying them all once the key is known. The pseudonym is therefore
scrypt (memory-hard, about 60 ms and 16 MB per number) of the ten digits, salted with the
installation's pseudonymisation key. That key is its own secret (never Django's signing key, never
a default in the source): ``SEKRETARIAT_PSEUDONYM_KEY`` or a key file outside the database (see
``config/settings.py`` and the README, "Keys"). Without it a CPR number is refused, not hashed.

Each pseudonym is stored beside the key's fingerprint (``key_id``), so a rotated key is visible:
after a rotation, courses made under the old key keep their pseudonyms but no longer match a new
referral of the same patient; nothing can re-key them, which is the point.

The number is checked by python-stdnum (ten digits, a real birth date not in the future); the
error never repeats it.
"""

import hashlib

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _
from stdnum.dk import cpr as stdnum_cpr
from stdnum.exceptions import ValidationError

from sekretariat.core.errors import ApplicationError

# scrypt's cost: N = 2^14, r = 8 (16 MB of memory), p = 1; 32 bytes out (64 hex digits).
SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
MIN_KEY_LENGTH = 32


def key_problem() -> str | None:
    """Why the configured pseudonymisation key must not be used, or None."""
    key = getattr(settings, "PSEUDONYM_KEY", None)
    if not key:
        return "No pseudonymisation key is configured (SEKRETARIAT_PSEUDONYM_KEY)."
    if key == settings.SECRET_KEY:
        return "The pseudonymisation key is the same as SECRET_KEY; it must be its own secret."
    if len(key) < MIN_KEY_LENGTH:
        return f"The pseudonymisation key is shorter than {MIN_KEY_LENGTH} characters."
    return None


def _key() -> bytes:
    problem = key_problem()
    if problem:
        raise ImproperlyConfigured(problem)
    return settings.PSEUDONYM_KEY.encode()


def key_id() -> str:
    """A short fingerprint of the key in use (not the key: a one-way hash of it)."""
    return hashlib.sha256(b"sekretariat-pseudonym-key-id:" + _key()).hexdigest()[:12]


def cpr_digits(cpr: str) -> str:
    """The ten digits of a valid CPR number; ApplicationError (without the number) otherwise."""
    try:
        return stdnum_cpr.validate(cpr)
    except ValidationError:
        raise ApplicationError(
            _("This is not a valid CPR number (DDMMYY-XXXX with a real date of birth)."),
            field="cpr",
        ) from None


def patient_key(cpr: str) -> str:
    """The pseudonym of a CPR number: the same number gives the same key in one installation."""
    digits = cpr_digits(cpr)
    try:
        derived = hashlib.scrypt(
            digits.encode(), salt=_key(), n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32
        )
    except ImproperlyConfigured:
        raise ApplicationError(
            _(
                "The installation has no key for CPR pseudonyms; the CPR number cannot be "
                "recorded. Ask the administrator (see 'sekretariat keys')."
            ),
            field="cpr",
        ) from None
    return derived.hex()
