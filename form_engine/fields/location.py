"""A place: latitude, longitude and an address, stored as one JSON value."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Column

from form_engine.fields.base import FieldError, FieldType, nullable


class LocationField(FieldType):
    name = "location"
    expr_type = None
    ui = "location"

    def json_schema(self, field: dict) -> dict:
        return nullable(
            {
                "type": "object",
                "properties": {
                    "lat": {"type": "number", "minimum": -90, "maximum": 90},
                    "lng": {"type": "number", "minimum": -180, "maximum": 180},
                    "address": {"type": "string", "maxLength": 500},
                },
                "required": ["lat", "lng"],
                "additionalProperties": False,
            }
        )

    def column(self, field: dict) -> Column:
        return Column(field["key"], JSON)

    def coerce(self, field: dict, value: Any) -> Any:
        if value is None or value == "":
            return None
        if isinstance(value, str):  # "31.23,121.47" or "31.23,121.47,上海市..."
            parts = [p.strip() for p in value.replace("，", ",").split(",", 2)]
            if len(parts) < 2:
                raise FieldError("Give a location as 'latitude,longitude[,address]'.")
            value = {
                "lat": parts[0],
                "lng": parts[1],
                "address": parts[2] if len(parts) > 2 else "",
            }
        if not isinstance(value, dict):
            raise FieldError("Must be a location with lat and lng.")
        try:
            lat, lng = float(value["lat"]), float(value["lng"])
        except (KeyError, TypeError, ValueError):
            raise FieldError("Must be a location with numeric lat and lng.") from None
        if not (-90 <= lat <= 90 and -180 <= lng <= 180):
            raise FieldError("Latitude or longitude out of range.")
        return {"lat": lat, "lng": lng, "address": str(value.get("address") or "")[:500]}

    def display(self, field: dict, value: Any, locale: str = "zh") -> str:
        if not value:
            return ""
        return value.get("address") or f"{value['lat']},{value['lng']}"
