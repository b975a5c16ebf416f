"""The supervisor, as a user meets it: a worker that dies is replaced and the view comes back, a request
that cannot be sent gets a message, Cancel during a long load returns to the previous view, and a runaway
query stops itself at the time budget. Restarts boot from the start-up snapshot, as they do for users."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import ACTION_TIMEOUT_MS, BOOT_TIMEOUT_MS, App, new_context

RESTARTED = "The Python engine stopped and was restarted; your work is kept"
CANCELLED = "Cancelled; the previous view is back"
TEST_HOOKS = "globalThis.LOUPE_TEST = true;"  # exposes globalThis.__loupeClient


@pytest.fixture(scope="module")
def sup(browser: Any, base_url: str) -> Iterator[App]:
    context = new_context(browser, snapshots=True)
    context.add_init_script(TEST_HOOKS)
    page = context.new_page()
    page.set_default_timeout(ACTION_TIMEOUT_MS)
    app = App(page, base_url).open()
    # Restarts boot from the snapshot a first visit saves, as a user's would.
    page.wait_for_function(
        "() => document.documentElement.dataset.loupeSnapshot === 'saved'", timeout=BOOT_TIMEOUT_MS
    )
    yield app
    context.close()


def replays(app: App) -> int:
    return int(app.page.get_attribute("html", "data-loupe-replays") or 0)


def wait_replayed(app: App, after: int, timeout: int = BOOT_TIMEOUT_MS) -> None:
    app.page.wait_for_function(
        """(n) => Number(document.documentElement.dataset.loupeReplays || 0) > n
                  && document.documentElement.dataset.loupeState === 'ready'""",
        arg=after,
        timeout=timeout,
    )


def open_file(app: App, path: Path) -> None:
    """Open a file with the file input and wait until its table and default chart are drawn."""
    app.act(lambda: app.page.set_input_files("#file-input", str(path)))
    app.page.wait_for_function(
        "(name) => document.querySelector('#dataset-name').textContent === name"
        " && document.documentElement.dataset.loupeState === 'ready'"
        " && document.querySelector('#chart svg') !== null",
        arg=path.name,
    )


def add_step(app: App, step_json: str) -> None:
    app.page.fill("#step-json", step_json)
    app.act(lambda: app.page.click("#step-form button[type=submit]"))


def test_a_killed_worker_is_noticed_restarted_and_the_view_comes_back(sup: App, tmp_path: Path) -> None:
    # RELIABILITY 39: the worker dies (terminated from the test, as a crash would end it); the page
    # notices (no answer to its ping), starts a fresh worker, reads both files again and shows the
    # same steps (a join of the two tables) and chart.
    page = sup.page
    people = tmp_path / "people.csv"
    people.write_text(
        "id,team\n" + "".join(f"{i},{'ab'[i % 2]}{i % 5}\n" for i in range(1, 41)), encoding="utf-8"
    )
    orders = tmp_path / "orders.csv"
    regions = ["North", "South", "East", "West"]
    orders.write_text(
        "order,id,region,amount\n"
        + "".join(f"{n},{n % 40 + 1},{regions[n % 4]},{n * 3}\n" for n in range(200)),
        encoding="utf-8",
    )
    open_file(sup, people)
    open_file(sup, orders)
    add_step(sup, '{"verb": "join", "table": "people", "on": ["id"]}')
    add_step(sup, '{"verb": "filter", "column": "amount", "op": ">", "value": 30}')
    page.select_option("#chart-type", "column")
    page.wait_for_function("() => document.querySelector('#chart-json').value.includes('column')")
    sup.wait_ready()
    before = {
        "rows": page.locator("#row-count").inner_text(),
        "steps": page.locator("#steps li .step-text").all_inner_texts(),
        "bars": page.locator("#chart svg .bar").count(),
        "teams": sup.column("team"),
        "chart": page.locator("#chart-json").input_value(),
    }
    assert before["rows"] == "189 rows" and len(before["steps"]) == 2 and before["bars"] == 4
    assert before["teams"] and all(before["teams"])  # the joined column is there

    count = replays(sup)
    page.evaluate("""() => {
        const client = globalThis.__loupeClient;
        const times = window.crashTimes = { killed: performance.now() };
        const note = (name) => () => { times[name] = performance.now(); };
        client.addEventListener('restarted', (event) => {
            times.noticed = event.detail.at;
            times.ready = performance.now();
        }, { once: true });
        client.addEventListener('replayed', note('replayed'), { once: true });
        client.terminateForTest();
    }""")
    wait_replayed(sup, count)
    times = page.evaluate("() => window.crashTimes")
    print(
        f"\nRELIABILITY 39: worker killed -> noticed {times['noticed'] - times['killed']:.0f} ms,"
        f" -> new worker ready {times['ready'] - times['killed']:.0f} ms,"
        f" -> view replayed {times['replayed'] - times['killed']:.0f} ms"
    )
    assert sup.status() == RESTARTED
    after = {
        "rows": page.locator("#row-count").inner_text(),
        "steps": page.locator("#steps li .step-text").all_inner_texts(),
        "bars": page.locator("#chart svg .bar").count(),
        "teams": sup.column("team"),
        "chart": page.locator("#chart-json").input_value(),
    }
    assert after == before
    # The new worker answers the next change: a sort on the replayed pipeline.
    sup.act(lambda: page.click("#table thead th[data-column='amount']"))
    assert sup.status() == ""
    assert page.locator("#steps li").count() == 3


def test_a_request_that_cannot_be_sent_gets_a_message_and_the_page_stays_usable(sup: App) -> None:
    # RELIABILITY 41: parameters the browser cannot copy to the worker (a function), and parameters
    # the worker receives empty (3,000 nested lists: they arrive as null) are each answered.
    page = sup.page
    sup.show_sample()
    errors = page.evaluate("""async () => {
        const client = globalThis.__loupeClient;
        let deep = [];
        for (let i = 0; i < 3000; i++) deep = [deep];
        const out = [];
        for (const pipeline of [[() => 1], deep]) {
            try {
                await client.request('view', { session: 'probe', pipeline });
                out.push('answered');
            } catch (error) {
                out.push(`${error.info.code}: ${error.message}`);
            }
        }
        return out;
    }""")
    assert errors[0].startswith("spec: the request could not be sent to the Python engine")
    assert "could not be cloned" in errors[0]
    assert errors[1].startswith("spec: the request arrived empty: its parameters could not be copied")
    assert page.evaluate("() => globalThis.__loupeClient.restarts") == 0  # the worker was fine all along
    page.select_option("#filter-column", "region")
    page.fill("#filter-value", "West")
    sup.act(lambda: page.click("#filter-form button[type=submit]"))
    assert set(sup.column("region")) == {"West"}


def test_cancel_during_a_large_load_returns_to_the_previous_view(sup: App, tmp_path: Path) -> None:
    # RELIABILITY 40: a million-row file is loading; Cancel stops the worker (terminate: this page is
    # not cross-origin isolated) and the previous view is back on screen within 2 s, usable again
    # once the fresh worker has replayed it.
    page = sup.page
    sup.show_sample()
    big = tmp_path / "million.csv"
    with big.open("w", encoding="utf-8") as out:
        out.write("id,group,value\n")
        out.writelines(f"{i},g{i % 97},{i * 0.5}\n" for i in range(1_000_000))
    before = {
        "rows": page.locator("#row-count").inner_text(),
        "name": page.locator("#dataset-name").inner_text(),
    }
    first_cells = sup.column("region")
    count = replays(sup)
    page.set_input_files("#file-input", str(big))
    busy = page.locator(".busy:not([hidden])")
    busy.wait_for()
    assert "Reading million.csv" in busy.inner_text() and " s" in busy.inner_text()
    # Python reports how far the read has got: the busy line shows it as a percentage.
    page.wait_for_function(r"() => /· \d+ %/.test(document.querySelector('.busy').textContent)")
    started = time.perf_counter()
    page.click("[data-busy-cancel]")
    page.wait_for_function(
        """(text) => document.documentElement.dataset.loupeState === 'ready'
                     && document.querySelector('#status').textContent === text""",
        arg=CANCELLED,
    )
    back_ms = (time.perf_counter() - started) * 1000
    assert page.locator(".busy").is_hidden()
    assert page.locator("#row-count").inner_text() == before["rows"]
    assert page.locator("#dataset-name").inner_text() == before["name"]
    assert sup.column("region") == first_cells
    wait_replayed(sup, count)
    live_ms = (time.perf_counter() - started) * 1000
    print(
        f"\nRELIABILITY 40: Cancel -> previous view {back_ms:.0f} ms, -> replayed and live {live_ms:.0f} ms"
    )
    assert back_ms < 2000
    assert sup.status() == CANCELLED
    page.select_option("#sort-column", "units")
    page.select_option("#sort-dir", "desc")
    sup.act(lambda: page.click("#sort-form button[type=submit]"))
    assert page.locator("#row-count").inner_text() == before["rows"]


def test_a_runaway_query_stops_at_the_time_budget_and_the_table_stays(sup: App, tmp_path: Path) -> None:
    # RELIABILITY 36: with a 1 s budget, a join of a join (tens of millions of rows) stops itself and
    # names the step; a database whose only table is an endless recursive view is stopped while reading.
    # Either way the previous table stays on screen and the worker was never replaced.
    page = sup.page
    sup.show_sample()
    restarts = page.evaluate("() => globalThis.__loupeClient.restarts")
    cells = sup.column("region")
    page.evaluate("() => { globalThis.LOUPE_BUDGET = 1; }")
    try:
        by_date = '{"verb": "join", "table": "sales", "on": ["date"]}'  # ~29,000 rows
        by_region = '{"verb": "join", "table": "sales", "on": ["region"]}'  # then ~27 million
        add_step(sup, f"[{by_date}, {by_region}]")
        text = sup.status()
        assert text.startswith("the pipeline took longer than 1 s; it was stopped"), text
        assert sup.column("region") == cells
        page.click("#clear-steps")
        sup.wait_ready()
        add_step(sup, by_date)  # finishes within the budget...
        assert sup.status() == ""
        add_step(sup, by_region)  # ...and the step added to it is named
        text = sup.status()
        assert text.startswith("this step took longer than 1 s; it was stopped (step 2 (join))"), text
        assert page.locator("#steps li.failed").count() == 1

        path = tmp_path / "forever.sqlite"
        connection = sqlite3.connect(path)
        endless = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT i FROM n"
        connection.execute(f"CREATE VIEW forever AS {endless}")
        connection.commit()
        connection.close()
        rows = page.locator("#row-count").inner_text()
        sup.act(lambda: page.set_input_files("#file-input", str(path)))
        assert sup.status().startswith('reading "forever" took longer than 1 s; it was stopped'), sup.status()
        assert page.locator("#row-count").inner_text() == rows
        assert page.locator("#dataset-name").inner_text() == "sales.csv"
    finally:
        page.evaluate("() => { delete globalThis.LOUPE_BUDGET; }")
    assert page.evaluate("() => globalThis.__loupeClient.restarts") == restarts
