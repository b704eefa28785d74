from django.contrib.admin.apps import AdminConfig


class ClinicAdminConfig(AdminConfig):
    """The admin, served by ClinicAdminSite: a TOTP code on top of the password when required."""

    default_site = "creekside.admin_site.ClinicAdminSite"
