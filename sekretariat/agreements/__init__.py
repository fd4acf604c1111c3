"""Samarbejdsaftaler: the pure engine for the IV agreement (no Django, no other app).

- ``model``: an agreement as frozen dataclasses; ``registry``: the explicit list of agreements and
  the loader that validates their data files (``data/*.json``).
- ``eligibility``: may a referral be treated in municipal care, and if not, every reason why.
- ``settlement``: the staircase settlement of one region's courses for one year.
- ``monitoring``: quarterly figures per municipality and robust deviations.
- ``money``: Decimal amounts and the one rounding function; ``errors``: the error hierarchy.
- ``csvio`` and ``cli``: ``sekretariat iv settle`` (the Django command in ``settlements`` wraps it).
"""
