"""Serializers of the case API, one module per part of the app: browse (list, detail, timeline, notes,
attachments), intake (recording a case, the duplicate check), referrals (and transfers), workflow (the procedure's
steps and the plan)."""
