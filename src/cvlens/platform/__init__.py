"""Cross-cutting adapters: each is an embedded default plus a scale-out backend."""
