"""The portal tests reach every part of the site: they share the permits tests' small office."""
