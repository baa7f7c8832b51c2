"""A form field taking several files in one input (Django's documented pattern), each
checked by the app's own function, every refused file named in the errors."""

from collections.abc import Callable, Iterable

from django import forms
from django.core.files.uploadedfile import UploadedFile


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; cleaned to a list (empty when none was sent).

    check: raises ValidationError for a file the app does not accept; every file is
    checked and all their errors are shown together. extensions: what the browser's
    file picker offers (its `accept` attribute)."""

    def __init__(
        self,
        *args,
        check: Callable[[UploadedFile], None] | None = None,
        extensions: Iterable[str] = (),
        **kwargs,
    ):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)
        self.check = check
        extensions = tuple(extensions)
        if extensions:
            self.widget.attrs["accept"] = ",".join(f".{ext}" for ext in extensions)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            files = [single(d, initial) for d in data if d]
        else:
            files = [single(data, initial)] if data else []
        if self.check is not None:
            errors = []
            for upload in files:
                try:
                    self.check(upload)
                except forms.ValidationError as error:
                    errors.extend(error.messages)
            if errors:
                raise forms.ValidationError(errors)
        return files
