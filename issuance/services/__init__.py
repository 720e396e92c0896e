"""The issuance app's writes, one module per subject: ``billing`` (bills, payments and the
bank's callback), ``issue`` (drafting, issuing, rendering and revoking permits), ``register``
(the daily register of issued permits, sealed and verified). Importers name the module."""
