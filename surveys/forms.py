from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Question
from .services import Answered


class SurveyForm(forms.Form):
    """One field per question, grouped by section in the template. Required questions
    are marked; a missing answer is said next to its question."""

    def __init__(self, *args, sections, **kwargs):
        super().__init__(*args, **kwargs)
        self.sections = []
        for section in sections:
            names = []
            for question in section.questions.all():
                name = f"q{question.pk}"
                self.fields[name] = self._field(question)
                self.fields[name].question = question
                names.append(name)
            if names:
                self.sections.append((section, names))

    def _field(self, question: Question) -> forms.Field:
        common = {
            "label": question.text,
            "help_text": question.help_text,
            "required": question.required,
        }
        if question.kind in (Question.Kind.RATING, Question.Kind.NPS):
            low, high = (1, 5) if question.kind == Question.Kind.RATING else (0, 10)
            return forms.TypedChoiceField(
                choices=[(n, str(n)) for n in range(low, high + 1)],
                coerce=int,
                empty_value=None,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose a value.")},
                **common,
            )
        if question.kind == Question.Kind.SINGLE:
            return forms.ModelChoiceField(
                queryset=question.choices.all(),
                widget=forms.RadioSelect,
                empty_label=None,
                error_messages={"required": _("Choose one answer.")},
                **common,
            )
        if question.kind == Question.Kind.MULTIPLE:
            return forms.ModelMultipleChoiceField(
                queryset=question.choices.all(),
                widget=forms.CheckboxSelectMultiple,
                error_messages={"required": _("Choose at least one answer.")},
                **common,
            )
        return forms.CharField(
            widget=forms.Textarea(attrs={"rows": 4}),
            max_length=5000,
            error_messages={"required": _("Please write an answer.")},
            **common,
        )

    def section_fields(self):
        for section, names in self.sections:
            yield section, [self[name] for name in names]

    def answers(self) -> list[Answered]:
        answered = []
        for name, field in self.fields.items():
            value = self.cleaned_data.get(name)
            question = field.question
            if question.kind in (Question.Kind.RATING, Question.Kind.NPS):
                answered.append(Answered(question, number=value))
            elif question.kind == Question.Kind.SINGLE:
                answered.append(Answered(question, choices=(value,) if value else ()))
            elif question.kind == Question.Kind.MULTIPLE:
                answered.append(Answered(question, choices=tuple(value or ())))
            else:
                answered.append(Answered(question, text=(value or "").strip()))
        return answered
