"""Accounts of officials: sign-up with e-mail confirmation, log-in, API token. Password reset and log-out
are Django's own views (``cases/urls_accounts.py``) with French templates in ``templates/accounts/``."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cases.contributions.services import account_activate, account_register, api_token_renew

from .. import emails
from ..account_forms import ChoosePasswordForm, LoginForm, SignupForm
from ..ratelimits import limit_posts
from ..tokens import token_is_live


class ActivationTokenGenerator(PasswordResetTokenGenerator):
    """Its own salt (a password-reset link cannot confirm an address, nor the reverse), and the account's
    state in the hash, so the link dies once used."""

    # The module's former path, kept: changing the salt would void every activation link already sent.
    key_salt = "cases.views_accounts.ActivationTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        return f"{user.pk}{user.password}{user.is_active}{user.email}{timestamp}"


activation_tokens = ActivationTokenGenerator()


def activation_url(request, user) -> str:
    path = reverse("activate", kwargs={"uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                                       "token": activation_tokens.make_token(user)})
    return request.build_absolute_uri(path)


@limit_posts("signup")
@require_http_methods(["GET", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return redirect("cases:contrib_dashboard")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = account_register(
            email=data["email"], first_name=data["first_name"], last_name=data["last_name"],
            organisation=data["organisation"], job_title=data["job_title"], territory=data["territory"],
        )
        # Same answer, same work (one write, one e-mail) either way: the form does not tell who has an account.
        if user is None:
            existing = get_user_model().objects.get(email__iexact=data["email"])
            emails.send_already_registered(user=existing, login_url=request.build_absolute_uri(reverse("login")),
                                           reset_url=request.build_absolute_uri(reverse("password_reset")))
        else:
            emails.send_activation(user=user, activation_url=activation_url(request, user))
        return redirect("signup_done")
    return render(request, "contributions/accounts/signup.html", {"form": form}, status=400 if form.errors else 200)


def signup_done(request):
    return render(request, "contributions/accounts/signup_done.html")


@require_http_methods(["GET", "POST"])
def activate(request, uidb64, token):
    """The link sent on sign-up: whoever reads the address chooses the password, and the account opens."""
    try:
        user = get_user_model().objects.get(pk=force_str(urlsafe_base64_decode(uidb64)))
    except (ValueError, TypeError, OverflowError, get_user_model().DoesNotExist):
        user = None
    if user is None or not activation_tokens.check_token(user, token):
        return render(request, "contributions/accounts/activation_invalid.html", status=400)
    form = ChoosePasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        account_activate(user=user, password=form.cleaned_data["new_password1"])
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Votre adresse est confirmée : bienvenue ! Vous pouvez déclarer une initiative."))
        return redirect("cases:contrib_dashboard")
    return render(request, "contributions/accounts/activate.html", {"form": form, "account": user},
                  status=400 if form.errors else 200)


@method_decorator(limit_posts("login"), name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "contributions/accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


@login_required
@require_http_methods(["GET", "POST"])
def api_token(request):
    """The account's API key: made (or replaced) on POST and shown that once; it is stored hashed."""
    key = None
    if request.method == "POST":
        _token, key = api_token_renew(user=request.user)
        messages.success(request, _("Un nouveau jeton a été créé ; l'ancien ne fonctionne plus."))
    token = request.user.api_tokens.order_by("-created_at").first()
    return render(request, "contributions/accounts/api_token.html", {
        "token": token, "key": key, "live": token is not None and token_is_live(token),
        "token_days": settings.API_TOKEN_LIFETIME_DAYS})
