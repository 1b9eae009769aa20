"""What handlers can ask for by name: the database pool, the settings, the change pipeline,
the CSV exports' own capacity."""

from typing import TypeAlias

import asyncpg
from litestar.di import NamedDependency

from service.cases.export import ExportCapacity
from service.changes.pipeline import Pipeline
from service.settings import Settings

DbPool: TypeAlias = NamedDependency[asyncpg.Pool]
AppSettings: TypeAlias = NamedDependency[Settings]
ChangePipeline: TypeAlias = NamedDependency[Pipeline]
Exports: TypeAlias = NamedDependency[ExportCapacity]
