"""The form for a spec's fields, for the applicant's draft and the counter's walk-in file.

Not a Django form: the fields are data, and their checks live in ``values`` (one place for
the pages, the services and the model). This class reads what was posted under its prefix
into the shapes ``details_clean`` takes, and lays the fields out for
``permits/details/_fields.html`` with the values to show and each field's message.
"""

from __future__ import annotations

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.templatetags.form_errors import page_error
from permits.details.spec import FieldKind, label, text_in
from permits.details.values import Cleaned, details_clean
from places.selectors import Gazetteer

EXTRA_ROWS = 2  # empty rows offered under a list's rows (more with "add a row")


class DetailsForm:
    prefix = "d"

    def __init__(self, spec: list[dict], *, places: Gazetteer, data=None, initial=None):
        self.spec, self.places = spec, places
        self.data = data
        self.initial = initial or {}
        self.cleaned: Cleaned | None = None

    @property
    def is_bound(self) -> bool:
        return self.data is not None

    def name(self, *parts) -> str:
        return "-".join([self.prefix, *map(str, parts)])

    def _get(self, *parts) -> str:
        return self.data.get(self.name(*parts), "")

    def raw(self) -> dict:
        """What was posted, as ``details_clean`` reads it."""
        raw = {}
        for field in self.spec:
            key, kind = field["key"], field["kind"]
            if kind == FieldKind.ADDRESS:
                raw[key] = {part: self._get(key, part) for part in ("street", "kecamatan", "desa")}
            elif kind == FieldKind.POINT:
                raw[key] = {"lat": self._get(key, "lat"), "lon": self._get(key, "lon")}
            elif kind == FieldKind.ROWS:
                try:
                    count = min(
                        int(self._get(key, "count") or 0), field.get("max_rows", 50) + EXTRA_ROWS
                    )
                except ValueError:
                    count = 0
                raw[key] = [
                    {c["key"]: self._get(key, i, c["key"]) for c in field["columns"]}
                    for i in range(count)
                ]
            else:
                raw[key] = self._get(key)
        return raw

    def validate(self, *, complete: bool = False) -> Cleaned:
        self.cleaned = details_clean(self.spec, self.raw(), places=self.places, complete=complete)
        return self.cleaned

    @property
    def errors(self) -> dict[str, str]:
        return self.cleaned.errors if self.cleaned else {}

    def merged(self, stored: dict) -> dict:
        """The document to keep: what was posted and holds, and for a field posted wrong,
        the value stored before (the page shows the wrong input with its message)."""
        values = dict(self.cleaned.values)
        for key in self.cleaned.errors:
            if key in stored:
                values[key] = stored[key]
        return values

    def page_errors(self) -> list[dict]:
        """The messages for the page's error summary, each linked to its field's input."""
        inputs = {FieldKind.ADDRESS: "-street", FieldKind.POINT: "-lat"}
        return [
            page_error(message, target=f"id_{self.name(key)}{inputs.get(kind, '')}")
            for key, kind, message in (
                (f["key"], f["kind"], self.errors[f["key"]])
                for f in self.spec
                if f["key"] in self.errors
            )
        ]

    # --- layout ----------------------------------------------------------------------

    def items(self) -> list[dict]:
        """Each field with what the template needs: names, values shown, message."""
        language = get_language() or "id"
        shown = self.raw() if self.is_bound else self.initial
        items = []
        for field in self.spec:
            key, kind = field["key"], field["kind"]
            value = shown.get(key)
            item = {
                "key": key,
                "kind": kind,
                "id": f"id_{self.name(key)}",
                "name": self.name(key),
                "label": label(field, language),
                "help": text_in(field, "help", language),
                "required": field.get("required", True),
                "error": self.errors.get(key, ""),
            }
            item["help_id"], item["error_id"] = f"{item['id']}-help", f"{item['id']}-error"
            described = [(item["help"], item["help_id"]), (item["error"], item["error_id"])]
            item["describedby"] = " ".join(ref for text, ref in described if text)
            item.update(self._layout(field, value, language))
            items.append(item)
        return items

    def _layout(self, field: dict, value, language: str) -> dict:
        kind = field["kind"]
        if kind == FieldKind.ADDRESS:
            value = value if isinstance(value, dict) else {}
            return {
                "street": value.get("street", ""),
                "kecamatan": value.get("kecamatan", ""),
                "desa": value.get("desa", ""),
                "places": self.places.grouped(),
            }
        if kind == FieldKind.POINT:
            value = value if isinstance(value, dict) else {}
            return {"lat": value.get("lat", ""), "lon": value.get("lon", "")}
        if kind == FieldKind.ROWS:
            rows = value if isinstance(value, list) else []
            rows = [r for r in rows if any(v not in ("", None) for v in r.values())]
            rows += [{}] * EXTRA_ROWS
            columns = [self._column(c, language) for c in field["columns"]]
            return {
                "columns": columns,
                "count": len(rows),
                "rows": [
                    [
                        {
                            **column,
                            "name": self.name(field["key"], i, column["key"]),
                            "value": _shown(row.get(column["key"])),
                        }
                        for column in columns
                    ]
                    for i, row in enumerate(rows)
                ],
            }
        return {**self._column(field, language), "value": _shown(value)}

    def _column(self, field: dict, language: str) -> dict:
        """The input of a plain value (a field or a list's column)."""
        kind = field["kind"]
        out = {"key": field["key"], "kind": kind, "label": label(field, language)}
        if kind == FieldKind.CHOICE:
            out["choices"] = [(c["value"], label(c, language)) for c in field["choices"]]
        elif kind == FieldKind.YES_NO:
            out["choices"] = [("yes", _("Ya")), ("no", _("Tidak"))]
        elif kind in (FieldKind.NUMBER, FieldKind.AREA):
            out["unit"] = "m²" if kind == FieldKind.AREA else text_in(field, "unit", language)
            out["min"], out["max"] = field.get("min", ""), field.get("max", "")
            out["step"] = "1" if field.get("integer") else "any"
        elif kind == FieldKind.TEXT:
            out["multiline"] = field.get("multiline", False)
            out["max_length"] = field.get("max_length", 200)
            out["example"] = field.get("example", "")
        return out


def _shown(value) -> str:
    """A stored or posted value as an input holds it."""
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return "" if value is None else str(value)
