"""The token endpoint's validator: a client whose partner was deactivated (or that has no
partner) gets no token, whatever its secret; and no person's password is ever checked here
(the API serves partners, not people: the password grant cannot become a way to guess a
staff password).

A bearer token is read with its client and the client's partner in one prepared query
(``core.prepared``): every call needs the partner as it is now (active, its scopes, its
rate), and reading it with the token is as fresh as reading it after. Compiling that query
for each call was a tenth of a file's status read (issue 21.9)."""

import hashlib
from functools import cache

from oauth2_provider.models import get_access_token_model, get_application_model
from oauth2_provider.oauth2_validators import OAuth2Validator

from api.models import Partner
from core.prepared import PreparedQuery, model_columns

_SAMPLE_CHECKSUM = "#token-checksum#"


@cache
def _columns() -> tuple[list[str], list[str], list[str]]:
    return (
        model_columns(get_access_token_model()),
        model_columns(get_application_model()),
        model_columns(Partner),
    )


def _token_query(checksum: str):
    token, client, partner = _columns()
    return (
        get_access_token_model()
        .objects.filter(token_checksum=checksum)
        .values_list(
            *token,
            *(f"application__{name}" for name in client),
            *(f"application__partner__{name}" for name in partner),
        )[:1]
    )


_token_with_partner = PreparedQuery(_token_query, _SAMPLE_CHECKSUM)


def access_token_load(token: str):
    """The access token ``token`` with its client and the client's partner (None when the
    client has none), or None."""
    rows = _token_with_partner(hashlib.sha256(token.encode("utf-8")).hexdigest())
    if not rows:
        return None
    token_columns, client_columns, partner_columns = _columns()
    row, alias = rows[0], get_access_token_model().objects.db
    n_token, n_client = len(token_columns), len(client_columns)
    access = get_access_token_model().from_db(alias, token_columns, row[:n_token])
    client_row = row[n_token : n_token + n_client]
    if client_row[0] is None:
        return access
    client = get_application_model().from_db(alias, client_columns, client_row)
    partner_row = row[n_token + n_client :]
    if partner_row[0] is None:
        type(client).partner.related.set_cached_value(client, None)
    else:
        client.partner = Partner.from_db(alias, partner_columns, partner_row)
    access.application = client
    return access


class PartnerValidator(OAuth2Validator):
    def authenticate_client(self, request, *args, **kwargs):
        if not super().authenticate_client(request, *args, **kwargs):
            return False
        partner = getattr(request.client, "partner", None)
        return partner is not None and partner.active

    def validate_user(self, username, password, client, request, *args, **kwargs):
        return False

    def _load_access_token(self, token):
        return access_token_load(token)
