"""Self-service dashboards: charts (a definition over one form, compiled by the form engine
to one SQL aggregate), their data, drill-downs and Excel copies, cached per viewer's data
scope; dashboards that lay charts out with global filters and sharing.

Above the rules and the forms, below the app packages; nothing below imports it. Its
after-commit subscribers (``generations``) are connected in ``app.wiring``.
"""
