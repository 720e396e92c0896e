"""Writes on files: every change of a file goes through one of these functions."""
