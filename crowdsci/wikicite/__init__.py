"""Citation engine: wikitext to citations, NLM classification and revision diffs.

Pure Python: imports nothing from Django or any crowdsci app (an import-linter contract keeps it so).
"""
