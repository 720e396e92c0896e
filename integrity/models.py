"""Conflict-of-interest declarations, holds, reviews, red flags and findings.

Empty until the integrity issues land; the app exists so the layout is in place.
"""
