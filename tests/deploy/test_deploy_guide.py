"""docs/deploy.md's examples agree with the app and with the tested nginx set-up: the probes'
endpoints exist and mean what the guide says, the manifests parse, the nginx directives that
the replica test relies on are the guide's."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from app.config import setting_names
from bench.replicas import nginx_config
from tools.live_server import ROOT

GUIDE = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", GUIDE, re.DOTALL)


def _manifests() -> list[dict[str, Any]]:
    [block] = _blocks("yaml")
    return [document for document in yaml.safe_load_all(block) if document]


def test_manifests_are_a_deployment_a_service_and_an_autoscaler() -> None:
    kinds = [document["kind"] for document in _manifests()]
    assert kinds == ["Deployment", "Service", "HorizontalPodAutoscaler"]


def test_probes_use_separate_endpoints_the_app_serves() -> None:
    deployment = _manifests()[0]
    pod = deployment["spec"]["template"]["spec"]
    [container] = pod["containers"]
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz/live"
    assert container["readinessProbe"]["httpGet"]["path"] == "/healthz/ready"
    assert pod["securityContext"]["runAsUser"] == 10001  # the Dockerfile's USER
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert {"requests", "limits"} <= set(container["resources"])


def test_every_setting_the_guide_sets_exists() -> None:
    named = set(re.findall(r"\bAGV_[A-Z_]+\b", GUIDE))
    assert named, "the guide names no setting"
    assert named <= set(setting_names()), named - set(setting_names())


def test_guide_nginx_retries_and_forwards_as_the_tested_configuration_does(
    tmp_path: Path,
) -> None:
    [guide] = [block for block in _blocks("nginx") if "proxy_pass" in block]
    tested = nginx_config(tmp_path, 8080, [9001, 9002])
    for directive in (
        "proxy_next_upstream error timeout http_502 http_503 non_idempotent;",
        "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
        "proxy_set_header X-Forwarded-Proto $scheme;",
        "proxy_http_version 1.1;",
        'proxy_set_header Connection "";',
        "max_fails=1 fail_timeout=3s;",
    ):
        assert directive in guide and directive in tested, directive
