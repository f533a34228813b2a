"""The dev issuer's OpenID Connect authorisation-code flow with PKCE (S256),
the flow the web console uses against the production issuer; mounted only
with GATEWAY_DEV_AUTH=true (entrypoints/auth_routes.py).

discovery.py: the provider metadata; parameters.py: reading and checking the
requests' parameters; codes.py: minting and redeeming codes, the token
response; pages.py: the sign-in page and the bad-request page."""
