"""`analyze --jsonl` in worker processes: the same lines, in the same order, as one process."""

import json

import pytest
import typer

from storybank.cli.analyze_batch import run_jsonl, worker_count
from storybank.rubric import load_profile

TEXTS = [
    "I decided to drop the second KYC screen, and verified sign-ups rose 17 %, worth $800k a year.",
    "We helped the team a lot and everyone was happy.",
    "I think we kind of fixed the payments issue in 3 weeks.",
    "Our churn fell from 4 % to 3 % after I rebuilt onboarding with legal and risk.",
]
pytestmark = pytest.mark.skipif(worker_count() < 2, reason="needs two cores and the fork start method")


def _write(tmp_path, lines):
    path = tmp_path / "answers.jsonl"
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return str(path)


def _run(path, workers, capsys):
    try:
        code = run_jsonl(path, load_profile("binance"), "auto", 50.0, workers=workers)
    except typer.Exit as exit_:
        code = exit_.exit_code
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_workers_print_what_one_process_prints_in_input_order(tmp_path, capsys):
    lines = [json.dumps({"id": index, "text": TEXTS[index % len(TEXTS)] + f" Item {index}."}) for index in range(90)]
    lines.insert(40, "")
    path = _write(tmp_path, lines)
    single = _run(path, 1, capsys)
    parallel = _run(path, 2, capsys)
    assert parallel == single
    assert [json.loads(line)["id"] for line in parallel[1].splitlines()] == list(range(90))


def test_a_malformed_line_ends_the_run_after_the_lines_before_it(tmp_path, capsys):
    lines = [json.dumps({"id": index, "text": TEXTS[index % len(TEXTS)]}) for index in range(70)]
    lines.insert(50, "{oops")
    path = _write(tmp_path, lines)
    code, out, err = _run(path, 2, capsys)
    assert code == 2 and "line 51: malformed JSON" in err
    assert [json.loads(line)["id"] for line in out.splitlines()] == list(range(50))
    assert (code, out, err) == _run(path, 1, capsys)
