"""The assembling app: home page, navigation, site-wide templates and the demo loader.

It sits above every domain app and is the only one that knows them all, through their AppConfigs.
"""
