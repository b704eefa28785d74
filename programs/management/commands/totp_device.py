import segno
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_otp import devices_for_user
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = (
        "Set up a staff user's authenticator app for the admin's two-factor sign-in, or with "
        "--reset replace every device they have (a lost or new phone). Prints a QR code."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="The staff user's username, e.g. theo")
        parser.add_argument(
            "--reset", action="store_true", help="Remove the user's devices and backup codes first."
        )

    def handle(self, username, reset, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None or not user.is_staff:
            raise CommandError(f"No staff user is called “{username}”.")
        with transaction.atomic():
            devices = list(devices_for_user(user, confirmed=None))
            if devices and not reset:
                raise CommandError(
                    f"{username} already has a two-factor device. To replace it (a lost or new "
                    "phone), run this again with --reset."
                )
            for device in devices:
                device.delete()
            device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
        if devices:
            self.stdout.write(f"Removed {len(devices)} device(s); codes from them no longer work.")
        self.stdout.write(
            f"Give this to {username} in person: they scan it with an authenticator app (any "
            "TOTP app), then sign in to the admin with their password and the 6-digit code.\n"
        )
        segno.make(device.config_url, error="m").terminal(out=self.stdout, compact=True)
        self.stdout.write(f"\nOr type this into the app: {device.config_url}")
