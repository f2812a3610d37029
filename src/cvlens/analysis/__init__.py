"""Pure résumé intelligence: extract → parse → review → match.

Nothing in this package may import FastAPI, a database driver or a network client,
so the API, the worker and the CLI all share the same code.
"""
