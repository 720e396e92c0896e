"""``{% textarea %}`` writes what Django's widget template writes, byte for byte: unbound,
bound with awkward text, with errors (aria-invalid), with help text (aria-describedby),
disabled, and a field that is not a plain Textarea falls back to Django."""

import pytest
from django import forms
from django.template import Context, Template

from integrity.inspection.forms import DismissForm


class Several(forms.Form):
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=50)
    optional = forms.CharField(
        required=False, help_text="Boleh kosong", widget=forms.Textarea(attrs={"cols": 20})
    )
    locked = forms.CharField(disabled=True, initial="a & b", widget=forms.Textarea)
    line = forms.CharField(required=False)


def both(field) -> tuple[str, str]:
    ours = Template("{% load fast_fields %}{% textarea field %}").render(Context({"field": field}))
    return ours, str(field)


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"note": "", "optional": ""},
        {"note": "<script>alert(\"x\")</script> & 'kutip'\nbaris 2", "optional": "ok"},
        {"note": "x" * 60, "optional": "\n\nawal kosong"},
    ],
)
@pytest.mark.parametrize("name", ["note", "optional", "locked", "line"])
def test_it_is_what_django_renders(data, name):
    form = Several(data, auto_id="f-%s")
    form.is_valid() if data is not None else None
    ours, django = both(form[name])
    assert ours == django


def test_the_flag_queues_dismissal_form_is_what_django_renders(db):
    class Flag:
        public_id = "3f1c"

    for data in (None, {"reason": ""}, {"reason": "Sudah diperiksa <b>wajar</b>"}):
        form = DismissForm.for_flag(Flag(), data=data)
        if data is not None:
            form.is_valid()
        ours, django = both(form["reason"])
        assert ours == django


def test_what_is_marked_safe_is_left_alone_as_django_leaves_it():
    from django.utils.safestring import mark_safe

    class Safe(forms.Form):
        note = forms.CharField(
            initial=mark_safe("<b>tebal</b> &amp; tipis"),
            widget=forms.Textarea(attrs={"placeholder": mark_safe("a &amp; b"), "rows": 3}),
        )

    ours, django = both(Safe(auto_id="s-%s")["note"])
    assert ours == django
