"""Backups with PostgreSQL's own pg_dump and pg_restore: `backup FILE` and `restore FILE`."""
