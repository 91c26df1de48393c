"""Dates written out, one unambiguous format for every page ("12/01/2026" could be either)."""

DATE_FORMAT = "Y年n月j日"
SHORT_DATE_FORMAT = "Y年n月j日"
DATETIME_FORMAT = "Y年n月j日 H:i"
SHORT_DATETIME_FORMAT = "Y年n月j日 H:i"
# Date fields are <input type="date"> (shown in the reader's conventions by the browser, sent
# as ISO 8601); typed dates are accepted in ISO form too.
DATE_INPUT_FORMATS = ["%Y-%m-%d"]
