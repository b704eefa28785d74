"""The program page's saved prescription rows, written in Python.

A plan's rows are most of the admin program page; the template loop over every field of every
row (admin/programs/program/prescription_inline.html) cost more than everything else on it.
`{{ inline_admin_form|compact_fields }}` writes the same markup (the lines of fields, the
folded "More") for one saved row; new rows and the empty form keep the template's stock
markup, help included.
"""

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

register = template.Library()


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
