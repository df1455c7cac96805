"""The SQLite data file: its tables, migrations, and the guarded way it is opened."""
