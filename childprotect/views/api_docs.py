"""The browsable API docs (Swagger UI), served from our own static files.

The split view serves its start-up script as a separate file, so no inline script is needed; Swagger UI still
sets style attributes on its elements, so this one page allows inline styles (and data: images) in its CSP.
"""

from __future__ import annotations

from csp.decorators import csp_update
from django.utils.decorators import method_decorator
from drf_spectacular.views import SpectacularSwaggerSplitView


@method_decorator(csp_update({"style-src": ["'unsafe-inline'"], "img-src": ["data:"]}), name="dispatch")
class ApiDocsView(SpectacularSwaggerSplitView):
    pass
