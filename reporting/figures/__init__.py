"""Figures of the dashboard and the periodic reports: see compute.py (entry point), registry.py (section
providers), types.py (the shape every figure takes) and cases.py (the case sections)."""
