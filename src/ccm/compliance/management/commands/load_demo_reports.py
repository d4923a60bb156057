"""`ccm load_demo_reports [--seed N] [--remove]`: the demonstration history (make run only)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ccm.compliance import demo


class Command(BaseCommand):
    help = "Generate (or remove) a made-up history of reports, labelled as demonstration data."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2008)
        parser.add_argument("--remove", action="store_true", help="remove it, generate nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["remove"]:
            self.stdout.write(f"removed {demo.remove()} demonstration reports")
            return
        count = demo.generate(seed=options["seed"])
        self.stdout.write(
            f"{count} demonstration reports generated (seed {options['seed']}); labelled as "
            "such, and not counted by `ccm obligations` or `ccm compliance` without --include-demo"
        )
