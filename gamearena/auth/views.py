"""Account pages: sign up, the API token page. Log in and log out are Django's own auth views
with our templates (gamearena/auth/page_urls.py), behind the same failed-login limit as the
API (gamearena/auth/backends.py answers a locked login with 429); all call the API's services."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST
from rest_framework.authtoken.models import Token

from gamearena.auth.services import token_is_expired, token_regenerate, user_register
from gamearena.errors import DomainError
from gamearena.forms import PageErrors, errors_from_domain

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# user_register's codes, and the field of the sign-up form each one is about.
SIGNUP_FIELDS = {
    "invalid_username": "username",
    "username_taken": "username",
    "weak_password": "password",
}


def _safe_next(request: HttpRequest, default: str) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}):
        return wanted
    return default


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    """A new account (and its API token), signed in at once."""
    if request.method == "GET":
        return render(request, "accounts/signup.html", {"next": _safe_next(request, "")})
    username = request.POST.get("username", "")
    password = request.POST.get("password", "")
    if password != request.POST.get("password_again", ""):
        return _signup_again(request, username, "password_again", "The two passwords differ.")
    try:
        user = user_register(username=username, password=password)
    except DomainError as error:
        errors = errors_from_domain(error, field_for_code=SIGNUP_FIELDS)
        return render(
            request, "accounts/signup.html", {"errors": errors, "username": username}, status=400
        )
    # Just made with this password: signed in without checking it again (and without
    # counting towards the failed-login limit).
    login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
    return redirect(_safe_next(request, "page-bot-mine"))


def _signup_again(request: HttpRequest, username: str, field: str, message: str) -> HttpResponse:
    errors = PageErrors()
    errors.add(field, message, "password_mismatch")
    return render(
        request, "accounts/signup.html", {"errors": errors, "username": username}, status=400
    )


@login_required
def token_page(request: HttpRequest) -> HttpResponse:
    """The signed-in user's API token, for scripts: `Authorization: Bearer <token>`."""
    user = cast("User", request.user)  # behind login_required: a real account
    token = Token.objects.filter(user=user).first()
    context = {"token": token, "expired": token is not None and token_is_expired(token)}
    return render(request, "accounts/token.html", context)


@login_required
@require_POST
def token_regenerate_page(request: HttpRequest) -> HttpResponseRedirect:
    token_regenerate(user=request.user)
    messages.success(request, "A new token was made; the old one no longer works.")
    return redirect("account-token")
