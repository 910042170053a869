"""E-mails of the accounts: confirming an address, and telling an owner that someone tried to sign up with it.

Both go through the outbox (one row written, sent after the commit), so that the two branches of the sign-up
do the same work and take the same time: the form does not tell who has an account."""

from ..mail import render_email
from ..outbox.services import queue_mail


def send_activation(*, user, activation_url: str) -> None:
    subject, body = render_email("contributions/emails/activation.txt",
                                 {"user": user, "activation_url": activation_url})
    queue_mail(subject, body, [user.email])


def send_already_registered(*, user, login_url: str, reset_url: str) -> None:
    subject, body = render_email("contributions/emails/already_registered.txt",
                                 {"user": user, "login_url": login_url, "reset_url": reset_url})
    queue_mail(subject, body, [user.email])
