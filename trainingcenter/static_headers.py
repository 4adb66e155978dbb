"""Headers for static files, which WhiteNoise answers before the other middleware run."""


def add_security_headers(headers, path, url):
    """WHITENOISE_ADD_HEADERS_FUNCTION: the same policy headers as every other response.

    Called once per file when WhiteNoise indexes it, not per request. The site's CSP
    (without a nonce: a static file has no inline script) also covers an SVG or HTML
    file opened directly."""
    from csp.utils import build_policy
    from django.conf import settings

    headers["Content-Security-Policy"] = build_policy()
    headers["X-Frame-Options"] = settings.X_FRAME_OPTIONS
    headers["Permissions-Policy"] = settings.PERMISSIONS_POLICY
