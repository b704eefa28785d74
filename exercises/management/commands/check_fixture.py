from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from exercises.management.commands.loaddata import Command as LoadData


class Command(BaseCommand):
    help = (
        "Validate fixture files fully and list every problem by object and field; writes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", help="Fixture files, e.g. fixtures/protocols.json")

    def handle(self, **options):
        files = options["files"]
        problems = []
        total = 0
        for name in files:
            if not Path(name).is_file():
                problems.append(f"{name}: no such file")
                continue
            loader = LoadData(stdout=self.stdout, stderr=self.stderr)
            try:
                call_command(loader, name, dry_run=True, verbosity=0)
            except Exception as error:  # malformed JSON, unknown model or field, bad reference
                problems.append(f"{Path(name).name}: {error}")
                continue
            total += loader.fixture_object_count
            problems.extend(str(problem) for problem in loader.problems)
        for problem in problems:
            self.stdout.write(f"- {problem}")
        if problems:
            raise CommandError(f"{len(problems)} problem(s) found; nothing was written.")
        self.stdout.write(self.style.SUCCESS(f"OK: {total} object(s) in {len(files)} file(s)."))
