"""The program page's prescription rows, written in Python and kept in the cache.

A plan's rows are most of the admin program page. `{% prescription_rows inline_admin_formset %}`
writes every row with admin/programs/program/prescription_row.html, and
`{{ inline_admin_form|compact_fields }}` writes a saved row's fields there (the lines of fields,
the folded "More") without a template loop over every field of every row; new rows and the
empty form keep the stock markup, help included.

A saved row shown unedited (an unbound formset: a GET) is a pure function of its values, its
exercise, its place on the page and what every row shares (permissions, choices, language,
code): its HTML is kept in the shared cache under a digest of exactly those, so an edit to any
of them is a new key, never a stale row, and a fifty-row plan costs about what a five-row one
does. Its form is then never built (PrescriptionFormSet in programs/admin/formsets.py). A row
with errors is in a bound formset, showing what the therapist entered: never cached.
"""

import hashlib

from django import template
from django.conf import settings
from django.core.cache import cache
from django.template.loader import get_template
from django.urls import get_script_prefix, get_urlconf
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from programs.page_cache import code_version
from programs.views import fragments

register = template.Library()
ROW_TEMPLATE = "admin/programs/program/prescription_row.html"
TIMEOUT = 24 * 3600


@register.simple_tag
def prescription_rows(inline_admin_formset):
    """Every row of the inline, in order: saved rows of an unbound formset from the cache."""
    formset = inline_admin_formset.formset
    rows = list(inline_admin_formset)
    keys = {}
    if not formset.is_bound:
        shared = _shared_inputs(inline_admin_formset)
        keys = {
            index: _key(shared, index, row.original)
            for index, row in enumerate(rows)
            if row.original is not None and row.original.pk is not None
        }
    kept = cache.get_many(list(keys.values())) if keys else {}
    html, new = [], {}
    for index, row in enumerate(rows):
        key = keys.get(index)
        text = kept.get(key) if key else None
        if text is None:
            text = _render(inline_admin_formset, row, index, len(rows))
            if key:
                new[key] = text
        html.append(text)
    if new:
        cache.set_many(new, TIMEOUT)
    return mark_safe("".join(html))


def _render(inline_admin_formset, row, index, count):
    """One row, with a context of its own: it depends on nothing else of the page's."""
    formset = inline_admin_formset.formset
    empty = index == count - 1 and inline_admin_formset.has_add_permission
    context = {
        "inline_admin_formset": inline_admin_formset,
        "formset": formset,
        "prefix": formset.prefix,
        "inline_admin_form": row,
        "row_id": "empty" if empty else str(index),
        "number": index + 1,
        "empty": empty,
    }
    return get_template(ROW_TEMPLATE).render(context)


def _shared_inputs(inline_admin_formset):
    """What every saved row's HTML depends on besides its own values and index."""
    formset = inline_admin_formset.formset
    return (
        code_version(),
        settings.FORM_RENDERER,
        get_language(),
        get_script_prefix(),
        get_urlconf(),
        formset.prefix,
        formset.can_delete,
        inline_admin_formset.has_add_permission,
        inline_admin_formset.has_change_permission,
        inline_admin_formset.has_delete_permission,
        inline_admin_formset.has_view_permission,
        repr(inline_admin_formset.fieldsets),
        repr(tuple(inline_admin_formset.readonly_fields)),
        [
            (name, [(str(v), str(label)) for v, label in choices])
            for name, choices in formset.shared_choices
        ],
    )


def _key(shared, index, prescription):
    # The exercise's name, in every language, is among its values; the language is shared.
    inputs = (shared, index, fragments.row(prescription), fragments.row(prescription.exercise))
    return "admin-row:" + hashlib.sha256(repr(inputs).encode()).hexdigest()


@register.filter
def compact_fields(inline_admin_form):
    form = inline_admin_form.form
    parts = []
    for fieldset in inline_admin_form:
        if fieldset.name:
            summary = form.more_summary
            parts.append(
                format_html(
                    '<details class="rx-more"{}><summary>{}{}</summary>',
                    mark_safe(" open") if form.more_has_errors else "",
                    fieldset.name,
                    f": {summary}" if summary else "",
                )
            )
        for line in fieldset:
            parts.append('<div class="rx-line">')
            parts.extend(_field(form, field) for field in line)
            parts.append("</div>")
        if fieldset.name:
            parts.append("</details>")
    return mark_safe("".join(parts))


def _field(form, field):
    if field.is_readonly:
        return format_html(
            '<div class="rx-dose"><span>{}</span><div class="readonly">{}</div></div>',
            field.field["label"],
            field.contents(),
        )
    bound = field.field
    errors = field.errors()
    if bound.name == "weekdays":
        boxes = ""
        if form.shows_weekdays:
            boxes = "".join(
                format_html(
                    '<label><input type="checkbox" name="{}" value="{}"{}>{}</label>',
                    option.data["name"],
                    option.data["value"],
                    mark_safe(" checked") if option.data["selected"] else "",
                    option.choice_label,
                )
                for option in bound
            )
        html = format_html(
            '<fieldset data-weekdays="{}"><legend>Weekdays</legend>{}</fieldset>',
            bound.html_name,
            mark_safe(boxes),
        )
    else:
        html = format_html(
            "<label{}>{}{}</label>",
            mark_safe(' class="errors"') if errors else "",
            bound.label,
            bound,
        )
    return html + conditional_escape(errors) if errors else html
