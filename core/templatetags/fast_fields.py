"""``{% textarea form.field %}``: a Textarea field written out as Django's own template
(``django/forms/widgets/textarea.html``) writes it, without the template engine. A page that
renders one form per row (the flag queue: fifty dismissal forms) spent most of its time in
the widget template; the output is byte for byte Django's (tests/portal/test_fast_fields.py),
and any other widget is rendered by Django as usual."""

from django import forms, template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


def _attributes(attrs: dict) -> str:
    """``django/forms/widgets/attrs.html``: True bare, False left out, others as text
    (escaped as the template escapes: what is marked safe is left alone)."""
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{conditional_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


@register.simple_tag
def textarea(field) -> SafeString:
    widget = field.field.widget
    if type(widget) is not forms.Textarea or field.field.show_hidden_initial:
        return mark_safe(str(field))  # noqa: S308 (Django's own rendering)
    attrs = field.build_widget_attrs({}, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    context = widget.get_context(field.html_name, field.value(), attrs)["widget"]
    value = conditional_escape(context["value"]) if context["value"] else ""
    return mark_safe(  # noqa: S308 (every part escaped above)
        f'<textarea name="{conditional_escape(context["name"])}"'
        f"{_attributes(context['attrs'])}>\n{value}</textarea>"
    )
