"""The deployment files in `deploy/`, checked with what runs without Docker or a cluster.

- every Kubernetes manifest validates against the Kubernetes schema (kubernetes-validate
  ships the schemas, so this runs offline) and the manifests agree with each other;
- every `CVLENS_*` name in compose, k8s or the Dockerfile is a field of `Settings`;
- the compose services wait for what they need, with healthchecks where they are waited on;
- the Dockerfile runs as a non-root user, has a HEALTHCHECK and pins its base images;
- both gateway configurations load with the gateway's own config loader;
- the wheel ships the Alembic migrations, and `cvlens db upgrade` runs from the installed
  wheel in a directory outside the repository.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from cutover.config import load_config, parse_config
from cvlens.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
K8S = DEPLOY / "k8s"
KUBERNETES_VERSION = "1.33"
SETTING_NAMES = frozenset(f"CVLENS_{name.upper()}" for name in Settings.model_fields)
SETTING_NAME = re.compile(r"CVLENS_[A-Z0-9_]+")
PIP = (sys.executable, "-m", "pip")
COMPOSE_CONDITIONS = {"service_started", "service_healthy", "service_completed_successfully"}

Manifest = dict[str, Any]


def unknown_setting_names(text: str) -> set[str]:
    """`CVLENS_*` names in `text` that are not fields of `Settings` (typos, removed settings)."""
    return set(SETTING_NAME.findall(text)) - SETTING_NAMES


def manifest_files() -> list[Path]:
    return sorted(p for p in K8S.glob("*.yaml") if p.name != "kustomization.yaml")


def manifests() -> list[Manifest]:
    docs: list[Manifest] = []
    for path in manifest_files():
        docs.extend(d for d in yaml.safe_load_all(path.read_text(encoding="utf-8")) if d)
    return docs


def by_kind(kind: str) -> dict[str, Manifest]:
    return {m["metadata"]["name"]: m for m in manifests() if m["kind"] == kind}


def pod_specs() -> dict[str, Manifest]:
    """Pod templates of every Deployment and Job, by workload name."""
    workloads = by_kind("Deployment") | by_kind("Job")
    return {name: w["spec"]["template"]["spec"] for name, w in workloads.items()}


def compose() -> Manifest:
    loaded: Manifest = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))
    return loaded


# ---- Kubernetes --------------------------------------------------------------------------


@pytest.mark.parametrize("path", manifest_files(), ids=lambda p: p.name)
def test_k8s_manifest_validates_against_the_kubernetes_schema(path: Path) -> None:
    docs = [d for d in yaml.safe_load_all(path.read_text(encoding="utf-8")) if d]
    assert docs, f"{path.name} holds no manifest"
    for doc in docs:
        kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)


def test_the_schema_check_rejects_a_broken_manifest() -> None:
    deployment = by_kind("Deployment")["cvlens-api"]
    broken = {**deployment, "spec": {**deployment["spec"], "replicas": "two"}}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, KUBERNETES_VERSION, strict=True)
    misspelt = {**deployment, "spec": {**deployment["spec"], "replica": 2}}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(misspelt, KUBERNETES_VERSION, strict=True)


def test_kustomization_lists_exactly_the_manifests() -> None:
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text(encoding="utf-8"))
    assert sorted(kustomization["resources"]) == [p.name for p in manifest_files()]
    assert kustomization["namespace"] == by_kind("Namespace").popitem()[0]


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl (apt: kubectl) not installed")
def test_kustomize_renders_every_object_into_the_namespace() -> None:
    rendered = subprocess.run(
        ["kubectl", "kustomize", str(K8S)], check=True, capture_output=True, text=True, timeout=60
    ).stdout
    objects = [d for d in yaml.safe_load_all(rendered) if d]
    assert len(objects) == len(manifests())
    for obj in objects:
        kubernetes_validate.validate(obj, KUBERNETES_VERSION, strict=True)
        assert obj["metadata"]["labels"]["app.kubernetes.io/part-of"] == "cvlens"
        if obj["kind"] != "Namespace":
            assert obj["metadata"]["namespace"] == "cvlens", obj["metadata"]["name"]


def test_every_workload_runs_non_root_on_a_read_only_root_with_a_tmp_volume() -> None:
    specs = pod_specs()
    assert {"cvlens-api", "cvlens-worker", "cvlens-gateway", "cvlens-migrate"} <= set(specs)
    for name, spec in specs.items():
        assert spec["securityContext"]["runAsNonRoot"] is True, name
        assert spec["securityContext"]["runAsUser"] != 0, name
        tmp_volumes = {v["name"] for v in spec["volumes"] if "emptyDir" in v}
        for container in spec["containers"]:
            security = container["securityContext"]
            assert security["readOnlyRootFilesystem"] is True, name
            assert security["allowPrivilegeEscalation"] is False, name
            assert security["capabilities"]["drop"] == ["ALL"], name
            assert {"requests", "limits"} <= set(container["resources"]), name
            tmp = [m for m in container["volumeMounts"] if m["mountPath"] == "/tmp"]
            assert tmp and tmp[0]["name"] in tmp_volumes, f"{name}: /tmp is not an emptyDir"


def test_api_probes_hit_the_health_endpoints() -> None:
    (api,) = pod_specs()["cvlens-api"]["containers"]
    assert api["readinessProbe"]["httpGet"]["path"] == "/health/ready"
    assert api["livenessProbe"]["httpGet"]["path"] == "/health/live"
    assert api["args"][0] == "serve"
    assert pod_specs()["cvlens-worker"]["containers"][0]["args"] == ["worker"]
    assert pod_specs()["cvlens-migrate"]["containers"][0]["args"] == ["db", "upgrade"]
    gateway = pod_specs()["cvlens-gateway"]["containers"][0]
    assert gateway["command"] == ["cutover"] and gateway["args"][0] == "serve"


def test_services_pdbs_and_hpas_point_at_real_deployments() -> None:
    deployments = by_kind("Deployment")
    template_labels = [d["spec"]["template"]["metadata"]["labels"] for d in deployments.values()]

    def selects_a_deployment(selector: dict[str, str]) -> bool:
        return any(selector.items() <= labels.items() for labels in template_labels)

    for name, service in by_kind("Service").items():
        assert selects_a_deployment(service["spec"]["selector"]), name
    pdbs = by_kind("PodDisruptionBudget")
    for name, pdb in pdbs.items():
        assert selects_a_deployment(pdb["spec"]["selector"]["matchLabels"]), name
    hpas = by_kind("HorizontalPodAutoscaler")
    targets = {h["spec"]["scaleTargetRef"]["name"] for h in hpas.values()}
    assert targets == {"cvlens-api", "cvlens-worker"}
    assert targets <= set(deployments)
    for hpa in hpas.values():
        assert hpa["spec"]["metrics"][0]["resource"]["name"] == "cpu"
        assert hpa["spec"]["minReplicas"] > pdbs[hpa["metadata"]["name"]]["spec"]["minAvailable"]


def test_config_and_secret_references_exist() -> None:
    config_maps, secrets = set(by_kind("ConfigMap")), set(by_kind("Secret"))
    for name, spec in pod_specs().items():
        for container in spec["containers"]:
            for source in container.get("envFrom", []):
                if "configMapRef" in source:
                    assert source["configMapRef"]["name"] in config_maps, name
                if "secretRef" in source:
                    assert source["secretRef"]["name"] in secrets, name
            for env in container.get("env", []):
                if ref := env.get("valueFrom", {}).get("secretKeyRef"):
                    secret = by_kind("Secret")[ref["name"]]
                    assert ref["key"] in secret["stringData"], name
        for volume in spec["volumes"]:
            if "configMap" in volume:
                assert volume["configMap"]["name"] in config_maps, name


def test_k8s_settings_are_real_settings() -> None:
    config = by_kind("ConfigMap")["cvlens-config"]["data"]
    secret = by_kind("Secret")["cvlens-secrets"]["stringData"]
    names = set(config) | {k for k in secret if k.startswith("CVLENS_")}
    assert names - SETTING_NAMES == set()
    # Settings of the same name in both would make the later envFrom source win silently.
    assert set(config).isdisjoint(secret)
    # Every API replica must sign with one key, so it cannot be a generated per-pod file.
    assert "CVLENS_JWT_PRIVATE_KEY" in secret
    assert config["CVLENS_ENV"] == "prod"


def test_gateway_config_map_is_a_valid_cutover_config() -> None:
    text = by_kind("ConfigMap")["cvlens-gateway"]["data"]["cutover.yaml"]
    config = parse_config(text, "gateway-configmap.yaml")
    assert config.new.url.rstrip("/") == "http://cvlens-api:8000"
    assert config.state.backend == "redis"
    gateway_service = by_kind("Service")["cvlens-api"]
    assert gateway_service["spec"]["ports"][0]["port"] == 8000


# ---- every CVLENS_ name is a setting ----------------------------------------------------


def test_the_setting_name_check_catches_a_typo() -> None:
    assert unknown_setting_names("CVLENS_DATABASE_URL: x\nCVLENS_DATABSE_URL: y") == {
        "CVLENS_DATABSE_URL"
    }


@pytest.mark.parametrize(
    "path",
    [DEPLOY / "Dockerfile", DEPLOY / "compose.yaml", *sorted(K8S.glob("*.yaml"))],
    ids=lambda p: p.name,
)
def test_every_cvlens_name_in_deploy_files_is_a_setting(path: Path) -> None:
    assert unknown_setting_names(path.read_text(encoding="utf-8")) == set()


# ---- compose -----------------------------------------------------------------------------


def test_compose_has_every_role_and_engine() -> None:
    services = compose()["services"]
    assert {
        "api",
        "worker",
        "migrate",
        "gateway",
        "postgres",
        "redis",
        "rabbitmq",
        "minio",
        "create-bucket",
    } <= set(services)
    assert services["api"]["deploy"]["replicas"] >= 2
    assert services["worker"]["deploy"]["replicas"] >= 2
    assert services["worker"]["command"] == ["worker"]
    assert services["migrate"]["command"] == ["db", "upgrade"]
    assert services["gateway"]["entrypoint"] == ["cutover"]


def test_compose_environment_uses_real_settings_and_scale_out_backends() -> None:
    services = compose()["services"]
    for role in ("api", "worker", "migrate"):
        env = services[role]["environment"]
        assert set(env) - SETTING_NAMES == set(), role
        assert env["CVLENS_DATABASE_URL"].startswith("postgresql+asyncpg://"), role
        assert env["CVLENS_BROKER_URL"].startswith("amqp://"), role
        assert env["CVLENS_STORAGE_URL"].startswith("s3://"), role
        assert env["CVLENS_REDIS_URL"].startswith("redis://"), role
        assert env["CVLENS_SECRET_KEY"].startswith("${CVLENS_SECRET_KEY:?"), "secret required"


def test_compose_dependencies_wait_for_health_or_completion() -> None:
    services = compose()["services"]
    for name, service in services.items():
        for target, spec in service.get("depends_on", {}).items():
            assert target in services, f"{name} depends on unknown {target}"
            condition = spec["condition"]
            assert condition in COMPOSE_CONDITIONS, name
            if condition == "service_healthy":
                check = services[target].get("healthcheck", {})
                assert check.get("test") and not check.get("disable"), f"{target} unchecked"
    for role in ("api", "worker"):
        depends = services[role]["depends_on"]
        assert depends["migrate"]["condition"] == "service_completed_successfully"
        assert depends["create-bucket"]["condition"] == "service_completed_successfully"
    assert "/health/ready" in " ".join(services["api"]["healthcheck"]["test"])


def test_compose_gateway_config_loads() -> None:
    config_file = compose()["configs"]["cutover"]["file"]
    config = load_config(DEPLOY / config_file)
    assert config.new.url.rstrip("/") == "http://api:8000"


def test_every_image_is_pinned() -> None:
    images = [s["image"] for s in compose()["services"].values() if "image" in s]
    for spec in pod_specs().values():
        images += [c["image"] for c in spec["containers"]]
    for line in (DEPLOY / "Dockerfile").read_text(encoding="utf-8").splitlines():
        if line.startswith("FROM "):
            images.append(line.split()[1])
    for image in images:
        name, _, tag = image.rpartition(":")
        assert name and tag and tag != "latest" and "/" not in tag, image


# ---- Dockerfile --------------------------------------------------------------------------


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    text = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    joined = re.sub(r"\\\n", " ", text)
    instructions = []
    for line in joined.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            keyword, _, rest = line.strip().partition(" ")
            instructions.append((keyword.upper(), rest.strip()))
    return instructions


def test_dockerfile_is_multi_stage_and_runs_as_a_non_root_user() -> None:
    instructions = dockerfile_instructions()
    stages = [rest for keyword, rest in instructions if keyword == "FROM"]
    assert len(stages) >= 2 and all(s.startswith("python:3.11-slim") for s in stages)
    final = max(i for i, (keyword, _) in enumerate(instructions) if keyword == "FROM")
    users = [rest for keyword, rest in instructions[final:] if keyword == "USER"]
    assert users, "the final stage sets no USER"
    user = users[-1].split(":")[0]
    assert user not in {"root", "0"}
    assert any(k == "RUN" and "pip wheel" in rest for k, rest in instructions[:final])


def test_dockerfile_has_a_healthcheck_and_the_cvlens_entrypoint() -> None:
    instructions = dict(dockerfile_instructions())
    assert "/health/live" in instructions["HEALTHCHECK"]
    assert instructions["ENTRYPOINT"] == '["cvlens"]'


def test_dockerfile_copies_named_paths_only() -> None:
    """No `COPY . .`: the context may hold .env, var/ (keys, databases) or a .venv."""
    copies = [rest for keyword, rest in dockerfile_instructions() if keyword == "COPY"]
    assert copies
    for rest in copies:
        sources = [p for p in rest.split()[:-1] if not p.startswith("--")]
        assert sources and all(s not in {".", "./", "*"} for s in sources), rest
        assert not any(".env" in s or s.startswith("var") for s in sources), rest


# ---- the wheel ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [*PIP, "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(ROOT)],
        check=True,
        timeout=240,
    )
    (built,) = out.glob("cvlens-*.whl")
    return built


def test_wheel_ships_migrations_and_both_packages(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "cvlens/_migrations/env.py" in names
    assert any(n.startswith("cvlens/_migrations/versions/") and n.endswith(".py") for n in names)
    assert "cvlens/cli.py" in names and "cutover/cli.py" in names
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    scripts = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "cvlens = cvlens.cli:app" in scripts and "cutover = cutover.cli:app" in scripts


def test_db_upgrade_runs_from_the_installed_wheel_outside_the_repo(
    wheel: Path, tmp_path: Path
) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [*PIP, "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
        check=True,
        timeout=240,
    )
    work = tmp_path / "work"
    work.mkdir()
    database = work / "cvlens.db"
    script = (
        "import sys; sys.path.insert(0, sys.argv.pop(1)); import cvlens;"
        "from cvlens.platform.migrations import migrations_dir;"
        "print(cvlens.__file__); print(migrations_dir()); from cvlens.cli import app; app()"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("CVLENS_")}
    env |= {
        "CVLENS_DATABASE_URL": f"sqlite+aiosqlite:///{database}",
        "CVLENS_DATA_DIR": str(work / "var"),
    }
    result = subprocess.run(
        [sys.executable, "-c", script, str(target), "db", "upgrade"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    module_file, migrations, *_ = result.stdout.splitlines()
    assert Path(module_file).is_relative_to(target)
    assert Path(migrations) == target / "cvlens" / "_migrations"
    with sqlite3.connect(database) as db:
        (revision,) = db.execute("SELECT version_num FROM alembic_version").fetchone()
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert revision
    assert {"users", "jobs", "resumes", "analyses"} <= tables, tables
