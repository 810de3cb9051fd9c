"""The sample city: a fictional city's open-data portal, generated from one seed.

Run ``python -m citybook.city`` to rewrite every file in ``datasets/``. The planted effects and their
true values are documented in ``datasets/PLANTED_EFFECTS.md`` (instructors only).
"""
