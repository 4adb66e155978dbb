"""Absolute URLs for what leaves the page: structured data, social cards, e-mails."""


def request_origin(request):
    """``scheme://host`` of the request (the host already checked against ALLOWED_HOSTS)."""
    return f"{request.scheme}://{request.get_host()}"


def absolute_url(origin, url):
    """A site path made absolute; a URL that already is one (media on S3) is kept as is."""
    return origin + url if url.startswith("/") else url
