"""Form widgets, labels and errors rendered in Python: the same HTML as Django's templates.

Django renders every input, option, label and error list through a template
(django/forms/widgets/*.html), which made them most of the time of the session step card and
of the admin program page. FastRenderer (settings.FORM_RENDERER) builds the stock templates'
output byte for byte in Python, escaping as the template engine does; any other template (an
admin widget, a project override, a widget this module doesn't know) goes to Django's
renderer as before. tests/test_rendering.py renders the app's forms and pages with both and
compares them.
"""

from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeData, SafeString
from django.utils.timezone import template_localtime

WIDGETS = "django/forms/widgets/"
INPUT_TEMPLATES = {
    f"{WIDGETS}{name}.html"
    for name in (
        *("input", "text", "number", "email", "hidden", "password", "url", "search", "tel"),
        *("color", "date", "datetime", "time", "checkbox"),
    )
}
OPTION_TEMPLATES = {f"{WIDGETS}radio_option.html", f"{WIDGETS}checkbox_option.html"}
MULTIPLE_TEMPLATES = {f"{WIDGETS}radio.html", f"{WIDGETS}checkbox_select.html"}


class Unsupported(Exception):
    """A context this module doesn't render exactly: Django's template does it instead."""


def _text(value):
    """{{ value }} with autoescaping, as the template engine prints it."""
    kind = type(value)
    if kind is str:  # most names, labels and ids: nothing to localise
        return escape(value)
    if kind is SafeString:
        return value
    value = localize(template_localtime(value))
    if not isinstance(value, str):
        value = str(value)
    return conditional_escape(value)


def _format(value):
    """{{ value|stringformat:'s' }}: no localisation; safe input stays unescaped."""
    text = "%s" % (str(value) if isinstance(value, tuple) else value)
    return text if isinstance(value, SafeData) else escape(text)


def _attrs(attrs):
    """django/forms/widgets/attrs.html (and django/forms/attrs.html)."""
    return "".join(
        f" {_text(name)}" if value is True else f' {_text(name)}="{_format(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget):
    value = widget["value"]
    shown = "" if value is None else f' value="{_format(value)}"'
    return (
        f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"'
        f"{shown}{_attrs(widget['attrs'])}>\n"
    )


def _input_option(widget):
    """django/forms/widgets/input_option.html, then the radio/checkbox_option newline."""
    if not widget.get("wrap_label"):
        return _input(widget) + "\n\n"
    label_for = widget["attrs"].get("id")
    opening = f'<label for="{_text(label_for)}">' if label_for else "<label>"
    return f"{opening}{_input(widget)} {_text(widget['label'])}</label>\n\n"


def _option(option):
    if option.get("template_name") != f"{WIDGETS}select_option.html":
        raise Unsupported(option.get("template_name"))
    return (
        f'<option value="{_format(option["value"])}"{_attrs(option["attrs"])}>'
        f"{_text(option['label'])}</option>\n"
    )


def _select(widget):
    parts = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        parts.extend(f"\n  {_option(option)}" for option in options)
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>\n")
    return "".join(parts)


def _multiple(widget):
    attrs = widget["attrs"]
    parts = ["<div"]
    if attrs.get("id"):
        parts.append(f' id="{_text(attrs["id"])}"')
    if attrs.get("class"):
        parts.append(f' class="{_text(attrs["class"])}"')
    parts.append(">")
    for group, options, _index in widget["optgroups"]:
        if group:
            parts.append(f"\n  <div><label>{_text(group)}</label>")
        for option in options:
            if option.get("template_name") not in OPTION_TEMPLATES:
                raise Unsupported(option.get("template_name"))
            parts.append(f"<div>\n    {_input_option(option)}</div>")
        if group:
            parts.append("\n  </div>")
    parts.append("\n</div>\n")
    return "".join(parts)


def _textarea(widget):
    value = widget["value"]
    return (
        f'<textarea name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>\n'
        f"{_text(value) if value else ''}</textarea>\n"
    )


def _label(context):
    label = _text(context["label"])
    if not context["use_tag"]:
        return label
    tag = _text(context["tag"])
    return f"<{tag}{_attrs(context['attrs'])}>{label}</{tag}>"


def _errors(context):
    errors = context["errors"]
    if not errors:
        return ""
    field_id = getattr(errors, "field_id", None)
    id_attr = f' id="{_text(field_id)}_error"' if field_id else ""
    items = "".join(f"<li>{_text(error)}</li>" for error in errors)
    return f'<ul class="{_text(context["error_class"])}"{id_attr}>{items}</ul>'


def _field(context):
    """django/forms/field.html (a field's label, help, errors and widget: as_field_group)."""
    field = context["field"]
    fieldset = field.use_fieldset
    if fieldset:
        described = field.aria_describedby
        described = f' aria-describedby="{_text(described)}"' if described else ""
        head = f"\n  <fieldset{described}>\n  {_text(field.legend_tag()) if field.label else ''}\n"
    else:
        head = f"\n  {_text(field.label_tag()) if field.label else ''}\n"
    help_text = ""
    if field.help_text:
        id_attr = f' id="{_text(field.auto_id)}_helptext"' if field.auto_id else ""
        help_text = f'<div class="helptext"{id_attr}>{field.help_text!s}</div>'
    end = "</fieldset>" if fieldset else ""
    return f"{head}\n{help_text}\n{_text(field.errors)}\n{_text(field)}{end}\n"


def _widget(render):
    return lambda context: render(context["widget"])


FAST = {
    **{name: _widget(_input) for name in INPUT_TEMPLATES},
    **{name: _widget(_input_option) for name in OPTION_TEMPLATES},
    **{name: _widget(_multiple) for name in MULTIPLE_TEMPLATES},
    f"{WIDGETS}select.html": _widget(_select),
    f"{WIDGETS}textarea.html": _widget(_textarea),
    "django/forms/label.html": _label,
    "django/forms/errors/list/default.html": _errors,
    "django/forms/errors/list/ul.html": _errors,
    "django/forms/field.html": _field,
}


class FastRenderer(DjangoTemplates):
    """Django's form renderer, with the stock widget templates done in Python."""

    def render(self, template_name, context, request=None):
        fast = FAST.get(template_name)
        if fast is not None:
            try:
                return fast(context).strip()
            except (Unsupported, KeyError):
                pass
        return super().render(template_name, context, request)
