"""Request body limits, enforced before any byte of the body is read.

Django reads a form body in full (to memory or a temporary file) the first time anything
touches ``request.POST`` or ``request.FILES``, CSRF checks included, and only then can a
form say "the limit is 10 MB". ``RequestBodyLimitMiddleware`` refuses a body over its
limit from the declared Content-Length, and counts the bytes of a body sent without one
(chunked), so a hostile client cannot make a worker store hundreds of megabytes.
"""

import tempfile

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.handlers.wsgi import LimitedStream
from django.shortcuts import render
from django.urls import Resolver404, resolve

# The views that take file uploads: the portal's evidence, CE proof and profile photo
# forms, an application's documents step (apply:step), and the admin (staff upload
# program and campus images).
UPLOAD_VIEW_NAMES = {"portal:step_evidence", "portal:ce_add", "portal:profile", "apply:step"}
UPLOAD_NAMESPACES = {"admin"}
CHUNK = 64 * 1024


class BodyTooLarge(RequestDataTooBig):
    """Raised by the counting stream when a body runs past its limit."""


class CountingStream:
    """A wsgi.input wrapper that stops reading once ``limit`` bytes have gone by."""

    def __init__(self, stream, limit):
        self.stream = stream
        self.limit = limit
        self.count = 0
        self.exceeded = False

    def _counted(self, data):
        self.count += len(data)
        if self.count > self.limit:
            self.exceeded = True
            raise BodyTooLarge("The request body is larger than the limit.")
        return data

    def read(self, size=-1):
        if self.exceeded:
            raise BodyTooLarge("The request body is larger than the limit.")
        # Never ask the server for more than one byte past the limit.
        room = self.limit + 1 - self.count
        size = room if size is None or size < 0 else min(size, room)
        return self._counted(self.stream.read(size))

    def readline(self, size=-1):
        if self.exceeded:
            raise BodyTooLarge("The request body is larger than the limit.")
        room = self.limit + 1 - self.count
        size = room if size is None or size < 0 else min(size, room)
        return self._counted(self.stream.readline(size))


def body_limit(request):
    """The largest body this request may carry, in bytes."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return settings.REQUEST_BODY_MAX_BYTES
    if match.view_name in UPLOAD_VIEW_NAMES or UPLOAD_NAMESPACES & set(match.namespaces):
        return settings.UPLOAD_REQUEST_MAX_BYTES
    return settings.REQUEST_BODY_MAX_BYTES


def _declared_length(request):
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _sent_without_length(request):
    if request.META.get("CONTENT_LENGTH"):
        return False
    return "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower() or bool(
        request.META.get("wsgi.input_terminated")
    )


class RequestBodyLimitMiddleware:
    """Answer 413 with the site's page for a body over the limit, before it is read.

    It comes before every middleware that reads the body (CSRF, sessions, messages) and
    after the ones that only add headers, so the 413 page carries the site's security
    headers and Content-Security-Policy like every other page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "wsgi.input" not in request.META:
            return self.get_response(request)
        declared = _declared_length(request)
        without_length = _sent_without_length(request)
        if declared <= settings.REQUEST_BODY_MAX_BYTES and not without_length:
            limit = settings.REQUEST_BODY_MAX_BYTES  # the common case: no URL lookup
        else:
            limit = body_limit(request)
        if declared > limit:
            return too_large(request, limit)
        stream = CountingStream(request.META["wsgi.input"], limit)
        request.META["wsgi.input"] = stream
        if not without_length:
            request._stream = LimitedStream(stream, declared)
            return self._respond(request, stream, limit)
        # Django reads nothing without a Content-Length: take the body in here, counted,
        # so a chunked upload works and an endless one stops at the limit.
        with tempfile.SpooledTemporaryFile(max_size=settings.FILE_UPLOAD_MAX_MEMORY_SIZE) as body:
            try:
                while chunk := stream.read(CHUNK):
                    body.write(chunk)
            except BodyTooLarge:
                return too_large(request, limit)
            body.seek(0)
            request.META["CONTENT_LENGTH"] = str(stream.count)
            request._stream = LimitedStream(body, stream.count)
            return self._respond(request, stream, limit)

    def _respond(self, request, stream, limit):
        response = self.get_response(request)
        if stream.exceeded:
            return too_large(request, limit)
        return response


def too_large(request, limit):
    return render(request, "413.html", {"limit_mb": max(limit // (1024 * 1024), 1)}, status=413)
