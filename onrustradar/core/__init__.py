"""The shared vocabulary every layer uses: the post, analysis and signal models, the gazetteer
(places and landmarks), Dutch formatting, pseudonyms, intake checks on outside values, safe
YAML, calendars and the one error type for operator files. Imports nothing of the project."""
