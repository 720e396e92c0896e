"""The error summary every form page shows at its top (GOV.UK's pattern, WCAG 3.3.1).

``base.html`` asks ``{% form_error_summary as summary %}`` once: the bound forms in the
page's context that have errors become one list of messages, each linked to the input it
concerns, so no page can forget to show it and every page's title starts with "Galat:".
"""

from __future__ import annotations

from django import forms, template
from django.forms.formsets import BaseFormSet

register = template.Library()


def _forms_in(context) -> list:
    """The forms and formsets of the page, each once."""
    found, seen = [], set()
    for value in context.flatten().values():
        if isinstance(value, forms.BaseForm | BaseFormSet) and id(value) not in seen:
            seen.add(id(value))
            found.append(value)
    return found


def _input_id(bound) -> str:
    """The id of the input a link focuses: a radio group's first radio."""
    if bound.is_hidden:
        return ""
    if bound.id_for_label:
        return bound.id_for_label
    subwidgets = bound.subwidgets
    return (subwidgets[0].id_for_label if subwidgets else "") or bound.auto_id or ""


def _first_input_id(form) -> str:
    visible = form.visible_fields()
    return _input_id(visible[0]) if visible else ""


def _entries(form) -> list[dict]:
    """One entry per message: the field's label and the id its link targets."""
    entries = []
    for message in form.non_field_errors():
        entries.append({"target": _first_input_id(form), "label": "", "message": message})
    for bound in form:
        if not bound.errors:
            continue
        target, label = _input_id(bound), "" if bound.is_hidden else str(bound.label)
        if label and not label.endswith(("?", ":")):
            label += ":"  # a question keeps its own mark: "Bagaimana ...? Pilih satu jawaban"
        for message in bound.errors:
            entries.append({"target": target, "label": label, "message": message})
    return entries


def page_error(message: str, *, target: str = "", label: str = "") -> dict:
    """An error that is no form's (a refused upload), for the summary: a view puts it in
    the page's ``page_errors`` list, with the id of the input it concerns."""
    return {"target": target, "label": label, "message": message}


@register.simple_tag(takes_context=True)
def form_error_summary(context) -> list[dict]:
    """Every error of every bound form (and formset) in the context, form by form, then
    the page's own errors (``page_errors``)."""
    entries = []
    for form in _forms_in(context):
        if not form.is_bound:
            continue
        if isinstance(form, BaseFormSet):
            entries += [{"target": "", "label": "", "message": m} for m in form.non_form_errors()]
            for member in form.forms:
                entries += _entries(member) if member.errors else []
        elif form.errors:
            entries += _entries(form)
    return entries + list(context.get("page_errors") or [])
