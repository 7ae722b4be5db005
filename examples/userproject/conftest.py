"""Puts the project folder on sys.path (invoice_pipeline.py is imported by the tests)."""
