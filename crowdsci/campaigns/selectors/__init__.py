"""The campaigns app's reads, one module per area (dashboards read the stored aggregates, never scan edits)."""
