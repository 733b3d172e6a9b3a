"""Accounts and API tokens.

authentication.py  the DRF authentication class (REST_FRAMEWORK names it)
backends.py        the Django authentication backend that limits failed logins
limits.py          failed-login counters, shared by every login path
middleware.py      turns a refused session login into a 429
services.py        register, issue, regenerate and revoke tokens
apis.py / urls.py  POST /api/auth/register, /api/auth/token, /api/auth/token/regenerate

The authentication class and the URLconf are separate modules on purpose: DRF imports the
authentication class while `rest_framework.views` is still being imported, so that module
must not import any view.
"""
