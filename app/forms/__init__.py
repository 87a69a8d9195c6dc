"""Use cases on apps, forms and records: the service layer over ``form_engine``."""
