"""The compliance year: how long a completion counts (``validity``), the daily renewal run
(``recertify``), exemptions and extensions, and compliance as of any date."""
