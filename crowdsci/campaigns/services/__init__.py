"""The campaigns app's writes, one module per area (campaigns and participants, edits, worklists, events...)."""
