"""`Chat.ticket_id` (a bare integer) becomes a foreign key to `support.Ticket`, keeping the links."""

import django.db.models.deletion
from django.db import migrations, models


def copy_ticket_ids(apps, schema_editor):
    Chat = apps.get_model("chat", "Chat")
    Ticket = apps.get_model("support", "Ticket")
    for chat in Chat.objects.filter(ticket_id__isnull=False).only("pk", "ticket_id"):
        if Ticket.objects.filter(pk=chat.ticket_id).exists():
            Chat.objects.filter(pk=chat.pk).update(ticket_link_id=chat.ticket_id)


def copy_ticket_ids_back(apps, schema_editor):
    Chat = apps.get_model("chat", "Chat")
    for chat in Chat.objects.filter(ticket_link__isnull=False).only("pk", "ticket_link_id"):
        Chat.objects.filter(pk=chat.pk).update(ticket_id=chat.ticket_link_id)


class Migration(migrations.Migration):
    dependencies = [
        ("chat", "0001_initial"),
        ("support", "0003_seed_knowledge_base"),
    ]

    operations = [
        migrations.AddField(
            model_name="chat",
            name="ticket_link",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="chats",
                to="support.ticket",
            ),
        ),
        migrations.RunPython(copy_ticket_ids, copy_ticket_ids_back),
        migrations.RemoveField(model_name="chat", name="ticket_id"),
        migrations.RenameField(model_name="chat", old_name="ticket_link", new_name="ticket"),
    ]
