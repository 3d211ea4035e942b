r"""Findings where CI shows them: GitHub Actions annotations and SARIF 2.1.0 (code scanning).

Each finding points at the line of its node in the plan file (the line of its ``- id:`` entry).
A stored plan has no file: its findings are reported without a location in GitHub (a notice
in the run) and with only a logical location (the node id) in SARIF.

>>> github_property("a,b: 100%")
'a%2Cb%3A 100%25'
>>> github_data("50% done\nnext")
'50%25 done%0Anext'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from urllib.parse import quote

from alignment.core.analysis import RULES, Finding, Severity
from alignment.formats.escape import json_text

__all__ = [
    "CheckedPlan",
    "github_annotations",
    "github_data",
    "github_property",
    "sarif_log",
    "sarif_text",
]

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
TOOL_URI = "https://pypi.org/project/alignment/"

_GITHUB_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


@dataclass(frozen=True, slots=True)
class CheckedPlan:
    """The findings of one plan, and where its nodes are written (``file`` None: stored)."""

    name: str
    file: str | None
    findings: tuple[Finding, ...]
    lines: Mapping[str, int] = field(default_factory=dict)  # node id -> line in ``file``

    def line(self, finding: Finding) -> int | None:
        return self.lines.get(finding.node) if self.file is not None else None


def _message(finding: Finding) -> str:
    return f"{finding.title} ({finding.node}): {finding.message}"


# -- GitHub workflow commands (escaping as in @actions/core's command.ts) ---------------------------


def github_data(text: str) -> str:
    """The message of a workflow command: what would end it (a line break) is %-encoded."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_property(text: str) -> str:
    """A property value (file, title): also ':' and ',', which separate properties."""
    return github_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotations(plans: Sequence[CheckedPlan]) -> str:
    """One ``::error file=F,line=L,title=RULE::message`` line per finding."""
    out = []
    for checked in plans:
        for finding in checked.findings:
            properties = []
            if checked.file is not None:
                # As a path from the workspace: "./plans/x.yaml" names plans/x.yaml.
                properties.append(f"file={github_property(PurePath(checked.file).as_posix())}")
                line = checked.line(finding)
                if line is not None:
                    properties.append(f"line={line}")
            properties.append(f"title={github_property(finding.rule)}")
            message = _message(finding)
            if checked.file is None:
                message = f"{checked.name}: {message}"  # no file says which plan
            level = _GITHUB_LEVEL[finding.severity]
            out.append(f"::{level} {','.join(properties)}::{github_data(message)}")
    return "".join(line + "\n" for line in out)


# -- SARIF -----------------------------------------------------------------------------------------


def _artifact_uri(path: str) -> str:
    """A relative path stays relative (to the repository root, as code scanning expects)."""
    pure = PurePath(path)
    if pure.is_absolute():
        return "file://" + quote(pure.as_posix())
    return quote(pure.as_posix())


def _rule_name(rule: str) -> str:
    return "".join(part.capitalize() for part in rule.split("-"))


def sarif_log(plans: Sequence[CheckedPlan], version: str | None = None) -> dict[str, object]:
    """A SARIF 2.1.0 log with one run: the rules (all of them) and one result per finding."""
    rule_index = {rule: index for index, rule in enumerate(RULES)}
    driver: dict[str, object] = {"name": "alignment", "informationUri": TOOL_URI}
    if version:
        driver["version"] = version
    driver["rules"] = [
        {
            "id": rule,
            "name": _rule_name(rule),
            "shortDescription": {"text": rule.replace("-", " ")},
            "defaultConfiguration": {"level": _SARIF_LEVEL[severity]},
        }
        for rule, severity in RULES.items()
    ]
    results = []
    for checked in plans:
        for finding in checked.findings:
            location: dict[str, object] = {
                "logicalLocations": [
                    {
                        "name": finding.node,
                        "fullyQualifiedName": f"{checked.name}/{finding.node}",
                        "kind": "object",
                    }
                ]
            }
            if checked.file is not None:
                physical: dict[str, object] = {
                    "artifactLocation": {"uri": _artifact_uri(checked.file)}
                }
                line = checked.line(finding)
                if line is not None:
                    physical["region"] = {"startLine": line}
                location["physicalLocation"] = physical
            result: dict[str, object] = {"ruleId": finding.rule}
            if finding.rule in rule_index:
                result["ruleIndex"] = rule_index[finding.rule]
            result.update(
                {
                    "level": _SARIF_LEVEL[finding.severity],
                    "message": {"text": _message(finding)},
                    "locations": [location],
                    # Stable across edits that move lines: the same finding on the same node.
                    "partialFingerprints": {
                        "alignmentFinding/v1": f"{finding.rule}:{finding.node}"
                    },
                }
            )
            results.append(result)
    return {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [{"tool": {"driver": driver}, "results": results}],
    }


def sarif_text(plans: Sequence[CheckedPlan], version: str | None = None) -> str:
    return json_text(sarif_log(plans, version), indent=2) + "\n"
