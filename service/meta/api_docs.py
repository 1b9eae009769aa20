"""The API documentation (Swagger UI) at /schema, from assets the service serves itself.

Litestar's render plugins load their JavaScript, CSS and favicon from a CDN: without internet
the page stays blank. The files Swagger UI needs are in swagger_ui/, as the npm package
swagger-ui-dist publishes them (version and licence in that folder; Swagger UI 5 or later:
4 refuses the OpenAPI 3.1 documents Litestar writes). The plugin below serves them under
<openapi path>/assets and points the page at them.
"""

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from litestar.openapi.plugins import OpenAPIRenderPlugin, SwaggerRenderPlugin
from litestar.router import Router
from litestar.static_files import create_static_files_router

ASSETS = "/assets"
SWAGGER_UI = Path(__file__).parent / "swagger_ui"


class LocalSwaggerRenderPlugin(SwaggerRenderPlugin):
    """Swagger UI whose page loads everything from this service.

    The assets are served under the OpenAPI router's own path, so the URLs in the page follow
    OpenAPIConfig.path wherever it is.
    """

    def __init__(self, *, path: str | Sequence[str] = ("/", "/swagger"), **kwargs: Any) -> None:
        super().__init__(path=path, **kwargs)

    def receive_router(self, router: Router) -> None:
        super().receive_router(router)  # Swagger UI's oauth2-redirect.html
        router.register(
            create_static_files_router(
                path=ASSETS,
                directories=[SWAGGER_UI],
                name="api-docs-assets",
                include_in_schema=False,
            )
        )
        base = router.path.rstrip("/") + ASSETS
        self.js_url = f"{base}/swagger-ui-bundle.js"
        self.css_url = f"{base}/swagger-ui.css"
        self.standalone_preset_js_url = f"{base}/swagger-ui-standalone-preset.js"
        self.favicon = f"<link rel='icon' type='image/png' href='{base}/favicon-32x32.png'>"


def api_docs_plugins() -> list[OpenAPIRenderPlugin]:
    """OpenAPIConfig's render_plugins: Swagger UI at <path>/ and <path>/swagger.

    A new plugin per app: receive_router sets its URLs from that app's OpenAPI path.
    """
    return [LocalSwaggerRenderPlugin()]
