"""Django's admin answers a few hostile requests with a 500; these small corrections,
applied once at start-up (CoreConfig.ready), make them the admin's usual answers: a form
error, "this object does not exist", or the changelist's "?e=1". tests/test_hostile_urls.py
finds each of them; remove a correction when the Django it works around is gone.

- `?_to_field=` (empty) on a change or delete page: Django looks up a field named "".
- A value that is not a key (`abc`, a 20-digit number) in an autocomplete field, when the
  form comes back with its errors: the widget looks the value up in the database.
- A 20-digit number in a multiple-choice field, an admin filter or a row of a list's
  editable columns on SQLite, whose integers and dates are narrower than Python's:
  OverflowError when the query runs.
- A NUL character in an admin filter on PostgreSQL, which refuses it in a string:
  ValueError when the query runs.
"""

from django.contrib.admin import options, widgets
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import ValidationError
from django.forms import models as model_forms


def _is_a_key(field, value) -> bool:
    """Whether `value` could be a value of `field` (of the right type, in its range)."""
    try:
        field.run_validators(field.to_python(value))
    except ValidationError:
        return False
    return True


def _get_object(original):
    def get_object(self, request, object_id, from_field=None):
        return original(self, request, object_id, from_field or None)

    return get_object


def _list_editable_queryset(original):
    def get_list_editable_queryset(self, request, prefix):
        edited = self._get_edited_object_pks(request, prefix)
        if all(_is_a_key(self.model._meta.pk, pk) for pk in edited):
            return original(self, request, prefix)
        return self.get_queryset(request)  # what Django does with a key of the wrong type

    return get_list_editable_queryset


def _optgroups(original):
    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        opts = remote.model._meta
        key = opts.get_field(getattr(remote, "field_name", None) or opts.pk.name)
        empty = self.choices.field.empty_values
        value = [v for v in value if str(v) in empty or _is_a_key(key, v)]
        return original(self, name, value, attr)

    return optgroups


def _check_values(original):
    def check_values(self, value):
        try:
            return original(self, value)
        except OverflowError as exc:
            raise ValidationError(
                self.error_messages["invalid_pk_value"],
                code="invalid_pk_value",
                params={"pk": max((str(v) for v in value), key=len, default="")},
            ) from exc

    return check_values


def _get_results(original):
    def get_results(self, request):
        try:
            return original(self, request)
        except (OverflowError, ValueError) as exc:
            raise IncorrectLookupParameters(exc) from exc

    return get_results


def correct_admin_input() -> None:
    if getattr(options.ModelAdmin.get_object, "corrected", False):
        return
    for owner, name, correction in [
        (options.ModelAdmin, "get_object", _get_object),
        (options.ModelAdmin, "_get_list_editable_queryset", _list_editable_queryset),
        (widgets.AutocompleteMixin, "optgroups", _optgroups),
        (model_forms.ModelMultipleChoiceField, "_check_values", _check_values),
        (ChangeList, "get_results", _get_results),
    ]:
        corrected = correction(getattr(owner, name))
        corrected.corrected = True
        setattr(owner, name, corrected)
