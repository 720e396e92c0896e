"""Read-side queries of the permits app, one module per kind of page: ``catalogue`` and
``service`` (public catalogue and service standards), ``backoffice`` (worklists and file
pages), ``tracking`` (the public tracking page), ``applicant`` (an applicant's own files);
``columns`` holds the column lists they share. Importers name the module they read from."""
