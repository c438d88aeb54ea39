"""The engines the bench knows, in the table's column order: govsearch
first (every ratio is govsearch's value over a peer's), then its peers.
The run loop, the table and ``--peers`` all read this one list.
"""

from __future__ import annotations

from govsearch.bench.govsearch_peer import GovsearchPeer
from govsearch.bench.naive_peer import NaivePeer
from govsearch.bench.protocol import Peer
from govsearch.bench.sqlite_peer import SqlitePeer
from govsearch.bench.tantivy_peer import TantivyPeer

PEERS: tuple[Peer, ...] = (GovsearchPeer(), NaivePeer(), TantivyPeer(), SqlitePeer())
SUBJECT = PEERS[0]  # the engine under test, measured on the whole corpus
OPTIONAL = tuple(peer.name for peer in PEERS if peer is not SUBJECT)  # what --peers chooses from


def selected(names: list[str]) -> list[Peer]:
    """govsearch and the peers named (``--peers``), in table order."""
    return [peer for peer in PEERS if peer is SUBJECT or peer.name in names]
