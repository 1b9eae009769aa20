"""The tenant's most frequent requests resolve no dependency.

Litestar resolves each dependency through its provider's own signature, and two or more in an
anyio task group: a seventh of the status read's CPU, and one dependency still a twentieth
(issue 15's profiles). These handlers take the app's `state` and read the pool, pipeline and
settings from it (service/dependencies.py's essentials_of). This reads Litestar's own record
of the dependencies each handler resolves.
"""

import pytest
from litestar import Litestar
from litestar.routes import HTTPRoute

HOT = [
    ("POST", "/api/v1/reports"),
    ("GET", "/api/v1/reports/{reference:str}"),
    ("GET", "/t/{reference:str}"),
]


@pytest.mark.parametrize(("method", "path"), HOT)
def test_the_hottest_handlers_resolve_no_dependency(app: Litestar, method: str, path: str):
    routes = [r for r in app.routes if isinstance(r, HTTPRoute) and r.path == path]
    assert routes, f"no route {path}"
    _, kwargs_model = routes[0].route_handler_map[method]
    assert list(kwargs_model.dependency_batches) == []
