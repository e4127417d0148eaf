from django.db import migrations


def provider_default(apps, schema_editor):
    """The in-process simulator: the provider of every product without a route of its own."""
    Provider = apps.get_model("billers", "Provider")
    Provider.objects.get_or_create(
        code="sim",
        defaults={"name": "Simulator", "kind": "simulator", "timeout_seconds": 5},
    )


class Migration(migrations.Migration):
    dependencies = [("billers", "0001_initial")]

    operations = [migrations.RunPython(provider_default, migrations.RunPython.noop)]
