"""Fault rules: which requests get a failure instead of (or on top of) their answer."""

from __future__ import annotations

import itertools
import json
import math
import random
import threading
from dataclasses import dataclass, field

OPERATIONS = ("create", "get", "list", "import", "update", "delete", "token")
SERVICE_OPERATIONS = OPERATIONS[:-1]
KINDS = (
    "429",
    "500",
    "502",
    "503",
    "latency",
    "stall",
    "drop",
    "lost_create",
    "fail_create",
)
CREATE_ONLY_KINDS = ("lost_create", "fail_create")
DEFAULT_STALL_SECONDS = 300.0
_FIELDS = {"operation", "kind", "rate", "count", "retry_after", "seconds"}


class FaultRuleError(ValueError):
    """A rule that cannot be understood; the message says which field is wrong."""


@dataclass
class FaultRule:
    id: int
    operation: str
    kind: str
    rate: float | None = None
    count: int | None = None
    retry_after: float | None = None
    seconds: float | None = None
    injected: int = field(default=0)

    def as_json(self) -> dict[str, object]:
        rule: dict[str, object] = {"id": self.id, "operation": self.operation, "kind": self.kind}
        for name in ("rate", "count", "retry_after", "seconds"):
            value = getattr(self, name)
            if value is not None:
                rule[name] = value
        rule["injected"] = self.injected
        return rule

    def matches(self, operation: str) -> bool:
        if self.kind in CREATE_ONLY_KINDS:
            return operation == "create"
        if self.operation == "*":
            return operation in SERVICE_OPERATIONS
        return self.operation == operation


def _number(rule: dict, name: str, *, minimum: float, maximum: float | None = None) -> float:
    value = rule[name]
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise FaultRuleError(f"fault rule field {name!r} must be a finite number")
    if value < minimum or (maximum is not None and value > maximum):
        bound = f"from {minimum} to {maximum}" if maximum is not None else f">= {minimum}"
        raise FaultRuleError(f"fault rule field {name!r} must be {bound}")
    return float(value)


def parse_fault_rule(rule: object, rule_id: int) -> FaultRule:
    if not isinstance(rule, dict):
        raise FaultRuleError("a fault rule is a JSON object")
    unknown = sorted(set(rule) - _FIELDS)
    if unknown:
        raise FaultRuleError(f"unknown fault rule field {unknown[0]!r}")
    operation = rule.get("operation", "*")
    if operation != "*" and operation not in OPERATIONS:
        raise FaultRuleError(f"fault rule operation must be '*' or one of {', '.join(OPERATIONS)}")
    kind = rule.get("kind")
    if isinstance(kind, int) and not isinstance(kind, bool):
        kind = str(kind)
    if kind not in KINDS:
        raise FaultRuleError(f"fault rule kind must be one of {', '.join(KINDS)}")
    if kind in CREATE_ONLY_KINDS and operation not in ("create", "*"):
        raise FaultRuleError(f"fault kind {kind} applies to the create operation only")
    parsed = FaultRule(id=rule_id, operation=operation, kind=kind)
    if "rate" in rule:
        parsed.rate = _number(rule, "rate", minimum=0.0, maximum=1.0)
    if "count" in rule:
        count = rule["count"]
        if isinstance(count, bool) or not isinstance(count, int) or count < 1:
            raise FaultRuleError("fault rule field 'count' must be an integer >= 1")
        parsed.count = count
    if "retry_after" in rule:
        if kind not in ("429", "503"):
            raise FaultRuleError("fault rule field 'retry_after' applies to 429 and 503 only")
        parsed.retry_after = _number(rule, "retry_after", minimum=0.0)
    if "seconds" in rule:
        if kind not in ("latency", "stall"):
            raise FaultRuleError("fault rule field 'seconds' applies to latency and stall only")
        parsed.seconds = _number(rule, "seconds", minimum=0.0)
    elif kind == "latency":
        raise FaultRuleError("a latency fault needs 'seconds'")
    return parsed


def parse_fault_spec(spec: str) -> dict[str, object]:
    """`--fault` takes a JSON rule or `key=value` pairs: `operation=create,kind=429,count=2`."""
    spec = spec.strip()
    if spec.startswith("{"):
        try:
            rule = json.loads(spec)
        except json.JSONDecodeError as error:
            raise FaultRuleError(f"--fault is not valid JSON: {error}") from None
        if not isinstance(rule, dict):
            raise FaultRuleError("a fault rule is a JSON object")
        return rule
    rule: dict[str, object] = {}
    for pair in filter(None, spec.split(",")):
        name, separator, text = pair.partition("=")
        if not separator:
            raise FaultRuleError(f"--fault part {pair!r} is not key=value")
        name = name.strip()
        text = text.strip()
        if name in ("rate", "retry_after", "seconds"):
            try:
                rule[name] = float(text)
            except ValueError:
                raise FaultRuleError(f"--fault {name} must be a number") from None
        elif name == "count":
            try:
                rule[name] = int(text)
            except ValueError:
                raise FaultRuleError("--fault count must be an integer") from None
        else:
            rule[name] = text
    return rule


class FaultInjector:
    """Rules are tried in the order they were added; the first that fires wins."""

    def __init__(self, seed: int | None = None) -> None:
        self._lock = threading.Lock()
        self._rules: list[FaultRule] = []
        self._ids = itertools.count(1)
        self._random = random.Random(seed)

    def add(self, rule: object) -> FaultRule:
        with self._lock:
            parsed = parse_fault_rule(rule, next(self._ids))
            self._rules.append(parsed)
        return parsed

    def rules(self) -> list[dict[str, object]]:
        with self._lock:
            return [rule.as_json() for rule in self._rules]

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()

    def remove(self, rule_id: int) -> bool:
        with self._lock:
            kept = [rule for rule in self._rules if rule.id != rule_id]
            removed = len(kept) != len(self._rules)
            self._rules = kept
        return removed

    def pick(self, operation: str) -> FaultRule | None:
        with self._lock:
            if not self._rules:
                return None
            for rule in self._rules:
                if not rule.matches(operation):
                    continue
                if rule.rate is not None and self._random.random() >= rule.rate:
                    continue
                rule.injected += 1
                if rule.count is not None:
                    rule.count -= 1
                    if rule.count == 0:
                        self._rules.remove(rule)
                return rule
        return None
