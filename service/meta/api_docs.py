"""The API documentation (Swagger UI) at /schema, from assets the service serves itself.

Litestar's render plugins load their JavaScript, CSS and favicon from a CDN: without internet
the page stays blank. The files Swagger UI needs are in swagger_ui/, as the npm package
swagger-ui-dist publishes them (version and licence in that folder; Swagger UI 5 or later:
4 refuses the OpenAPI 3.1 documents Litestar writes). The plugin below serves them under
<openapi path>/assets and points the page at them.

The page has no inline script or style (Litestar's has both, with the whole OpenAPI document
in the script): api_docs_page/ holds the script that starts Swagger UI, which fetches the
document itself. So its Content-Security-Policy, API_DOCS_POLICY, allows scripts and styles
from this service only; Swagger UI's stylesheet draws its icons from data: URLs.
"""

from collections.abc import Sequence
from html import escape
from pathlib import Path
from typing import Any

from litestar import Request
from litestar.datastructures import ResponseHeader
from litestar.openapi.plugins import OpenAPIRenderPlugin, SwaggerRenderPlugin
from litestar.router import Router
from litestar.static_files import create_static_files_router

from service.security_headers import STATIC_ASSET

ASSETS = "/assets"
SWAGGER_UI = Path(__file__).parent / "swagger_ui"
API_DOCS_PAGE = Path(__file__).parent / "api_docs_page"
API_DOCS_POLICY = (
    "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; "
    "base-uri 'none'"
)


class LocalSwaggerRenderPlugin(SwaggerRenderPlugin):
    """Swagger UI whose page loads everything from this service.

    The assets are served under the OpenAPI router's own path, so the URLs in the page follow
    OpenAPIConfig.path wherever it is.
    """

    def __init__(self, *, path: str | Sequence[str] = ("/", "/swagger"), **kwargs: Any) -> None:
        super().__init__(path=path, **kwargs)
        self.page_js_url = self.page_css_url = ""

    def receive_router(self, router: Router) -> None:
        # Not Swagger UI's oauth2-redirect.html (super's): its inline script breaks the
        # policy, and the API has no OAuth2 flow, only bearer tokens.
        router.register(
            create_static_files_router(
                path=ASSETS,
                directories=[SWAGGER_UI, API_DOCS_PAGE],
                name="api-docs-assets",
                include_in_schema=False,
                opt=STATIC_ASSET,
            )
        )
        base = router.path.rstrip("/") + ASSETS
        self.js_url = f"{base}/swagger-ui-bundle.js"
        self.css_url = f"{base}/swagger-ui.css"
        self.page_js_url = f"{base}/api-docs.js"
        self.page_css_url = f"{base}/api-docs.css"
        self.favicon = f"<link rel='icon' type='image/png' href='{base}/favicon-32x32.png'>"

    def render(self, request: Request, openapi_schema: dict[str, Any]) -> bytes:
        title = escape(str(openapi_schema["info"]["title"]))
        document_url = escape(self.get_openapi_json_route(request))
        return f"""<!DOCTYPE html>
<html lang="en">
<head>
  <title>{title}</title>
  {self.favicon}
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <link href="{self.css_url}" rel="stylesheet">
  <link href="{self.page_css_url}" rel="stylesheet">
  <script src="{self.js_url}"></script>
  <script src="{self.page_js_url}"></script>
</head>
<body>
  <div id="swagger-container" data-openapi-url="{document_url}"></div>
</body>
</html>
""".encode()


def api_docs_router(path: str) -> Router:
    """OpenAPIConfig's openapi_router: the documentation's routes, with their own policy."""
    return Router(
        path,
        route_handlers=[],
        include_in_schema=False,
        response_headers=[ResponseHeader(name="Content-Security-Policy", value=API_DOCS_POLICY)],
    )


def api_docs_plugins() -> list[OpenAPIRenderPlugin]:
    """OpenAPIConfig's render_plugins: Swagger UI at <path>/ and <path>/swagger.

    A new plugin per app: receive_router sets its URLs from that app's OpenAPI path.
    """
    return [LocalSwaggerRenderPlugin()]
