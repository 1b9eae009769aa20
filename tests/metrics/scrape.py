"""Reading /metrics as Prometheus does: with prometheus-client's own parser."""

from collections.abc import Mapping

from prometheus_client.parser import text_string_to_metric_families

TOKEN = "metrics-token-for-the-tests-0123456789"
AUTHORIZED = {"Authorization": f"Bearer {TOKEN}"}


class Scrape:
    def __init__(self, text: str) -> None:
        self.text = text
        self.samples = [
            sample for family in text_string_to_metric_families(text) for sample in family.samples
        ]

    def value(self, name: str, **labels: str) -> float:
        """The sample of that name with those labels (others any); 0 when there is none."""
        found = [s.value for s in self.samples if s.name == name and _has(s.labels, labels)]
        assert len(found) <= 1, f"{name} {labels} matches {len(found)} samples"
        return found[0] if found else 0.0

    def total(self, name: str, **labels: str) -> float:
        """The sum of all samples of that name that have those labels."""
        return sum(s.value for s in self.samples if s.name == name and _has(s.labels, labels))

    def labels(self, name: str, label: str) -> set[str]:
        return {s.labels[label] for s in self.samples if s.name == name}


def _has(labels: Mapping[str, str], wanted: Mapping[str, str]) -> bool:
    return all(labels.get(key) == value for key, value in wanted.items())
