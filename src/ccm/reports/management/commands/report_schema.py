"""`ccm report_schema --template 2010 --format json`: the JSON Schema (draft 2020-12) of an
Article 7 report document made with a template. A stable contract (issue #9): other tools build
documents from it."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ccm.core.commands import check_format
from ccm.reports import definition

FORMATS = ("json",)


class Command(BaseCommand):
    help = "The JSON Schema of an Article 7 report document for a template."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--template", default="2010", help="template version (default 2010)")
        parser.add_argument("--format", dest="fmt", default="json", help="json")

    def handle(self, *args: Any, **options: Any) -> None:
        check_format(options["fmt"], FORMATS)
        if options["template"] not in definition.shipped():
            known = ", ".join(definition.shipped())
            raise CommandError(
                f"--template: {options['template']!r} is not one of {known}", returncode=2
            )
        template = definition.load(options["template"])
        self.stdout.write(
            json.dumps(definition.json_schema(template), ensure_ascii=False, indent=2)
        )
