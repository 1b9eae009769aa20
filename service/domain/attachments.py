"""Who may add and remove photos and documents of a case, and how many."""

from service.domain.errors import Conflict
from service.domain.workflow import Status

# A report carries at most this many of the tenant's photos.
MAX_TENANT_PHOTOS = 10
# The tenant may take back a photo of their own until the corporation acknowledges the
# report: from then on it is evidence someone may have acted on.
TENANT_REMOVES_WHILE = frozenset({Status.UNROUTED, Status.NEW})


def check_tenant_photo_room(photos_so_far: int) -> None:
    if photos_so_far >= MAX_TENANT_PHOTOS:
        raise Conflict(
            f"A report can have at most {MAX_TENANT_PHOTOS} photos. "
            "Remove one first, or describe the rest in a message."
        )


def tenant_may_remove(status: Status, added_by_tenant: bool) -> bool:
    return added_by_tenant and status in TENANT_REMOVES_WHILE


def check_tenant_removes(status: Status, added_by_tenant: bool) -> None:
    if not added_by_tenant:
        raise Conflict("Only photos you added yourself can be removed.")
    if status not in TENANT_REMOVES_WHILE:
        raise Conflict(
            "The corporation has started on your report, so its photos stay with it. "
            "Send a message if a photo should not be there."
        )
