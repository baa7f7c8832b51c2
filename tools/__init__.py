"""Development-only tools: the benchmark (`python -m tools.bench`, through `make bench`) and
the process harness the worker tests and the benchmark share. Not in the production image
(.dockerignore); nothing the site deploys imports them.
"""
