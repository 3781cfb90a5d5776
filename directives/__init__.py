"""Provincial directives (công văn, kế hoạch, chỉ thị), their tasks per agency, deadlines and progress reports.

How the pieces fit (the design a provincial officer sees):

- **Directive.** One document the province issued (or received and tracks): type, number/symbol, issuer, place
  and date, subject, recipients, signer, the documents it implements (linked when they are in the system), full
  text and the signed file. It belongs to one province (`Directive.province`); only that province's officers
  create it, see all of it and review the reports on it.

- **Task = one assignment to one lead.** The importer proposes one task per assignment it finds in the text
  ("3. Công an tỉnh: …", "Sở X chủ trì, phối hợp với …"). When the officer confirms, each proposed task becomes
  one `DirectiveTask` *per lead* chosen for it, all sharing the item number and text of the assignment. So
  "UBND các xã, phường: …" becomes one task for each commune of the province: every commune reports on its own
  and the directive page shows that item as "12/95 xã, phường hoàn thành" with a per-commune drill-down, which
  is what the officer needs to chase the late ones. Statuses, reminders and the compliance board then always
  speak of one lead, never of a shared task that nobody in particular owns.

- **Who the lead is.** Either an agency of the directory (`lead_agency`: a department, the provincial police, a
  mass organisation, a commune-level agency…) or a commune as such (`lead_commune`: "UBND xã …", the People's
  Committee of the commune, which needs no agency row of its own). Exactly one of the two is set.

- **Who "the agency user" of a task is.** For an agency lead: the active focal points (role
  `agency_focal_point`) of that agency. For a commune lead: the commune officers and the chair of that commune
  (roles `commune_officer`, `commune_chair` with that commune as their unit). They see their tasks, report
  progress, receive reminders. Coordinating agencies (phối hợp) see the task read-only; they do not report.
  Province officers see every task of their province, admins everything; anybody else gets 404.

- **Deadlines and occurrences.** A task has one deadline rule: a date, a recurrence (monthly, quarterly,
  6-monthly or yearly, anchored on a day and month: "6 tháng trước ngày 15/5" gives 15/5 and 15/11 every year),
  "thường xuyên" (continuous) or none. Each due date is a `TaskOccurrence` row (recurring ones materialised a
  year or so ahead, extended by a daily job), so per-occurrence status is plain SQL for the board and the
  dashboard. Continuous and undated tasks have one open-ended occurrence with no due date.

- **Status is computed, never typed** (`status.py`): from the occurrence's due date, the date its completion
  report was submitted (a returned report un-completes it) and whether any report exists. See status.py for
  the rules.
"""
