"""Turn the benchmark's measurements into a Markdown report and a plot."""

from __future__ import annotations

import math
import shutil
from collections import defaultdict
from pathlib import Path
from typing import Any

from scenarios import SCENARIOS

TITLES = {scenario.key: scenario.title for scenario in SCENARIOS}
IMPLEMENTATION_TITLES = {
    "collection": "collection (role ca_rollout)",
    "handwritten": "hand-written (uri + openssl)",
}
OPERATIONS = ("list", "get", "create", "update", "import", "delete")
WALL_TIME_RATIO_TARGET = 0.7
WALL_TIME_TARGET_SIZE = 100
# Requests per property may not grow with N by more than this (rounding, a page more).
LINEAR_TOLERANCE = 1.05


def no_change_request_limit(size: int) -> int:
    return size + math.ceil(size / 10)


def _index(measurements: list[dict[str, Any]]) -> dict[tuple[str, str, int], dict[str, Any]]:
    return {
        (measurement["implementation"], measurement["scenario"], measurement["size"]): measurement
        for measurement in measurements
    }


def _verdict(met: bool | None) -> str:
    return "n/a" if met is None else ("**met**" if met else "**missed**")


def _linear_growth(measurements: list[dict[str, Any]]) -> tuple[bool | None, list[str]]:
    series: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    for measurement in measurements:
        key = (measurement["implementation"], measurement["scenario"])
        series[key].append((measurement["size"], measurement["api_requests"]))
    met: bool | None = None
    lines = []
    for (implementation, scenario), points in sorted(series.items()):
        points.sort()
        per_property = [requests / size for size, requests in points]
        grows = any(
            later > earlier * LINEAR_TOLERANCE
            for earlier, later in zip(per_property, per_property[1:])
        )
        # The target is the collection's; the hand-written playbook is shown for reference.
        if len(points) > 1 and implementation == "collection":
            met = (met is not False) and not grows
        shown = ", ".join(f"N={size}: {requests / size:.2f}" for size, requests in points)
        verdict = " (grows)" if grows and len(points) > 1 else ""
        lines.append(f"{implementation} / {TITLES[scenario]}: {shown}{verdict}")
    return met, lines


def _targets(measurements: list[dict[str, Any]]) -> list[str]:
    index = _index(measurements)
    sizes = sorted({measurement["size"] for measurement in measurements})
    lines = ["| target | measured | verdict |", "|---|---|---|"]

    linear, per_property = _linear_growth(measurements)
    lines.append(
        "| the collection's API requests grow linearly with N (requests per property do not"
        " grow) | " + "<br>".join(per_property) + f" | {_verdict(linear)} |"
    )

    for size in sizes:
        run = index.get(("collection", "no_change", size))
        if run is None:
            continue
        limit = no_change_request_limit(size)
        met = run["api_requests"] <= limit and run["token_requests"] == 1
        lines.append(
            f"| no-change re-run, N={size}: at most {limit} API requests and 1 token request"
            f" | {run['api_requests']} API requests, {run['token_requests']} token requests"
            f" | {_verdict(met)} |"
        )

    ratio_sizes = [WALL_TIME_TARGET_SIZE] if WALL_TIME_TARGET_SIZE in sizes else sizes
    for size in ratio_sizes:
        for scenario in ("first_rollout", "no_change"):
            ours = index.get(("collection", scenario, size))
            theirs = index.get(("handwritten", scenario, size))
            if ours is None or theirs is None:
                continue
            ratio = ours["wall_seconds"] / theirs["wall_seconds"]
            note = "" if size == WALL_TIME_TARGET_SIZE else " (target is set at N=100)"
            lines.append(
                f"| {TITLES[scenario]}, N={size}{note}: collection's wall time at most"
                f" {WALL_TIME_RATIO_TARGET} of the hand-written playbook's"
                f" | {ours['wall_seconds']:.1f} s against {theirs['wall_seconds']:.1f} s:"
                f" {ratio:.2f} | {_verdict(ratio <= WALL_TIME_RATIO_TARGET)} |"
            )
    return lines


def _results_table(measurements: list[dict[str, Any]]) -> list[str]:
    header = (
        "| N | scenario | implementation | wall s | API requests | "
        + " | ".join(OPERATIONS)
        + " | tokens | tasks | task results | changed | peak PSS all MiB"
        " | peak RSS one MiB | load avg | check |"
    )
    lines = [header, "|" + "---|" * (header.count("|") - 1)]
    for measurement in measurements:
        by_operation = measurement["requests_by_operation"]
        lines.append(
            f"| {measurement['size']} | {TITLES[measurement['scenario']]}"
            f" | {measurement['implementation']} | {measurement['wall_seconds']:.1f}"
            f" | {measurement['api_requests']} | "
            + " | ".join(str(by_operation.get(operation, 0)) for operation in OPERATIONS)
            + f" | {measurement['token_requests']} | {measurement['task_starts']}"
            f" | {measurement['task_results']} | {measurement['results'].get('changed', 0)}"
            f" | {measurement.get('peak_pss_tree_mib', 0):.0f}"
            f" | {measurement['peak_rss_largest_mib']:.0f}"
            f" | {_load(measurement)} | {measurement['check']} |"
        )
    return lines


def _load(measurement: dict[str, Any]) -> str:
    load = measurement.get("load_average")
    return f"{load[0]:.1f}→{load[1]:.1f}" if load else "?"


def _profile(measurements: list[dict[str, Any]]) -> list[str]:
    """The slowest tasks at the size the wall-time targets are set at, or the largest."""
    sizes = {measurement["size"] for measurement in measurements}
    profiled = WALL_TIME_TARGET_SIZE if WALL_TIME_TARGET_SIZE in sizes else max(sizes)
    lines = [
        f"Slowest tasks at N={profiled} (wall time from a task's start to the next one's,"
        " per-host results counted by the benchmark's callback):",
        "",
    ]
    for measurement in measurements:
        if measurement["size"] != profiled or measurement["scenario"] not in (
            "first_rollout",
            "no_change",
        ):
            continue
        lines += [
            f"**{measurement['implementation']}, {TITLES[measurement['scenario']]}**"
            f" ({measurement['wall_seconds']:.1f} s, {measurement['task_results']} task results,"
            f" {measurement['wall_seconds'] / max(measurement['task_results'], 1) * 1000:.0f} ms"
            " per task result)",
            "",
            "| task | action | results | seconds | ms per result |",
            "|---|---|---|---|---|",
        ]
        slowest = sorted(
            measurement.get("tasks", []), key=lambda task: task["seconds"], reverse=True
        )
        for task in slowest[:8]:
            # Ansible names a role's task "role : task" already.
            role_prefix = f"{task['role']} : "
            name = task["name"]
            if task["role"] and not name.startswith(role_prefix):
                name = role_prefix + name
            per_result = task["seconds"] / max(task["results"], 1) * 1000
            lines.append(
                f"| {name} | {task['action']} | {task['results']} | {task['seconds']:.1f}"
                f" | {per_result:.0f} |"
            )
        lines.append("")
    return lines


def _plot(measurements: list[dict[str, Any]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot
    from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator

    index = _index(measurements)
    scenarios = [
        scenario.key
        for scenario in SCENARIOS
        if any(measurement["scenario"] == scenario.key for measurement in measurements)
    ]
    implementations = sorted({measurement["implementation"] for measurement in measurements})
    sizes = sorted({measurement["size"] for measurement in measurements})
    figure, axes = pyplot.subplots(
        2, len(scenarios), figsize=(3.4 * len(scenarios), 6.6), squeeze=False
    )
    styles = {
        "collection": {"color": "tab:blue", "marker": "o", "linestyle": "-"},
        "handwritten": {"color": "tab:orange", "marker": "s", "linestyle": "--"},
    }
    for column, scenario in enumerate(scenarios):
        time_axis, request_axis = axes[0][column], axes[1][column]
        for implementation in implementations:
            points = [
                index[(implementation, scenario, size)]
                for size in sizes
                if (implementation, scenario, size) in index
            ]
            label = IMPLEMENTATION_TITLES.get(implementation, implementation)
            time_axis.plot(
                [point["size"] for point in points],
                [point["wall_seconds"] for point in points],
                label=label,
                **styles.get(implementation, {}),
            )
            request_axis.plot(
                [point["size"] for point in points],
                [max(point["api_requests"], 0.8) for point in points],
                label=label,
                **styles.get(implementation, {}),
            )
        if scenario == "no_change":
            request_axis.plot(
                sizes,
                [no_change_request_limit(size) for size in sizes],
                color="grey",
                linestyle=":",
                label="target: N + ceil(N/10)",
            )
        time_axis.set_title(TITLES[scenario])
        for axis in (time_axis, request_axis):
            axis.set_xscale("log")
            axis.set_yscale("log")
            axis.set_xticks(sizes, [str(size) for size in sizes])
            axis.xaxis.set_minor_locator(NullLocator())
            # 1-2-5 steps with plain numbers read better than powers of ten.
            axis.yaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 1.5, 2.0, 3.0, 5.0, 7.0)))
            axis.yaxis.set_minor_locator(NullLocator())
            axis.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
            axis.grid(True, which="major", alpha=0.3)
            axis.set_xlabel("properties (N)")
        if column == 0:
            time_axis.set_ylabel("wall time (s)")
            request_axis.set_ylabel("API requests")
    handles, labels = axes[1][
        scenarios.index("no_change") if "no_change" in scenarios else 0
    ].get_legend_handles_labels()
    figure.legend(handles, labels, loc="lower center", ncol=len(labels), frameon=False)
    figure.suptitle("Rollout against the emulator: wall time and API requests by N")
    figure.tight_layout(rect=(0, 0.06, 1, 0.96))
    figure.savefig(path, dpi=110)
    pyplot.close(figure)


def write_report(
    measurements: list[dict[str, Any]], settings: dict[str, Any], output_dir: Path
) -> Path:
    """Write rollout-<date>.md and .png, and copies named latest.md and latest.png."""
    date = settings["started"][:10]
    output_dir.mkdir(parents=True, exist_ok=True)
    dated = output_dir / f"rollout-{date}"
    _plot(measurements, dated.with_suffix(".png"))
    shutil.copyfile(dated.with_suffix(".png"), output_dir / "latest.png")
    for markdown_path, plot_name in (
        (dated.with_suffix(".md"), dated.with_suffix(".png").name),
        (output_dir / "latest.md", "latest.png"),
    ):
        markdown_path.write_text(_markdown(measurements, settings, plot_name))
    return dated.with_suffix(".md")


def _markdown(measurements: list[dict[str, Any]], settings: dict[str, Any], plot: str) -> str:
    lines = [
        f"# Rollout benchmark, {settings['started']}",
        "",
        f"Made with `{settings['command']}` at commit `{settings.get('commit', 'unknown')}`"
        f" on {settings['cpus']} CPUs, forks"
        f" {settings['forks']}, against `asp-emulator --creation-delay 0` (one emulator per"
        " implementation and size). Wall time is `ansible-playbook` from start to exit; API"
        " requests and token requests are the emulator's counts for that run alone; tasks are"
        ' tasks started, task results are per host; peak PSS "all" sums the proportional'
        ' set size of every process of the run (sampled every 0.2 s), peak RSS "one" is'
        " the largest single process (from the kernel). The load average is the machine's"
        " before and after the run: the machine is shared, so compare the implementations"
        " within one run, where they take turns.",
        "",
        "## Targets",
        "",
        *_targets(measurements),
        "",
        "Why a target is met or missed, and what in the role would change it, is worked out"
        " by hand from these figures in [analysis.md](analysis.md).",
        "",
        "## Measurements",
        "",
        f"![wall time and API requests against N]({plot})",
        "",
        *_results_table(measurements),
        "",
        "## Where the time goes",
        "",
        *_profile(measurements),
    ]
    return "\n".join(lines) + "\n"
