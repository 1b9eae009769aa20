"""What handlers can ask for by name: the database pool, the settings, the change pipeline,
the throttle, the password check, the CSV exports' own capacity and the attachments' store."""

from typing import TypeAlias

import asyncpg
from litestar.di import NamedDependency

from service.attachments.uploads import Attachments
from service.auth.password_check import PasswordCheck
from service.cases.export import ExportCapacity
from service.changes.pipeline import Pipeline
from service.settings import Settings
from service.throttle.policy import Throttle

DbPool: TypeAlias = NamedDependency[asyncpg.Pool]
AppSettings: TypeAlias = NamedDependency[Settings]
ChangePipeline: TypeAlias = NamedDependency[Pipeline]
AppThrottle: TypeAlias = NamedDependency[Throttle]
PasswordChecker: TypeAlias = NamedDependency[PasswordCheck]
Exports: TypeAlias = NamedDependency[ExportCapacity]
AppAttachments: TypeAlias = NamedDependency[Attachments]
