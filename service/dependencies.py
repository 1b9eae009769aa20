"""What handlers can ask for by name: the database pool and the settings."""

from typing import TypeAlias

import asyncpg
from litestar.di import NamedDependency

from service.settings import Settings

DbPool: TypeAlias = NamedDependency[asyncpg.Pool]
AppSettings: TypeAlias = NamedDependency[Settings]
