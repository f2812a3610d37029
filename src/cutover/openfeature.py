"""An OpenFeature provider over the gateway's flags, so application code reads the same
route modes and canary buckets as the gateway.

Flag keys are route names:
  boolean  `<route>`          does this context's `targeting_key` go to the new side?
  string   `<route>`          the route's mode (legacy | shadow | canary | new)
  float    `<route>.percent`  the canary percent (integer flags round it down)
  object   `<route>`          {"mode": ..., "percent": ...}
The provider reads a `Flags` snapshot synchronously; start it (`await flags.start()`)
in the application's startup so it follows the shared store (Redis pub/sub, SQLite).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from openfeature.evaluation_context import EvaluationContext
from openfeature.exception import ErrorCode
from openfeature.flag_evaluation import FlagResolutionDetails, FlagValueType, Reason
from openfeature.provider import AbstractProvider, Metadata

from cutover.bucketing import bucket
from cutover.config import GatewayConfig, Mode
from cutover.flags import Flags, RouteState, make_store

ObjectValue = Sequence[FlagValueType] | Mapping[str, FlagValueType]


class CutoverProvider(AbstractProvider):
    def __init__(self, flags: Flags, salt: str) -> None:
        super().__init__()
        self.flags = flags
        self._salt = salt

    @classmethod
    def from_config(cls, config: GatewayConfig) -> CutoverProvider:
        """A provider on its own `Flags` over the configured store (start it before use)."""
        return cls(Flags(config.all_routes(), make_store(config.state)), config.stickiness.salt)

    def get_metadata(self) -> Metadata:
        return Metadata(name="cutover")

    def _state(self, key: str) -> RouteState | None:
        try:
            return self.flags.get(key)
        except KeyError:
            return None

    @staticmethod
    def _missing(default: Any) -> FlagResolutionDetails[Any]:
        return FlagResolutionDetails(
            value=default,
            reason=Reason.ERROR,
            error_code=ErrorCode.FLAG_NOT_FOUND,
            error_message="no such cutover route",
        )

    def resolve_boolean_details(
        self,
        flag_key: str,
        default_value: bool,
        evaluation_context: EvaluationContext | None = None,
    ) -> FlagResolutionDetails[bool]:
        state = self._state(flag_key)
        if state is None:
            return self._missing(default_value)
        if state.mode is Mode.NEW:
            return FlagResolutionDetails(value=True, reason=Reason.STATIC, variant="new")
        if state.mode is not Mode.CANARY:
            return FlagResolutionDetails(value=False, reason=Reason.STATIC, variant="legacy")
        key = evaluation_context.targeting_key if evaluation_context else None
        if not key:
            return FlagResolutionDetails(
                value=default_value,
                reason=Reason.ERROR,
                error_code=ErrorCode.TARGETING_KEY_MISSING,
                error_message="a canary needs a targeting key to pick a side",
            )
        on_new = bucket(self._salt, key) <= state.percent
        return FlagResolutionDetails(
            value=on_new, reason=Reason.SPLIT, variant="new" if on_new else "legacy"
        )

    def resolve_string_details(
        self,
        flag_key: str,
        default_value: str,
        evaluation_context: EvaluationContext | None = None,
    ) -> FlagResolutionDetails[str]:
        state = self._state(flag_key)
        if state is None:
            return self._missing(default_value)
        return FlagResolutionDetails(value=state.mode.value, reason=Reason.STATIC)

    def resolve_float_details(
        self,
        flag_key: str,
        default_value: float,
        evaluation_context: EvaluationContext | None = None,
    ) -> FlagResolutionDetails[float]:
        state = self._state(flag_key.removesuffix(".percent"))
        if state is None:
            return self._missing(default_value)
        return FlagResolutionDetails(value=state.percent, reason=Reason.STATIC)

    def resolve_integer_details(
        self,
        flag_key: str,
        default_value: int,
        evaluation_context: EvaluationContext | None = None,
    ) -> FlagResolutionDetails[int]:
        state = self._state(flag_key.removesuffix(".percent"))
        if state is None:
            return self._missing(default_value)
        return FlagResolutionDetails(value=int(state.percent), reason=Reason.STATIC)

    def resolve_object_details(
        self,
        flag_key: str,
        default_value: ObjectValue,
        evaluation_context: EvaluationContext | None = None,
    ) -> FlagResolutionDetails[ObjectValue]:
        state = self._state(flag_key)
        if state is None:
            return self._missing(default_value)
        value: dict[str, FlagValueType] = {"mode": state.mode.value, "percent": state.percent}
        return FlagResolutionDetails(value=value, reason=Reason.STATIC)
