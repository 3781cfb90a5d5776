from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("childprotect", "0006_notification_params"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="language",
            field=models.CharField(
                blank=True,
                choices=[("vi", "Tiếng Việt"), ("en", "English")],
                max_length=8,
                verbose_name="ngôn ngữ",
            ),
        ),
    ]
