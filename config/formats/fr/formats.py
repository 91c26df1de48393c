"""Dates written out, one unambiguous format for every page ("12/01/2026" could be either)."""

DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATETIME_FORMAT = "j F Y, H:i"
# Date fields are <input type="date"> (shown in the reader's conventions by the browser, sent
# as ISO 8601); typed dates are accepted in ISO form too.
DATE_INPUT_FORMATS = ["%Y-%m-%d"]
