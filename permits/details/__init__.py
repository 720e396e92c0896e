"""What an application states about the thing it asks a permit for (the practice place,
the plot and floors, the place of business): each permit type's fields as data
(``PermitField``, frozen per version in ``FormVersion``), their values on a file as one
JSON document checked against the version it was made with.

``spec``: the definitions and their checks; ``values``: a file's values checked, cleaned
and put into words; ``form``: the applicant's and the counter's form built from a spec.
"""
