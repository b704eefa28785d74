from django.contrib.auth.password_validation import MinimumLengthValidator


class StaffMinimumLengthValidator(MinimumLengthValidator):
    """A longer minimum for staff, who open patients' records; patients keep Django's 8.

    It also applies to an account not yet saved: the admin's "add user" form and
    createsuperuser make staff accounts, while a patient's account is created by their first
    sign-in link, with no password, so their passwords are always set on a saved user.
    """

    def __init__(self, min_length=12):
        super().__init__(min_length)

    def validate(self, password, user=None):
        if user is not None and (user.is_staff or user.pk is None):
            super().validate(password, user)

    def get_help_text(self):
        return f"Clinic staff: use at least {self.min_length} characters."
