"""Notifications stop storing their text: a row keeps its kind and the values of its texts (`params`), and the
subject and body are written when read, in the reader's language (childprotect/notification_kinds.py).

Rows written before keep the Vietnamese text they were stored with, as params["legacy"]: no value can be read
back out of a sentence, so they are shown as they were.
"""

from django.db import migrations, models


def keep_the_old_text(apps, schema_editor):
    Notification = apps.get_model("childprotect", "Notification")
    for row in Notification.objects.only("pk", "title", "body").iterator(chunk_size=2000):
        Notification.objects.filter(pk=row.pk).update(params={"legacy": {"title": row.title, "body": row.body}})


def restore_the_old_text(apps, schema_editor):
    Notification = apps.get_model("childprotect", "Notification")
    for row in Notification.objects.only("pk", "params").iterator(chunk_size=2000):
        legacy = (row.params or {}).get("legacy", {})
        Notification.objects.filter(pk=row.pk).update(title=legacy.get("title", "")[:200], body=legacy.get("body", ""))


class Migration(migrations.Migration):
    dependencies = [
        ("childprotect", "0005_count_rows_function"),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="params",
            field=models.JSONField(blank=True, default=dict, verbose_name="nội dung"),
        ),
        migrations.RunPython(keep_the_old_text, restore_the_old_text, elidable=True),
        migrations.RemoveField(model_name="notification", name="body"),
        migrations.RemoveField(model_name="notification", name="title"),
        migrations.AlterField(
            model_name="notification",
            name="kind",
            field=models.CharField(
                choices=[
                    ("referral_received", "Chuyển gửi mới"),
                    ("referral_accepted", "Chuyển gửi được tiếp nhận"),
                    ("referral_declined", "Chuyển gửi bị từ chối"),
                    ("referral_progress", "Tiến độ chuyển gửi"),
                    ("referral_completed", "Chuyển gửi hoàn thành"),
                    ("referral_withdrawn", "Chuyển gửi được rút lại"),
                    ("referral_overdue", "Chuyển gửi quá hạn phản hồi"),
                    ("transfer_requested", "Đề nghị nhận hồ sơ"),
                    ("transfer_accepted", "Hồ sơ được nhận"),
                    ("transfer_declined", "Hồ sơ bị từ chối nhận"),
                    ("transfer_cancelled", "Đề nghị chuyển hồ sơ bị hủy"),
                    ("case_deadline_overdue", "Bước của hồ sơ quá hạn"),
                    ("case_deadline_reminder", "Bước của hồ sơ sắp đến hạn"),
                    ("directive_tasks_new", "Nhiệm vụ mới"),
                    ("directive_task_reminder", "Nhiệm vụ sắp đến hạn"),
                    ("directive_task_overdue", "Nhiệm vụ quá hạn"),
                    ("directive_report_submitted", "Báo cáo nhiệm vụ mới"),
                    ("directive_report_accepted", "Báo cáo nhiệm vụ được chấp nhận"),
                    ("directive_report_returned", "Báo cáo nhiệm vụ bị trả lại"),
                    ("report_ready", "Báo cáo định kỳ đã lập xong"),
                ],
                db_index=True,
                max_length=48,
                verbose_name="loại",
            ),
        ),
    ]
