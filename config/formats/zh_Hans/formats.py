"""Chinese date formats beside Django's own: its month-day format pads the month ("01月29日")
while its date format does not ("2026年1月29日"), so a range read "2026年1月26日至01月29日"."""

MONTH_DAY_FORMAT = "n月j日"
