"""Writes to cases: every `do_*` is atomic, takes `acting_user`, writes the case timeline and the audit log in
the same transaction, and enqueues background work only on commit."""
