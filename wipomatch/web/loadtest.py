"""A small HTTP load generator for `manage.py loadtest`: threads and http.client, loopback only.

Each virtual user is one thread with one keep-alive connection that picks pages from a weighted
mix, as a visitor clicks (no think time: it measures capacity, not a realistic arrival rate).
A signed-in user sends the session cookie of a demo member. Every user has its own address in
`X-Forwarded-For`, as the reverse proxy would set it, so the API's per-address throttle sees
separate visitors. The run is bounded by its duration and by `max_requests`.
"""

from __future__ import annotations

import http.client
import random
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field

# Language prefixes of the pages' addresses, English most often ({lang} in a page's paths).
LANGUAGES = ("en", "en", "en", "fr", "es", "ar", "zh-hans", "ru")


@dataclass(frozen=True)
class Page:
    label: str
    paths: tuple[str, ...]  # one is picked at random per request
    weight: int
    signed_in: bool = False  # only signed-in users request it


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    statuses: dict[str, dict[int, int]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(int))
    )
    seconds: float = 0.0

    def merge(self, other: Stats) -> None:
        for label, values in other.latencies.items():
            self.latencies[label].extend(values)
        for label, n in other.errors.items():
            self.errors[label] += n
        for label, codes in other.statuses.items():
            for code, n in codes.items():
                self.statuses[label][code] += n

    @property
    def total(self) -> int:
        return sum(len(v) for v in self.latencies.values())

    @property
    def total_errors(self) -> int:
        return sum(self.errors.values())


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def _user(
    *,
    number: int,
    host: str,
    port: int,
    pages: list[Page],
    cookie: str,
    deadline: float,
    budget: list[int],
    lock: threading.Lock,
    stats: Stats,
    seed: int,
) -> None:
    rng = random.Random(seed * 1000 + number)
    usable = [p for p in pages if cookie or not p.signed_in]
    weights = [p.weight for p in usable]
    headers = {"X-Forwarded-For": f"10.{number // 250 % 250}.{number % 250}.{1 + number % 200}"}
    if cookie:
        headers["Cookie"] = cookie
    conn = http.client.HTTPConnection(host, port, timeout=30)
    while time.monotonic() < deadline:
        with lock:
            if budget[0] <= 0:
                break
            budget[0] -= 1
        page = rng.choices(usable, weights)[0]
        path = rng.choice(page.paths).replace("{lang}", rng.choice(LANGUAGES))
        started = time.perf_counter()
        try:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            status = response.status
            if response.getheader("Connection", "").lower() == "close":
                conn.close()
        except (OSError, http.client.HTTPException):
            conn.close()
            conn = http.client.HTTPConnection(host, port, timeout=30)
            status = 0
        elapsed = time.perf_counter() - started
        stats.latencies[page.label].append(elapsed)
        stats.statuses[page.label][status] += 1
        if not 200 <= status < 300:  # a redirect is a mistake of the mix, not a page
            stats.errors[page.label] += 1
    conn.close()


def run_load(
    *,
    host: str,
    port: int,
    pages: list[Page],
    users: int,
    signed_in_users: int,
    cookie: str,
    duration: float,
    max_requests: int,
    seed: int = 0,
) -> Stats:
    """Drive the server with `users` threads for `duration` seconds (or `max_requests`)."""
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise ValueError("the load test drives a server on this machine only")
    per_user = [Stats() for _ in range(users)]
    lock = threading.Lock()
    budget = [max_requests]
    started = time.monotonic()
    deadline = started + duration
    threads = [
        threading.Thread(
            target=_user,
            kwargs={
                "number": n,
                "host": host,
                "port": port,
                "pages": pages,
                "cookie": cookie if n < signed_in_users else "",
                "deadline": deadline,
                "budget": budget,
                "lock": lock,
                "stats": per_user[n],
                "seed": seed,
            },
            daemon=True,
        )
        for n in range(users)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    total = Stats()
    for one in per_user:
        total.merge(one)
    total.seconds = time.monotonic() - started
    return total


def report_lines(stats: Stats, pages: list[Page]) -> list[str]:
    """A table: one row per page, /healthz included, then the totals."""
    head = f"{'page':<28}{'requests':>9}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}"
    lines = [head, "-" * len(head)]
    seconds = stats.seconds or 1.0
    for page in pages:
        values = stats.latencies.get(page.label, [])
        if not values:
            continue
        lines.append(
            f"{page.label:<28}{len(values):>9}{len(values) / seconds:>9.1f}"
            f"{percentile(values, 50) * 1000:>9.0f}{percentile(values, 95) * 1000:>9.0f}"
            f"{percentile(values, 99) * 1000:>9.0f}{stats.errors.get(page.label, 0):>8}"
        )
    every = [v for values in stats.latencies.values() for v in values]
    lines.append("-" * len(head))
    lines.append(
        f"{'all':<28}{len(every):>9}{len(every) / seconds:>9.1f}"
        f"{percentile(every, 50) * 1000:>9.0f}{percentile(every, 95) * 1000:>9.0f}"
        f"{percentile(every, 99) * 1000:>9.0f}{stats.total_errors:>8}"
    )
    bad = {
        label: dict(codes)
        for label, codes in stats.statuses.items()
        if any(not 200 <= c < 300 for c in codes)
    }
    if bad:
        lines.append(f"statuses of pages with errors: {bad}")
    return lines
