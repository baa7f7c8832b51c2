"""Demo data that looks like Brussels: `manage.py demo_data` and the browser tests load it."""
