"""Measuring the system under test: the PSS and CPU time of its processes (from /proc)
and the PostgreSQL connections."""

import math
import os
import threading
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from .config import DB_NAME, PG_SERVER, REDIS_URL, SAMPLE_SECONDS


def processes() -> dict[int, tuple[int, int]]:
    """pid → (parent pid, CPU time in clock ticks) of every process (from /proc)."""
    table = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                stat = Path(entry.path, "stat").read_text()
            except OSError:  # ended meanwhile
                continue
            # After the command's name: state, ppid, … utime and stime (fields 14, 15).
            fields = stat.rsplit(")", 1)[1].split()
            table[int(entry.name)] = (int(fields[1]), int(fields[11]) + int(fields[12]))
    return table


def family(root: int, table: dict[int, tuple[int, int]]) -> list[int]:
    """``root`` and its descendants."""
    children = defaultdict(list)
    for pid, (parent, _ticks) in table.items():
        children[parent].append(pid)
    members, todo = [], [root] if root in table else []
    while todo:
        pid = todo.pop()
        members.append(pid)
        todo += children[pid]
    return members


def proc_kb(pid: int, name: str, field_name: str) -> int:
    """A kB figure of /proc/<pid>/<name> (``Pss`` of smaps_rollup, ``VmRSS`` of status)."""
    try:
        for line in Path(f"/proc/{pid}/{name}").read_text().splitlines():
            if line.startswith(field_name + ":"):
                return int(line.split()[1])
    except OSError:  # ended meanwhile
        pass
    return 0


def postmaster_pid() -> int:
    """The parent of our own backend."""
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres") as db:
        backend = db.execute("SELECT pg_backend_pid()").fetchone()[0]
        parent, _ticks = processes()[backend]
        return parent


def redis_pid() -> int:
    import redis

    return int(redis.Redis.from_url(REDIS_URL).info("server")["process_id"])


@dataclass
class Usage:
    """A group of processes at one sample."""

    processes: int
    kb: int  # PSS
    ticks: int  # CPU time so far


class Sampler(threading.Thread):
    """Every ``SAMPLE_SECONDS``: the PSS and the CPU time of each group of processes of
    the system under test (a root process and its descendants) and the PostgreSQL
    connections, keeping the peaks; and the RSS and CPU time of this process (the load
    generator)."""

    def __init__(self, roots: dict[str, int]):
        super().__init__(daemon=True)
        self.roots = roots
        self.stopped = threading.Event()
        self.samples = 0
        self.peak_kb = 0
        self.peak_groups: dict[str, Usage] = {}
        # (time, this process's CPU time, the groups) at the first and the last sample
        self.first: tuple[float, float, dict[str, Usage]] | None = None
        self.last: tuple[float, float, dict[str, Usage]] | None = None
        self.db_connections = 0  # to the bench database
        self.by_application: dict[str, int] = defaultdict(int)  # the most of each
        self.backends = 0  # of the whole server
        self.generator_kb = 0

    def run(self) -> None:
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as db:
            while True:
                self.sample(db)
                if self.stopped.wait(SAMPLE_SECONDS):
                    return

    def sample(self, db) -> None:
        table = processes()
        groups = {}
        for name, root in self.roots.items():
            members = family(root, table)
            groups[name] = Usage(
                len(members),
                sum(proc_kb(pid, "smaps_rollup", "Pss") for pid in members),
                sum(table[pid][1] for pid in members),
            )
        self.last = (time.monotonic(), time.process_time(), groups)
        self.first = self.first or self.last
        total = sum(usage.kb for usage in groups.values())
        if total > self.peak_kb:
            self.peak_kb, self.peak_groups = total, groups
        rows = db.execute(
            "SELECT datname, application_name, count(*) FROM pg_stat_activity "
            "WHERE pid <> pg_backend_pid() GROUP BY 1, 2"
        ).fetchall()
        ours = 0
        for database, application, count in rows:
            if database == DB_NAME:
                ours += count
                name = application or "(no application name)"
                self.by_application[name] = max(self.by_application[name], count)
        self.db_connections = max(self.db_connections, ours)
        self.backends = max(self.backends, sum(count for *_names, count in rows))
        rss = proc_kb(os.getpid(), "status", "VmRSS")
        self.generator_kb = max(self.generator_kb, rss)
        self.samples += 1

    def stop(self) -> None:
        self.stopped.set()
        self.join()

    def cpu(self) -> tuple[dict[str, float], float]:
        """The CPU each group used between the first and the last sample, in cores, and
        this process's."""
        (started, own_started, before), (ended, own_ended, after) = (
            self.first,
            self.last,
        )
        span = (ended - started) or math.inf
        seconds = {
            name: (usage.ticks - before[name].ticks) / os.sysconf("SC_CLK_TCK")
            for name, usage in after.items()
        }
        return (
            {name: used / span for name, used in seconds.items()},
            (own_ended - own_started) / span,
        )
