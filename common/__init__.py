"""Ground-floor helpers shared by every app: reading spreadsheets, CSV responses and
the boundaries of a day in Brussels. Imports no app of the project."""
