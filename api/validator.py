"""The token endpoint's validator: a client whose partner was deactivated (or that has no
partner) gets no token, whatever its secret; and no person's password is ever checked here
(the API serves partners, not people: the password grant cannot become a way to guess a
staff password)."""

from oauth2_provider.oauth2_validators import OAuth2Validator


class PartnerValidator(OAuth2Validator):
    def authenticate_client(self, request, *args, **kwargs):
        if not super().authenticate_client(request, *args, **kwargs):
            return False
        partner = getattr(request.client, "partner", None)
        return partner is not None and partner.active

    def validate_user(self, username, password, client, request, *args, **kwargs):
        return False
