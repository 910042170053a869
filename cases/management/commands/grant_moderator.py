"""``manage.py grant_moderator <e-mail or user name> [--revoke]``: make an account a moderator (or not)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from cases.moderation.services import moderator_grant


class Command(BaseCommand):
    help = "Ajoute un compte au groupe des modérateurs (ou l'en retire avec --revoke)."

    def add_arguments(self, parser):
        parser.add_argument("account", help="Adresse e-mail ou identifiant du compte.")
        parser.add_argument("--revoke", action="store_true", help="Retirer le compte des modérateurs.")

    def handle(self, *args, account, revoke, **options):
        users = get_user_model().objects.filter(Q(username=account) | Q(email__iexact=account))
        if users.count() != 1:
            raise CommandError(f"Aucun compte unique ne correspond à « {account} ».")
        user = moderator_grant(user=users.get(), grant=not revoke)
        state = "n'est plus" if revoke else "est désormais"
        self.stdout.write(f"{user.get_username()} {state} modérateur.")
