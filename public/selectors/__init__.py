"""Read-side queries of the public app: ``complaints`` (a complaint by its code, and who
may see which), ``survey`` (the IKM and the integrity index from the answers). Importers
name the module."""
