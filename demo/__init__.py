"""Demo data that looks like Brussels, created through the portal's own services.

It stands above every domain app and is imported by none of them: `manage.py demo_data`
and the browser tests load it.
"""
