"""Afregninger: the Django side of the agreements engine (courses, visits, reports, charts)."""
