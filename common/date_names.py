"""Abbreviated day and month names as French and Dutch write them.

Short dates are written `date:"D j N"` ("mer. 2 déc.", "ma 7 dec. 2026"), never with
`M`, which Django title-cases ("Déc"). Django's own catalogues give French weekday
abbreviations without their full stop ("mer") and Dutch month abbreviations without
theirs ("dec"); the project's catalogues, which Django reads before its own
(LOCALE_PATHS), correct them, as they give weekday names in lower case ("lundi",
"maandag": a name starting a heading gets `|capfirst`).

Nothing imports this module: it lists the msgids so that `makemessages` keeps those
entries. An entry found in no source would be marked obsolete, and obsolete entries are
not compiled, so Django's forms would come back.
"""

from django.utils.translation import gettext_noop, pgettext_lazy

WEEKDAYS_ABBR = [
    gettext_noop("Mon"),
    gettext_noop("Tue"),
    gettext_noop("Wed"),
    gettext_noop("Thu"),
    gettext_noop("Fri"),
    gettext_noop("Sat"),
    gettext_noop("Sun"),
]

# The format character `N` reads these (Django's "abbrev. month" context).
MONTHS_ABBR = [
    pgettext_lazy("abbrev. month", "Jan."),
    pgettext_lazy("abbrev. month", "Feb."),
    pgettext_lazy("abbrev. month", "March"),
    pgettext_lazy("abbrev. month", "April"),
    pgettext_lazy("abbrev. month", "May"),
    pgettext_lazy("abbrev. month", "June"),
    pgettext_lazy("abbrev. month", "July"),
    pgettext_lazy("abbrev. month", "Aug."),
    pgettext_lazy("abbrev. month", "Sept."),
    pgettext_lazy("abbrev. month", "Oct."),
    pgettext_lazy("abbrev. month", "Nov."),
    pgettext_lazy("abbrev. month", "Dec."),
]
