"""Planners for what follows the interviews: the hiring-process timeline and the offer.

Pure functions over plain data: the caller passes today's date and the profile's defaults in;
nothing here reads the clock, the disk or the network. Submodules:

- `models`: the profile sections `process:` and `offer:` (pydantic, unknown keys rejected);
- `business_days`: weekends and public holidays of a country and subdivision;
- `timeline`: rounds, decision and paperwork windows, preparation tasks, overdue alerts;
- `ics`: the timeline as an iCalendar file (bytes);
- `offer`: vesting, the year-by-year table, totals, the cliff, comparisons;
- `negotiation`: the negotiation script, filled from the user's numbers and the profile;
- `chart`: a small self-contained SVG of the offer's cumulative pay.
"""
