"""The tenant's most frequent requests resolve their dependencies one at a time.

Litestar resolves two or more dependencies of a handler in an anyio task group, which cost
the status read about a seventh of its CPU (issue 15's profile); these handlers ask for the
one `essentials` instead. This reads Litestar's own record of the batches it resolves.
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
def test_no_batch_of_dependencies_needs_a_task_group(app: Litestar, method: str, path: str):
    routes = [r for r in app.routes if isinstance(r, HTTPRoute) and r.path == path]
    assert routes, f"no route {path}"
    _, kwargs_model = routes[0].route_handler_map[method]
    batches = kwargs_model.dependency_batches
    assert batches, "the handler asks for no dependency at all"
    assert [len(batch) for batch in batches] == [1] * len(batches)
