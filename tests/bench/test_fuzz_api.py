"""bench/fuzz_api.py's own logic, without a server: its schemathesis configuration loads, and its
verdict fails the run on a server error or an error body that is not JSON, with a curl line."""

import json
import runpy
import shlex
from pathlib import Path

import pytest
from schemathesis.config import SchemathesisConfig

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "fuzz_api.py"


@pytest.fixture(scope="module")
def fuzz():
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DATABASE_URL", "sqlite:///unused.sqlite3")  # settings are loaded already
        return runpy.run_path(str(SCRIPT), run_name="loaded")


def entry(status, body, method="POST", url="http://127.0.0.1:1/api/v1/me/check-in"):
    return {
        "request": {
            "method": method,
            "url": url,
            "headers": [
                {"name": "Content-Type", "value": "application/json"},
                {"name": "Cookie", "value": "sessionid=secret"},
            ],
            "postData": {"text": '{"token": "x\'y"}'},
        },
        "response": {"status": status, "content": {"text": body}},
    }


def test_the_dictionaries_of_real_ids_are_a_valid_schemathesis_configuration(fuzz, tmp_path):
    path = tmp_path / "learner.toml"
    ids = {name: [1, 2] for name in set(fuzz["PARAMETERS"].values())}
    fuzz["write_config"](path, {**ids, "practice": []})
    config = SchemathesisConfig.from_path(path)
    parameters = config.projects.get_default().parameters
    assert set(parameters) == set(fuzz["PARAMETERS"]) - {"path.practice_id"}


def test_a_clean_run_passes(fuzz, tmp_path, capsys):
    access = tmp_path / "access.log"
    access.write_text("GET /api/v1/courses/ 200\nPOST /api/v1/me/check-in 400\n")
    made = {"learner": [entry(200, "[]", "GET"), entry(400, json.dumps({"detail": "无效"}))]}
    assert fuzz["report"](made, [("learner", 0, "")], access, 1.0, tmp_path) == 0
    out = capsys.readouterr().out
    assert "2 requests" in out and "2xx 1  4xx 1" in out and "5xx: 0" in out


@pytest.mark.parametrize(
    ("status", "body"),
    [(500, '{"detail": "服务器错误"}'), (404, "<h1>Not Found</h1>"), (400, '{"error": "x"}')],
)
def test_a_server_error_or_an_error_that_is_not_json_fails_the_run(
    fuzz, tmp_path, capsys, status, body
):
    access = tmp_path / "access.log"
    access.write_text("")
    made = {"manager": [entry(200, "{}"), entry(status, body)]}
    assert fuzz["report"](made, [("manager", 0, "")], access, 1.0, tmp_path) == 1
    out = capsys.readouterr().out
    assert f"[manager] {status}" in out
    curl = next(line for line in out.splitlines() if line.strip().startswith("curl"))
    words = shlex.split(curl)
    assert words[1:4] == ["-X", "POST", "http://127.0.0.1:1/api/v1/me/check-in"]
    assert words[words.index("--data-raw") + 1] == '{"token": "x\'y"}'  # quoted for the shell
    assert "secret" not in curl and "$SESSIONID" in curl


def test_schemathesis_failures_fail_the_run(fuzz, tmp_path, capsys):
    access = tmp_path / "access.log"
    access.write_text("")
    outputs = [("learner", 1, "Runtime Error")]
    assert fuzz["report"]({"learner": [entry(200, "{}")]}, outputs, access, 1.0, tmp_path) == 1
    assert "Runtime Error" in capsys.readouterr().out
