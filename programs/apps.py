from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = "Patients and programs"

    def ready(self):
        # The audit trail is infrastructure, not domain behaviour: model tracking and the
        # sign-in events are wired once here (creekside/audit.py).
        from creekside import audit
        from programs import page_versions

        audit.connect()
        page_versions.connect()  # kept pages (programs/page_cache.py) end when their data changes
