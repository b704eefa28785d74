"""The program page's formset of prescription rows (its forms are in programs/admin/forms.py)."""

import functools

from django import forms
from django.utils.functional import cached_property

from programs.admin.forms import SHARED_CHOICES
from programs.models.prescription import overlap_error
from programs.schedule import Rx, overlapping


class PrescriptionFormSet(forms.BaseInlineFormSet):
    """The program page's rows. Shown unedited, saved rows are forms built only when needed.

    Building a form deep-copies its twenty fields and their choices, which made a fifty-row
    plan slow to open even with every row's HTML in the cache (prescription_rows.py). So a
    saved row of an unbound formset starts as a PrescriptionForm that holds its instance and
    prefix only, and becomes a real one, by the formset's usual steps, the first time anything
    else is asked of it (a cache miss renders it; code and tests may read its fields). A bound
    formset (a POST) builds every form at once, as Django does.
    """

    @cached_property
    def empty_form(self):
        # The page reads it four times (the new-row template, the picker, media, the JS data).
        return super().empty_form

    @property
    def media(self):
        return self.empty_form.media  # the same widgets as every row: no saved row is built

    def is_multipart(self):
        return self.empty_form.is_multipart()

    def _construct_form(self, i, **kwargs):
        if self.is_bound or "instance" in kwargs or i >= self.initial_form_count():
            return super()._construct_form(i, **kwargs)
        form = self.form.__new__(self.form)
        form.__dict__.update(
            instance=self.get_queryset()[i],
            prefix=self.add_prefix(i),
            compact=True,
            _build=functools.partial(self._build, form, i, kwargs),
        )
        return form

    def _build(self, form, i, kwargs):
        """Run Django's construction of form i on the unbuilt form itself."""
        preset = dict(form.__dict__)  # anything set on it before stays set
        # Django's _construct_form calls self.form(**defaults): initialise this one instead.
        self.form = lambda **defaults: form.__init__(**defaults) or form
        try:
            super()._construct_form(i, **kwargs)
        finally:
            del self.form
        form.__dict__.update(preset)

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        if index is not None and index < self.initial_form_count():
            kwargs["auto_id"] = False  # saved rows: labels wrap their inputs, no ids to repeat
        return kwargs

    @property
    def shared_choices(self):
        """(name, choices) of the selects that saved rows render with their chosen option only."""
        fields = self.form.base_fields
        return [(name, fields[name].choices) for name in SHARED_CHOICES if name in fields]

    def clean(self):
        """Refuse two rows that give the same exercise to the same leg in the same weeks.

        The model checks each row against the saved ones; here the rows are checked together,
        as the therapist has just edited them, with the same rule (programs.schedule).
        """
        super().clean()
        rows = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or not data.get("exercise"):
                continue
            rows.append(
                Rx(
                    key=data["exercise"],
                    week_from=data.get("week_from") or 1,
                    week_to=data.get("week_to"),
                    exercise=data["exercise"].pk,
                    side=data.get("side") or "both",
                )
            )
        clashes = overlapping(rows)
        if clashes:
            raise overlap_error(clashes[0][0].key.name)
