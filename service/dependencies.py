"""What handlers can ask for by name: the database pool, the settings, the change pipeline,
the throttle, the password check, the CSV exports' own capacity and the attachments' store;
and the first three as one, `Essentials`, in the app's state."""

from dataclasses import dataclass
from typing import TypeAlias, cast

import asyncpg
from litestar.datastructures import State
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
    """The pool, the change pipeline and the settings, for the requests that come most often
    (a tenant's report and status read): their handlers take the app's `state` and read these
    from it with essentials_of.

    Litestar resolves each dependency of a handler through the provider's own signature, and
    two or more side by side in an anyio task group: for these handlers, which only read what
    the app holds, that was about a seventh of the status read's CPU, and one dependency still
    a twentieth (issue 15). The app's state is passed to a handler without either.
    """

    pool: asyncpg.Pool
    pipeline: Pipeline
    settings: Settings


def essentials_of(state: State) -> Essentials:
    """What service/app.py's database lifespan put in the app's state."""
    return cast(Essentials, state.essentials)
