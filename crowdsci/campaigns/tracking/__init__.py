"""Live tracking of a campaign's edits: stream ingest, matching, crediting, aggregates (the tracker).

It sits below the campaign pages: nothing here imports crowdsci.campaigns.views or forms (a contract says so).
"""
