"""A task for the task worker's tests: it notes in a file when it starts and when it ends."""

import os
import time

from django_tasks import task


@task()
def noted_sleep(path, seconds):
    with open(path, "a") as notes:
        notes.write(f"start {os.getpid()}\n")
    time.sleep(seconds)
    with open(path, "a") as notes:
        notes.write(f"done {os.getpid()}\n")
    return os.getpid()
