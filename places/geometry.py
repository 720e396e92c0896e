"""Whether a point on the map falls inside a ring of [latitude, longitude] points."""

from __future__ import annotations


def point_inside(lat: float, lon: float, ring: list[list[float]]) -> bool:
    """Even-odd ray casting along the latitude line through the point. A regency is small
    enough that treating degrees as a plane changes nothing near its border."""
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        (lat_i, lon_i), (lat_j, lon_j) = ring[i], ring[j]
        if (lat_i > lat) != (lat_j > lat):
            crossing = lon_i + (lat - lat_i) * (lon_j - lon_i) / (lat_j - lat_i)
            if lon < crossing:
                inside = not inside
        j = i
    return inside
