"""French elision before a name: "la permanence d'Atrium", not "de Atrium".

A translated text that puts a name after "of" gets the name through a placeholder
named `of_<thing>` ("Members of %(of_name)s") whose value is `de(name)`. In French that
value carries its own preposition ("d'Impulse", "de Solvay"), so the French msgstr says
"Membres %(of_name)s" without a "de"; in Dutch and English it is the bare name, and
those msgstrs keep their "van"/"of". Why not just `%(name)s` in every language: French
cannot choose between "de" and "d'" before it knows the name, and gettext requires a
msgstr to use exactly the msgid's placeholders, so the choice has to come in the value.
"""

from django.utils import translation

# Elide before a vowel only. Before an "h" French elides when it is mute ("d'Hélène")
# but not when it is aspirated ("de Hal", "de hub.brussels"); names here are mostly
# brands and places, so "h" keeps "de".
_VOWELS = frozenset("aàâäeéèêëiîïoôöuùûüœæ")


def de(name: object) -> str:
    """`name` preceded by "de " or "d'" when the active language is French; as it is in
    any other language."""
    text = str(name)
    if not (translation.get_language() or "").startswith("fr"):
        return text
    if text[:1].lower() in _VOWELS:
        return f"d'{text}"
    return f"de {text}"
