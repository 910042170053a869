"""E-mails of the accounts: confirming an address, and telling an owner that someone tried to sign up with it."""

from django.conf import settings
from django.core.mail import send_mail

from ..mail import render_email


def send_activation(*, user, activation_url: str) -> None:
    subject, body = render_email("contributions/emails/activation.txt",
                                 {"user": user, "activation_url": activation_url})
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])


def send_already_registered(*, user, login_url: str, reset_url: str) -> None:
    subject, body = render_email("contributions/emails/already_registered.txt",
                                 {"user": user, "login_url": login_url, "reset_url": reset_url})
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
