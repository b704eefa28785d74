"""House rules for the code itself: small modules (docs/operations.md, issue 11)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAX_LINES = 400
PACKAGES = ["creekside", "exercises", "programs", "benchmarks"]


def test_no_module_outside_migrations_and_tests_is_over_400_lines():
    long = {
        str(path.relative_to(ROOT)): n
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts and (n := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert long == {}
