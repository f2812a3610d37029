-- A PostgreSQL mirror of the legacy tables: the target of examples/legacy_flask/mirror_plan.yaml.
CREATE TABLE IF NOT EXISTS legacy_users (
    id bigint PRIMARY KEY,
    email text NOT NULL UNIQUE,
    password_hash text NOT NULL,
    created_at timestamptz NOT NULL
);
CREATE TABLE IF NOT EXISTS legacy_resumes (
    id bigint PRIMARY KEY,
    user_id bigint NOT NULL,
    filename text NOT NULL,
    content bytea NOT NULL,
    extracted_text text NOT NULL,
    uploaded_at timestamptz NOT NULL
);
CREATE TABLE IF NOT EXISTS legacy_optimizations (
    id bigint PRIMARY KEY,
    resume_id bigint NOT NULL,
    job_description text NOT NULL,
    result jsonb NOT NULL,
    score integer NOT NULL,
    created_at timestamptz NOT NULL
);
