"""The campaigns app's models, in two modules: the tracker's (campaigns, participants, tracked edits, aggregates)
and the community pages' (hosted events, worklists, claims, map pins)."""
