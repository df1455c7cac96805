"""Content packs: the instruments (standards, checklists) the app ships as validated data files."""
