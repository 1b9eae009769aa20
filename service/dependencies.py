"""What handlers can ask for by name: the database pool, the settings, the change pipeline,
the throttle, the password check, the CSV exports' own capacity and the attachments' store;
and the first three as one, `essentials`."""

from dataclasses import dataclass
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


@dataclass(frozen=True, slots=True)
class Essentials:
    """The pool, the change pipeline and the settings as one dependency, for the requests that
    come most often (a tenant's report and status read).

    Litestar resolves two or more dependencies of a handler side by side in an anyio task
    group; for these, which only read what the app holds, that cost the status read about a
    seventh of its CPU (issue 15). One dependency is resolved without it.
    """

    pool: asyncpg.Pool
    pipeline: Pipeline
    settings: Settings


AppEssentials: TypeAlias = NamedDependency[Essentials]
