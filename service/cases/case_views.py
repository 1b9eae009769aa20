"""When a staff member last opened a case's page: the work queue compares it with the
tenant's news (cases/work_list.py)."""

import uuid
from datetime import datetime

from service.db import Connection


async def record_view(
    connection: Connection, case_id: uuid.UUID, user_id: int, at: datetime
) -> None:
    await connection.execute(
        """
        INSERT INTO case_views (case_id, user_id, last_viewed_at) VALUES ($1, $2, $3)
        ON CONFLICT (case_id, user_id) DO UPDATE
        SET last_viewed_at = greatest(case_views.last_viewed_at, excluded.last_viewed_at)
        """,
        case_id,
        user_id,
        at,
    )
