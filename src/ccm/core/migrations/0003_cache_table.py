"""The database cache's table (settings.CACHES): rate limits and used two-factor codes are
shared by every process (issue #7). `createcachetable` is idempotent and reads CACHES."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):  # type: ignore[no-untyped-def]
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_outgoingemail")]
    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
