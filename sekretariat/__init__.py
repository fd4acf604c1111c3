"""Sekretariat: the working system of Danish joint-municipal secretariats."""
