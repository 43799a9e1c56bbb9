"""Wikimedia clients: the Action API, pageviews and EventStreams, plus a local fake of each for tests.

Pure Python: imports nothing from Django or any crowdsci app (an import-linter contract keeps it so).
"""
