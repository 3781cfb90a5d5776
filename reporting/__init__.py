"""Indicators, dashboards, the periodic 6-month and annual reports (PDF + XLSX) and their archive."""
