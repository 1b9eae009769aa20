"""Who may add and remove the tenant's photos: the pure rules (service/domain/attachments.py)."""

import pytest

from service.domain.attachments import (
    MAX_TENANT_PHOTOS,
    check_tenant_photo_room,
    check_tenant_removes,
    tenant_may_remove,
)
from service.domain.errors import Conflict
from service.domain.workflow import Status


def test_a_report_has_room_for_ten_photos():
    for photos_so_far in range(MAX_TENANT_PHOTOS):
        check_tenant_photo_room(photos_so_far)
    with pytest.raises(Conflict, match="at most 10 photos"):
        check_tenant_photo_room(MAX_TENANT_PHOTOS)


@pytest.mark.parametrize("status", list(Status))
def test_the_tenant_takes_back_own_photos_until_the_report_is_acknowledged(status: Status):
    before_acknowledged = status in (Status.UNROUTED, Status.NEW)
    assert tenant_may_remove(status, added_by_tenant=True) is before_acknowledged
    assert tenant_may_remove(status, added_by_tenant=False) is False
    if before_acknowledged:
        check_tenant_removes(status, added_by_tenant=True)
    else:
        with pytest.raises(Conflict, match="started on your report"):
            check_tenant_removes(status, added_by_tenant=True)
    with pytest.raises(Conflict, match="Only photos you added yourself"):
        check_tenant_removes(status, added_by_tenant=False)
