"""crowdsci: crowdsourcing and citizen-science programs for a library network."""
