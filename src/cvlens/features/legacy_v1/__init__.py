"""The legacy optimizer's HTTP contract (`/api/*`), served from CVLens's data.

Same paths, status codes and JSON shapes as `examples/legacy_flask`, so the cutover
gateway can shadow, canary and finally switch every legacy route to CVLens.

Id mapping: legacy ids are integers, CVLens ids UUIDs. Every migrated or legacy_v1-created
row carries its legacy integer in a unique `legacy_id` column (users, resumes, jobs,
analyses) and its UUID is derived from it (`ids.uuid_for`), so the copy plan and this
feature compute the same UUID for the same legacy row without any lookup.
"""
