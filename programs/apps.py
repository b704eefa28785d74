from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = "Patients and programs"

    def ready(self):
        # The audit trail is infrastructure, not domain behaviour: model tracking and the
        # sign-in events are wired once here (creekside/audit.py).
        from creekside import audit
        from programs import page_cache

        audit.connect()
        page_cache.connect()  # patient pages kept until what they show is written to
