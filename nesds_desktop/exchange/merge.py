"""Three-way merge of two copies of an assessment, item by item, from their revision histories.

Plain data in, plain data out: no files, no store.  An assessment is a set of items (its
details, one judgement per criterion, evidence references, actions); each item carries
every revision it went through (:class:`Entry`).  Two copies that parted share the entries
written before they parted, so for each item:

* theirs holds nothing mine lacks      -> keep mine (``KEPT``);
* mine holds nothing theirs lacks      -> take theirs (``TAKEN``, changed on their side only);
* both went on, ending the same        -> keep that, knowing both histories (``JOINED``);
* both went on, ending differently     -> a :class:`Conflict` for a person to resolve.

The base of a conflict is the newest entry both copies hold.  Entries are compared by
identity (revision, time, author and content), never by position, so an entry a merge has
already taken is known the next time: merging the same copy twice changes nothing.  Items
are keyed by kind and key (a judgement by its criterion, so two copies that answered an
unanswered criterion meet on the same item; other items by uid).  A resolved conflict gets
one more entry whose stamp is the chosen side's, so two people who resolve the same way
end with the same history, and the result never depends on the order copies are merged in.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from enum import StrEnum

KIND_DETAILS = "details"
KIND_JUDGEMENT = "judgement"
KIND_EVIDENCE = "evidence"
KIND_ACTION = "action"
KINDS: tuple[str, ...] = (KIND_DETAILS, KIND_JUDGEMENT, KIND_EVIDENCE, KIND_ACTION)
_KIND_ORDER = {kind: index for index, kind in enumerate(KINDS)}

DELETED = "null"
"""The canonical content of an entry that removed its item."""

ItemKey = tuple[str, str]
"""(kind, key): the key is the criterion reference of a judgement, the uid of anything else."""


def canonical_json(content: Mapping[str, object] | None) -> str:
    """One text for one content, whatever the key order: what entries are compared by."""
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True, order=True)
class Entry:
    """One revision of an item: who made it, when, and what the item held after it.

    Ordering follows (revision, time, author, content), the canonical order of a history.
    """

    revision: int
    changed_at: datetime
    author: str
    content_json: str
    """:func:`canonical_json` of the content; ``"null"`` when the revision removed the item."""

    @classmethod
    def of(cls, revision: int, author: str, changed_at: datetime, content: Mapping[str, object] | None) -> Entry:
        moment = changed_at.astimezone(UTC) if changed_at.tzinfo else changed_at.replace(tzinfo=UTC)
        return cls(revision, moment, author, canonical_json(content))

    @property
    def content(self) -> dict[str, object] | None:
        value = json.loads(self.content_json)
        return value if isinstance(value, dict) else None

    @property
    def removed(self) -> bool:
        return self.content_json == DELETED


@dataclass(frozen=True)
class ItemHistory:
    """An item and every revision it went through, oldest first (canonical order, no repeats)."""

    kind: str
    key: str
    uid: str
    position: int
    entries: tuple[Entry, ...]

    def __post_init__(self) -> None:
        if not self.entries:
            raise ValueError(f"{self.kind} {self.key} has no history")

    @classmethod
    def build(cls, kind: str, key: str, uid: str, position: int, entries: Iterable[Entry]) -> ItemHistory:
        return cls(kind, key, uid, position, tuple(sorted(set(entries))))

    @property
    def item_key(self) -> ItemKey:
        return (self.kind, self.key)

    @property
    def head(self) -> Entry:
        """The newest entry: the item as it stands."""
        return self.entries[-1]

    @property
    def removed(self) -> bool:
        return self.head.removed


@dataclass(frozen=True)
class AssessmentHistory:
    """One copy of an assessment: every item with its history."""

    uid: str
    items: Mapping[ItemKey, ItemHistory] = field(default_factory=dict)

    @classmethod
    def of(cls, uid: str, items: Iterable[ItemHistory]) -> AssessmentHistory:
        return cls(uid, {item.item_key: item for item in sorted(items, key=_item_order)})

    def item(self, kind: str, key: str) -> ItemHistory | None:
        return self.items.get((kind, key))

    def sorted_items(self) -> list[ItemHistory]:
        return sorted(self.items.values(), key=_item_order)


def _item_order(item: ItemHistory) -> tuple[int, str]:
    return (_KIND_ORDER.get(item.kind, len(KINDS)), item.key)


class Outcome(StrEnum):
    KEPT = "kept"
    """Theirs brings nothing new: mine stays as it is."""
    TAKEN = "taken"
    """Changed on their side only (or new there): theirs is taken."""
    JOINED = "joined"
    """Changed on both sides to the same thing: kept, with both histories."""
    CONFLICT = "conflict"
    """Changed on both sides differently: a person chooses."""


class Side(StrEnum):
    MINE = "mine"
    THEIRS = "theirs"


@dataclass(frozen=True)
class Conflict:
    kind: str
    key: str
    base: Entry | None
    """The newest entry both copies hold; None when each copy made the item on its own."""
    mine: Entry
    theirs: Entry

    @property
    def item_key(self) -> ItemKey:
        return (self.kind, self.key)


@dataclass(frozen=True)
class ItemMerge:
    kind: str
    key: str
    outcome: Outcome
    mine: ItemHistory | None
    theirs: ItemHistory | None
    merged: ItemHistory | None
    """The item after the merge; None for a conflict until it is resolved."""
    conflict: Conflict | None = None

    @property
    def item_key(self) -> ItemKey:
        return (self.kind, self.key)

    @property
    def changes_content(self) -> bool:
        """Whether the item will hold something else than mine holds now."""
        if self.merged is None or self.outcome is Outcome.KEPT:
            return False
        before = self.mine.head.content_json if self.mine else DELETED
        return before != self.merged.head.content_json

    @property
    def changes_history(self) -> bool:
        return self.outcome is not Outcome.KEPT


class UnresolvedConflictError(ValueError):
    """Some conflicts were given no choice; ``keys`` lists them."""

    def __init__(self, keys: list[ItemKey]) -> None:
        self.keys = keys
        super().__init__(f"{len(keys)} conflict(s) have no choice: " + ", ".join(f"{k} {key}" for k, key in keys))


@dataclass(frozen=True)
class MergeResult:
    uid: str
    items: tuple[ItemMerge, ...]

    @property
    def conflicts(self) -> tuple[Conflict, ...]:
        return tuple(item.conflict for item in self.items if item.conflict is not None)

    def with_outcome(self, outcome: Outcome) -> tuple[ItemMerge, ...]:
        return tuple(item for item in self.items if item.outcome is outcome)

    def resolve(
        self, choices: Mapping[ItemKey, Side] | None = None, prefer: Side | None = None
    ) -> tuple[AssessmentHistory, tuple[ItemMerge, ...]]:
        """The merged copy, each conflict settled by ``choices`` (else ``prefer``).

        Returns the merged history and every item merge with its result filled in.
        """
        choices = choices or {}
        missing = [c.item_key for c in self.conflicts if c.item_key not in choices and prefer is None]
        if missing:
            raise UnresolvedConflictError(missing)
        settled: list[ItemMerge] = []
        for item in self.items:
            if item.conflict is None:
                settled.append(item)
                continue
            side = choices.get(item.item_key, prefer)
            assert side is not None and item.mine is not None and item.theirs is not None
            settled.append(replace(item, merged=_settle(item.mine, item.theirs, side)))
        merged = [item.merged for item in settled if item.merged is not None]
        return AssessmentHistory.of(self.uid, merged), tuple(settled)


def merge_assessment(mine: AssessmentHistory, theirs: AssessmentHistory) -> MergeResult:
    """Merge ``theirs`` into ``mine`` item by item; deterministic, and idempotent once resolved."""
    if mine.uid != theirs.uid:
        raise ValueError(f"cannot merge two different assessments ({mine.uid} and {theirs.uid})")
    keys = sorted(set(mine.items) | set(theirs.items), key=lambda k: (_KIND_ORDER.get(k[0], len(KINDS)), k[1]))
    return MergeResult(mine.uid, tuple(merge_item(mine.items.get(k), theirs.items.get(k)) for k in keys))


def merge_item(mine: ItemHistory | None, theirs: ItemHistory | None) -> ItemMerge:
    if mine is None and theirs is None:
        raise ValueError("nothing to merge")
    if theirs is None:
        assert mine is not None
        return ItemMerge(mine.kind, mine.key, Outcome.KEPT, mine, None, mine)
    if mine is None:
        return ItemMerge(theirs.kind, theirs.key, Outcome.TAKEN, None, theirs, theirs)
    mine_ids, theirs_ids = set(mine.entries), set(theirs.entries)
    if theirs_ids <= mine_ids:
        return ItemMerge(mine.kind, mine.key, Outcome.KEPT, mine, theirs, mine)
    if mine_ids <= theirs_ids:
        # Changed on their side only.  The item keeps the identity and place it has here.
        taken = replace(theirs, uid=mine.uid, position=mine.position)
        return ItemMerge(mine.kind, mine.key, Outcome.TAKEN, mine, theirs, taken)
    if mine.head.content_json == theirs.head.content_json:
        joined = ItemHistory.build(mine.kind, mine.key, mine.uid, mine.position, mine_ids | theirs_ids)
        return ItemMerge(mine.kind, mine.key, Outcome.JOINED, mine, theirs, joined)
    shared = mine_ids & theirs_ids
    conflict = Conflict(mine.kind, mine.key, max(shared) if shared else None, mine.head, theirs.head)
    return ItemMerge(mine.kind, mine.key, Outcome.CONFLICT, mine, theirs, None, conflict)


def _settle(mine: ItemHistory, theirs: ItemHistory, side: Side) -> ItemHistory:
    """Both histories, then one entry recording the choice, stamped as the chosen version was."""
    union = set(mine.entries) | set(theirs.entries)
    chosen = mine.head if side is Side.MINE else theirs.head
    resolution = Entry(max(e.revision for e in union) + 1, chosen.changed_at, chosen.author, chosen.content_json)
    return ItemHistory.build(mine.kind, mine.key, mine.uid, mine.position, (*union, resolution))


def digest(history: AssessmentHistory) -> str:
    """A short fingerprint of a copy: equal fingerprints, equal copies (used to spot a stale preview)."""
    import hashlib

    hasher = hashlib.sha256()
    for item in history.sorted_items():
        hasher.update(f"{item.kind}\0{item.key}\0{item.uid}\0{item.position}\0".encode())
        for entry in item.entries:
            hasher.update(
                f"{entry.revision}\0{entry.changed_at.isoformat()}\0{entry.author}\0{entry.content_json}\1".encode()
            )
    return hasher.hexdigest()
