"""The system notes written so far, in whichever language was active then, become codes
and values that each reader sees in their own language. A note a person wrote stays."""

import re

from django.db import migrations

# Each system note as it was written in English, French and Dutch (frozen here: the
# catalogues may change).
FIXED = {
    "routed_by_rules": (
        "Routed by the rules.",
        "Transmis selon les règles.",
        "Doorgestuurd volgens de regels.",
    ),
    "declared_while_booking": (
        "Declared while booking.",
        "Déclaré lors de la réservation.",
        "Gemeld bij het boeken.",
    ),
    "routed_by_coordinator": (
        "Routed by the coordinator.",
        "Transmis par le coordinateur.",
        "Doorgestuurd door de coördinator.",
    ),
    "answered": ("Answered.", "Réponse envoyée.", "Beantwoord."),
    "unassigned": ("Unassigned.", "Attribution retirée.", "Toewijzing ingetrokken."),
}
CODE_OF = {text: code for code, texts in FIXED.items() for text in texts}
ASSIGNED = re.compile(r"^(?:Assigned to|Attribué à|Toegewezen aan) (?P<advisor>.+)\.$", re.S)
TRANSFERRED_FROM = ("Transferred from {}: ", "Transféré depuis {} : ", "Doorgestuurd vanuit {}: ")
TRANSFERRED_FROM_ANY = re.compile(
    r"^(?:Transferred from (?P<a>.+?): |Transféré depuis (?P<b>.+?) : "
    r"|Doorgestuurd vanuit (?P<c>.+?): )(?P<reason>.*)$",
    re.S,
)


def _transferred_from(note: str, agency: str | None) -> tuple[dict, str] | None:
    """({"agency": …}, the reason) of a note "Transferred from X: reason", else None."""
    if agency:
        for template in TRANSFERRED_FROM:
            prefix = template.format(agency)
            if note.startswith(prefix):
                return {"agency": agency}, note[len(prefix) :]
    match = TRANSFERRED_FROM_ANY.match(note)
    if match:
        name = match["a"] or match["b"] or match["c"]
        return {"agency": name}, match["reason"]
    return None


def notes_to_codes(apps, schema_editor):
    RoutedNeedEvent = apps.get_model("needs", "RoutedNeedEvent")
    RoutedNeed = apps.get_model("needs", "RoutedNeed")
    events = (
        RoutedNeedEvent.objects.filter(code="")
        .select_related("routed__transferred_from__agency")
        .order_by("pk")
    )
    changed = []
    for event in events.iterator(chunk_size=2000):
        note = event.note.strip()
        origin = event.routed.transferred_from
        if note in CODE_OF:
            event.code, event.params, event.note = CODE_OF[note], {}, ""
        elif match := ASSIGNED.match(note):
            event.code, event.params, event.note = "assigned", {"advisor": match["advisor"]}, ""
        elif found := _transferred_from(note, origin.agency.short_name if origin else None):
            event.code, (event.params, event.note) = "transferred_from", found
        else:
            continue
        changed.append(event)
    # The step that handed a need on: say where it went (its note, the reason, stays).
    successors = {
        routed.transferred_from_id: routed.agency.short_name
        for routed in RoutedNeed.objects.filter(transferred_from__isnull=False).select_related(
            "agency"
        )
    }
    for event in RoutedNeedEvent.objects.filter(
        code="", to_status="transferred", routed_id__in=list(successors)
    ).exclude(from_status="transferred"):
        event.code, event.params = "transferred_to", {"agency": successors[event.routed_id]}
        changed.append(event)
    RoutedNeedEvent.objects.bulk_update(changed, ["code", "params", "note"], batch_size=1000)


ENGLISH = {code: texts[0] for code, texts in FIXED.items()}


def codes_to_notes(apps, schema_editor):
    """Back to English notes (the codes' columns go away on the way back); a note a
    person wrote wins, as it did before the codes."""
    RoutedNeedEvent = apps.get_model("needs", "RoutedNeedEvent")
    changed = []
    for event in RoutedNeedEvent.objects.exclude(code="").iterator(chunk_size=2000):
        params = event.params or {}
        if event.code == "transferred_from":
            event.note = f"Transferred from {params.get('agency', '')}: {event.note}"
        elif event.code == "assigned":
            event.note = f"Assigned to {params.get('advisor', '')}."
        elif event.code in ENGLISH and not event.note:
            event.note = ENGLISH[event.code]
        else:
            continue
        changed.append(event)
    RoutedNeedEvent.objects.bulk_update(changed, ["note"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("needs", "0006_routedneedevent_code_params")]

    operations = [migrations.RunPython(notes_to_codes, codes_to_notes)]
