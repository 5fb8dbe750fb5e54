"""Retry with exponential backoff: a failing source is retried later, not hammered.

Scrapy's RetryMiddleware re-queues a failed request at once; this one marks the retry with a
delay (base * 2^attempt, or the server's Retry-After) and BackoffDelayMiddleware waits that long
before the request goes out again, without blocking other sources.
"""

from __future__ import annotations

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.utils.defer import deferred_to_future
from twisted.internet import reactor, task


class BackoffRetryMiddleware(RetryMiddleware):
    def __init__(self, settings):
        super().__init__(settings)
        self.base = settings.getfloat("RETRY_BACKOFF_BASE", 2.0)
        self.cap = settings.getfloat("RETRY_BACKOFF_MAX", 60.0)

    def process_response(self, request, response, spider=None):
        result = super().process_response(request, response)
        if result is not response and result is not None:
            after = response.headers.get(b"Retry-After")
            if after and after.decode("latin-1").strip().isdigit():
                result.meta["retry_delay"] = min(float(after.decode("latin-1")), self.cap)
        return result

    def _retry(self, request, reason):
        retry = super()._retry(request, reason)
        if retry is not None:
            attempt = retry.meta.get("retry_times", 1)
            retry.meta["retry_delay"] = min(self.base * 2 ** (attempt - 1), self.cap)
        return retry


class BackoffDelayMiddleware:
    async def process_request(self, request, spider=None):
        delay = request.meta.pop("retry_delay", 0)
        if delay > 0:
            await deferred_to_future(task.deferLater(reactor, delay, lambda: None))
        return None
