"""Django's GZipMiddleware, except for audio: an MP3 is already compressed, and a byte range of
it (which iOS's player asks for) must be the stored bytes themselves, not a gzip of them."""

from django.middleware.gzip import GZipMiddleware as DjangoGZipMiddleware

UNCOMPRESSED_TYPES = ("audio/",)


class GZipMiddleware(DjangoGZipMiddleware):
    def process_response(self, request, response):
        if response.get("Content-Type", "").startswith(UNCOMPRESSED_TYPES):
            return response
        return super().process_response(request, response)
