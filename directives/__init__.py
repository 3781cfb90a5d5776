"""Provincial directives (công văn, kế hoạch, chỉ thị), their tasks per agency, deadlines and progress reports."""
