"""Edit conflicts: a change form refuses to save over changes made since it was opened.

The form carries a hash of the saved values it shows (its own fields and its editable inline
rows) in a hidden field; on save the hash is taken again from the database, and a mismatch is
refused. No version column is needed, so no migration.
"""

import hashlib
import json

from django import forms
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.forms.models import model_to_dict

VERSION_FIELD = "version"
CONFLICT = (
    "Someone else changed %(name)s since you opened this page, so your changes were not saved. "
    "Open it again to see theirs, then make yours again."
)


def _values(instance, names, known=None):
    """The saved values of instance's named fields; known: those already read (a form's initial)."""
    data = known if known is not None else model_to_dict(instance, fields=names)
    values = {"pk": instance.pk}
    for name in names:
        value = data.get(name)
        if isinstance(value, list | tuple | set):  # many-to-many: the chosen rows
            value = sorted(getattr(v, "pk", v) for v in value)
        values[name] = value
    return values


def version_of(rows):
    """A short hash of [(instance, field names, known values or None), ...], the object first."""
    first, *inline_rows = rows
    inline_rows.sort(key=lambda row: (row[0]._meta.label, row[0].pk))
    payload = [_values(*row) for row in [first, *inline_rows]]
    text = json.dumps(payload, cls=DjangoJSONEncoder, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


class VersionCheck:
    """Form mixin: refuse to save when the object changed after the form was opened."""

    saved_version = None  # the version in the database when the POST arrived

    def clean(self):
        data = super().clean()
        if self.saved_version is not None and data.get(VERSION_FIELD) != self.saved_version:
            raise ValidationError(
                CONFLICT, code="edit_conflict", params={"name": f"“{self.instance}”"}
            )
        return data


class VersionedAdmin:
    """ModelAdmin mixin: optimistic locking on the change form, with no model field."""

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        return [*fieldsets, (None, {"fields": [VERSION_FIELD], "classes": ["hidden"]})]

    def get_form(self, request, obj=None, change=False, **kwargs):
        attrs = {VERSION_FIELD: forms.CharField(required=False, widget=forms.HiddenInput)}
        if obj is not None and request.method == "POST":
            attrs["saved_version"] = self._saved_version(request, obj, kwargs.get("fields"))
        kwargs["form"] = type(self.form.__name__, (VersionCheck, self.form), attrs)
        return super().get_form(request, obj, change, **kwargs)

    def _saved_version(self, request, obj, fields):
        """The version as the database has it now, read the way the change page reads it."""
        own = [
            f
            for f in (fields or [])
            if f != VERSION_FIELD and f not in self._readonly(request, obj)
        ]
        rows = [(obj, self._model_fields(own), None)]
        for inline in self.get_inline_instances(request, obj):
            formset = inline.get_formset(request, obj)
            names = self._model_fields(list(formset.form.base_fields), inline.model)
            if not names:
                continue  # a read-only inline: nothing on this page can overwrite its rows
            queryset = formset(instance=obj, queryset=inline.get_queryset(request)).get_queryset()
            rows += [(row, names, None) for row in queryset]
        return version_of(rows)

    def _readonly(self, request, obj):
        return set(self.get_readonly_fields(request, obj))

    def _model_fields(self, names, model=None):
        opts = (model or self.model)._meta
        concrete = {f.name for f in opts.get_fields() if getattr(f, "editable", False)}
        return [name for name in names if name in concrete]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        form = context["adminform"].form
        if obj is not None and obj.pk and not form.is_bound and VERSION_FIELD in form.fields:
            # Read from what the page already loaded: no query of its own.
            own = self._model_fields([f for f in form.fields if f != VERSION_FIELD])
            rows = [(obj, own, form.initial)]
            for inline in context["inline_admin_formsets"]:
                formset = inline.formset
                names = self._model_fields(list(formset.form.base_fields), formset.model)
                if names:
                    rows += [(row, names, None) for row in formset.get_queryset()]
            form.initial[VERSION_FIELD] = version_of(rows)
        return super().render_change_form(request, context, add, change, form_url, obj)
