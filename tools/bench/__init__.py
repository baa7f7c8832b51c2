"""`make bench`: the slot list, the needs inbox, the survey results, booking under load,
slot generation and reminders, measured against gunicorn and PostgreSQL with generated
data. docs/benchmarks.md explains each figure.

It fills the database it is given, so it refuses any database that already holds users
or slots: bin/bench creates an empty one for it, sets the environment and runs
`python -m tools.bench`.

This package sets nothing up on import: `__main__` sets Django up before it imports the
modules that use the models.
"""
