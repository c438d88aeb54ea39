"""``govsearch optimize``: compact the index while it is served (index.optimize)."""

from __future__ import annotations

import argparse
import sys

from govsearch.config import resolve_index_dir


def cmd_optimize(args: argparse.Namespace) -> int:
    from govsearch.index.optimize import optimize
    from govsearch.index.schema import IndexOutdated
    from govsearch.index.writer import WRITE_LOCK_WAIT, IndexLocked

    index_dir = resolve_index_dir(args.index)
    try:
        done = optimize(index_dir, WRITE_LOCK_WAIT if args.lock_wait is None else args.lock_wait)
    except (IndexLocked, IndexOutdated) as exc:
        print(f"错误: {exc}", file=sys.stderr)
        return 1
    except FileNotFoundError:
        print(f"错误: 索引不存在: {index_dir} (no index to optimize)", file=sys.stderr)
        return 1
    print(f"完成 (done): 分段 {done.segments_before} → {done.segments_after}，子串层分块 {done.chunks_before} → "
          f"{done.chunks_after}，清除已删除文档 {done.deleted_documents} 篇、子串层失效条目 {done.dead_entries} 篇，"
          f"{done.mb_before:.1f} MB → {done.mb_after:.1f} MB，用时 {done.seconds:.1f} 秒 "
          f"(segments {done.segments_before} → {done.segments_after}, layer chunks {done.chunks_before} → "
          f"{done.chunks_after}, {done.deleted_documents} deleted documents and {done.dead_entries} dead layer "
          f"entries dropped, {done.mb_before:.1f} → {done.mb_after:.1f} MB in {done.seconds:.1f} s)")
    return 0


def add_optimize(sub, with_index) -> None:
    p = with_index(sub.add_parser("optimize", help="compact the index (merge segments and layer chunks, drop "
                                                   "re-ingested reports' old versions) while it is served"))
    p.add_argument("--lock-wait", type=float, metavar="SECONDS",
                   help="while another process writes the index, wait this long for its lock (default 600)")
    p.set_defaults(func=cmd_optimize)
