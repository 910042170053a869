"""Accounts of officials: sign-up with e-mail confirmation, log-in, API token. Password reset and log-out
are Django's own views (``cases/urls_accounts.py``) with French templates in ``templates/accounts/``."""

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
from ..account_forms import LoginForm, SignupForm
from ..ratelimits import limit_posts


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
        existing = get_user_model().objects.filter(email__iexact=data["email"]).first()
        if existing is not None:
            # Same answer as a new sign-up, so the form does not tell who has an account.
            emails.send_already_registered(user=existing, login_url=request.build_absolute_uri(reverse("login")),
                                           reset_url=request.build_absolute_uri(reverse("password_reset")))
        else:
            user = account_register(
                email=data["email"], password=data["password1"], first_name=data["first_name"],
                last_name=data["last_name"], organisation=data["organisation"], job_title=data["job_title"],
                territory=data["territory"],
            )
            emails.send_activation(user=user, activation_url=activation_url(request, user))
        return redirect("signup_done")
    return render(request, "contributions/accounts/signup.html", {"form": form}, status=400 if form.errors else 200)


def signup_done(request):
    return render(request, "contributions/accounts/signup_done.html")


def activate(request, uidb64, token):
    try:
        user = get_user_model().objects.get(pk=force_str(urlsafe_base64_decode(uidb64)))
    except (ValueError, TypeError, OverflowError, get_user_model().DoesNotExist):
        user = None
    if user is None or not activation_tokens.check_token(user, token):
        return render(request, "contributions/accounts/activation_invalid.html", status=400)
    account_activate(user=user)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, _("Votre adresse est confirmée : bienvenue ! Vous pouvez déclarer une initiative."))
    return redirect("cases:contrib_dashboard")


@method_decorator(limit_posts("login"), name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "contributions/accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


@login_required
@require_http_methods(["GET", "POST"])
def api_token(request):
    """Show the account's API token; POST makes a new one (the old one stops working)."""
    from rest_framework.authtoken.models import Token

    token = Token.objects.filter(user=request.user).first()
    if request.method == "POST":
        api_token_renew(user=request.user)
        messages.success(request, _("Un nouveau jeton a été créé ; l'ancien ne fonctionne plus."))
        return redirect("api_token")
    return render(request, "contributions/accounts/api_token.html", {"token": token})
