"""The machine a run measured on (CPUs, memory, Python, load average), so
that two reports can be told apart, and a process's resident memory from
/proc (the server's peak RSS).
"""

from __future__ import annotations

import os
import platform
from pathlib import Path
from typing import Any


def proc_status(pid: int) -> dict[str, int]:
    """VmRSS/VmHWM (kB) of a process, from /proc."""
    out = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                out[key] = int(value.split()[0])
    except OSError:
        pass
    return out


def load_average() -> list[float] | None:
    """The 1, 5 and 15 minute load averages, where the system has them."""
    return [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else None


def machine() -> dict[str, Any]:
    model = ""
    mem_mb = None
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_mb = round(int(line.split()[1]) / 1024)
    except OSError:
        pass
    affinity = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    return {"cpu_count": os.cpu_count(), "cpus_available": affinity, "cpu_model": model or platform.processor(),
            "mem_total_mb": mem_mb, "python": platform.python_version(), "platform": platform.platform(),
            "loadavg_start": load_average()}
