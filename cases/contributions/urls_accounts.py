"""Account routes, under ``/comptes/``. Names are Django's usual ones (``login``, ``password_reset``…),
outside any namespace, because Django's auth views reverse them so."""

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from ..private import private
from .ratelimits import limit_posts
from .views import accounts as views_accounts

# Account pages show (or take) personal data and secrets: never cached.
urlpatterns = private([
    path("inscription/", views_accounts.signup, name="signup"),
    path("inscription/envoyee/", views_accounts.signup_done, name="signup_done"),
    path("activer/<uidb64>/<token>/", views_accounts.activate, name="activate"),
    path("connexion/", views_accounts.LoginView.as_view(), name="login"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("jeton-api/", views_accounts.api_token, name="api_token"),
    path("mot-de-passe/oubli/", limit_posts("signup")(auth_views.PasswordResetView.as_view(
        template_name="contributions/accounts/password_reset_form.html",
        email_template_name="contributions/accounts/password_reset_email.txt",
        subject_template_name="contributions/accounts/password_reset_subject.txt",
    )), name="password_reset"),
    path("mot-de-passe/oubli/envoye/", auth_views.PasswordResetDoneView.as_view(
        template_name="contributions/accounts/password_reset_done.html"), name="password_reset_done"),
    path("mot-de-passe/nouveau/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(
        template_name="contributions/accounts/password_reset_confirm.html"), name="password_reset_confirm"),
    path("mot-de-passe/change/", auth_views.PasswordResetCompleteView.as_view(
        template_name="contributions/accounts/password_reset_complete.html"), name="password_reset_complete"),
    path("mot-de-passe/modifier/", auth_views.PasswordChangeView.as_view(
        template_name="contributions/accounts/password_change_form.html",
        success_url=reverse_lazy("cases:contrib_dashboard")), name="password_change"),
])
