"""Run a callable in several real threads at once, each with its own database connection."""

import threading

from django.db import close_old_connections, connection

THREADS = 6


def run_concurrently(target, count=THREADS):
    """Start ``count`` threads that call ``target()`` together; returns (results, errors)."""
    barrier = threading.Barrier(count)
    results, errors = [], []
    lock = threading.Lock()

    def worker():
        try:
            barrier.wait(timeout=10)
            value = target()
            with lock:
                results.append(value)
        except Exception as error:  # noqa: BLE001 - collected and asserted by the test
            with lock:
                errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    close_old_connections()
    return results, errors
