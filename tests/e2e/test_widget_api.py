"""<loupe-view>'s programming surface on a host page: typed properties that reflect their attributes,
batched renders, bad JSON that keeps the last good view, `data`, result()/export()/document(), the
four events, a guarded define (RELIABILITY 48), linked widgets (group) and the worker released with the
last widget (RELIABILITY 53). One page, one Pyodide boot, for the whole module."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

import pytest
from loupe.document import parse_document
from loupe.sample import sample_csv

from tests.e2e.conftest import ACTION_TIMEOUT_MS, BOOT_TIMEOUT_MS, NO_SNAPSHOTS
from tests.e2e.test_widget_host import host_page

SAMPLE = list(csv.DictReader(io.StringIO(sample_csv())))
BODY = """<div style="width:700px">
  <loupe-view id="a" group="g" src="sample/sales.csv" show="chart"
      chart='{"type": "bar", "x": "region", "y": "revenue", "agg": "sum"}'></loupe-view>
  <loupe-view id="b" group="g" src="sample/sales.csv" show="table"
      pipeline='[{"verb": "select", "columns": ["region", "revenue"]}]'></loupe-view>
  <loupe-view id="c" src="sample/sales.csv" show="table" pipeline='[{"verb": "limit", "n": 3}]'></loupe-view>
</div>"""
EVENTS = """window.events = [];
for (const type of ['loupe-ready', 'loupe-change', 'loupe-select', 'loupe-error']) {
    addEventListener(type, (event) => window.events.push(
        {type, id: event.target.id, detail: JSON.parse(JSON.stringify(event.detail))}), true);
}"""
SETTLED = """() => [...document.querySelectorAll('loupe-view')].every(
    (el) => ['ready', 'error'].includes(el.dataset.loupeState) && Number(el.dataset.loupeRenders) > 0)"""

B_RENDERED = "(n) => Number(document.querySelector('#b').dataset.loupeRenders) > n"


class Widgets:
    def __init__(self, page: Any) -> None:
        self.page = page
        self.workers: list[Any] = []
        self.closed: list[Any] = []
        page.on("worker", self.started)

    def started(self, worker: Any) -> None:
        self.workers.append(worker)
        worker.on("close", lambda w: self.closed.append(w))

    def renders(self, selector: str) -> int:
        return int(self.page.get_attribute(selector, "data-loupe-renders") or 0)

    def change(self, selector: str, script: str) -> None:
        """Run `script` on the element (as `el`) and wait for the render it causes."""
        before = self.renders(selector)
        self.page.eval_on_selector(selector, f"(el) => {{ {script} }}")
        self.page.wait_for_function(
            """([selector, n]) => {
                const el = document.querySelector(selector);
                return Number(el.dataset.loupeRenders) > n && el.dataset.loupeState !== 'busy';
            }""",
            arg=[selector, before],
        )

    def column(self, selector: str, name: str) -> list[str]:
        return self.page.eval_on_selector(
            selector,
            """(el, name) => {
                const table = el.shadowRoot.querySelector('table');
                const headers = [...table.querySelectorAll('thead th')];
                const index = headers.findIndex((th) => th.dataset.column === name);
                return [...table.querySelectorAll('tbody tr')].map((tr) => tr.children[index].textContent);
            }""",
            name,
        )

    def status(self, selector: str) -> str:
        return self.page.eval_on_selector(
            selector,
            """(el) => {
                const status = el.shadowRoot.querySelector('.status');
                return status.hidden ? '' : status.textContent;
            }""",
        )

    def events(self, type: str, id: str | None = None) -> list[dict[str, Any]]:
        found = self.page.evaluate("window.events")
        return [e for e in found if e["type"] == type and (id is None or e["id"] == id)]


@pytest.fixture(scope="module")
def widgets(browser: Any, base_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Widgets]:
    context = browser.new_context()
    context.add_init_script(NO_SNAPSHOTS)
    context.add_init_script(EVENTS)
    page = context.new_page()
    page.set_default_timeout(ACTION_TIMEOUT_MS)
    page_errors: list[str] = []
    page.on("pageerror", lambda error: page_errors.append(str(error)))
    found = Widgets(page)
    with host_page(tmp_path_factory.mktemp("host"), BODY, base_url) as url:
        page.goto(url)
        page.wait_for_function(SETTLED, timeout=BOOT_TIMEOUT_MS)
    yield found
    assert page_errors == []
    context.close()


def test_every_attribute_has_a_typed_reflecting_property(widgets: Widgets) -> None:
    # A detached element: no render, just the properties and their attributes.
    seen = widgets.page.evaluate(
        """() => {
            const el = document.createElement('loupe-view');
            const before = {pipeline: el.pipeline, chart: el.chart, show: el.show, theme: el.theme,
                            height: el.height, group: el.group, src: el.src, status: el.status};
            el.src = 'a.csv'; el.pipeline = [{verb: 'limit', n: 2}]; el.chart = {type: 'bar', x: 'a'};
            el.show = ['table']; el.theme = 'dark'; el.height = 240; el.group = 'sales'; el.status = true;
            const attributes = Object.fromEntries([...el.attributes].map((a) => [a.name, a.value]));
            el.setAttribute('show', 'table chart bogus');
            el.setAttribute('theme', 'neon');
            const after = {show: el.show, theme: el.theme};
            el.src = null; el.chart = null; el.group = ''; el.status = false;
            return {before, attributes, after, left: el.getAttributeNames().sort()};
        }"""
    )
    assert seen["before"] == {
        "pipeline": [],
        "chart": None,
        "show": "chart table",
        "theme": "light",
        "height": "",
        "group": None,
        "src": None,
        "status": False,
    }
    assert seen["attributes"] == {
        "src": "a.csv",
        "pipeline": '[{"verb":"limit","n":2}]',
        "chart": '{"type":"bar","x":"a"}',
        "show": "table",
        "theme": "dark",
        "height": "240px",
        "group": "sales",
        "status": "",
    }
    assert seen["after"] == {"show": "chart table", "theme": "light"}
    assert seen["left"] == ["height", "pipeline", "show", "theme"]


def test_several_changes_in_one_task_render_once(widgets: Widgets, base_url: str) -> None:
    # Count what the page asks the worker (the client module is shared by every widget on the page).
    widgets.page.evaluate(
        """async (base) => {
            const { LoupeClient } = await import(base + 'app/client.js');
            const request = LoupeClient.prototype.request;
            window.asked = [];
            LoupeClient.prototype.request = function (method, ...rest) {
                window.asked.push(method);
                return request.call(this, method, ...rest);
            };
        }""",
        base_url,
    )
    widgets.change(
        "#c",
        """el.pipeline = [{verb: 'filter', column: 'region', op: '==', value: 'West'}, {verb: 'limit', n: 2}];
           el.theme = 'dark'; el.height = '300px'; el.show = 'table';""",
    )
    # Whatever else was queued has been answered once the worker answers this (it answers in order).
    rows = widgets.page.eval_on_selector("#c", "(el) => el.result()")
    assert widgets.page.evaluate("window.asked") == ["view", "export"]
    assert [row["region"] for row in rows] == ["West", "West"]
    assert widgets.column("#c", "region") == ["West", "West"]
    assert widgets.page.eval_on_selector("#c", "(el) => getComputedStyle(el).colorScheme") == "dark"
    box_height = widgets.page.eval_on_selector(
        "#c", "(el) => el.shadowRoot.querySelector('.loupe-widget').getBoundingClientRect().height"
    )
    assert box_height == 300


def test_bad_json_keeps_the_last_good_view(widgets: Widgets) -> None:
    shown = widgets.column("#c", "region")
    widgets.change("#c", "el.setAttribute('pipeline', '[{\"verb\": \"limit\", ');")
    assert widgets.page.eval_on_selector("#c", "(el) => el.dataset.loupeState") == "error"
    assert "The pipeline attribute is not valid" in widgets.status("#c")
    assert widgets.column("#c", "region") == shown  # the last good view stays on screen
    kept = widgets.page.eval_on_selector("#c", "(el) => el.pipeline")  # the getter does not throw
    assert kept[-1] == {"verb": "limit", "n": 2}
    errors = widgets.events("loupe-error", "c")
    assert errors[-1]["detail"]["cause"] == "attribute"
    widgets.change("#c", "el.pipeline = [{verb: 'limit', n: 1}];")
    assert widgets.status("#c") == ""
    assert len(widgets.column("#c", "region")) == 1


@pytest.mark.parametrize(
    "make",
    [
        "[{city: 'Oslo', n: 3}, {city: 'Bergen', n: 5}]",
        "new File(['city,n\\nOslo,3\\nBergen,5\\n'], 'cities.csv', {type: 'text/csv'})",
        "new Blob(['city,n\\nOslo,3\\nBergen,5\\n'], {type: 'text/csv'})",
        "URL.createObjectURL(new Blob(['city,n\\nOslo,3\\nBergen,5\\n'], {type: 'text/csv'}))",
    ],
    ids=["records", "file", "blob", "url"],
)
def test_data_takes_records_a_file_a_blob_or_a_url(widgets: Widgets, make: str) -> None:
    widgets.change("#c", f"el.pipeline = []; el.data = {make};")
    assert widgets.column("#c", "city") == ["Oslo", "Bergen"]
    rows = widgets.page.eval_on_selector("#c", "(el) => el.result()")
    assert rows == [{"city": "Oslo", "n": 3}, {"city": "Bergen", "n": 5}]


def test_result_export_and_document(widgets: Widgets) -> None:
    widgets.change("#c", "el.data = null; el.pipeline = [{verb: 'limit', n: 3}];")
    rows = widgets.page.eval_on_selector("#c", "(el) => el.result()")
    assert [row["date"] for row in rows] == [row["date"] for row in SAMPLE[:3]]
    exported = widgets.page.eval_on_selector(
        "#c", "async (el) => { const f = await el.export('csv'); return [f.name, f.type, await f.text()]; }"
    )
    assert exported[0] == "sales.csv" and exported[1].startswith("text/csv")
    assert list(csv.DictReader(io.StringIO(exported[2])))[2]["product"] == SAMPLE[2]["product"]
    doc = widgets.page.eval_on_selector("#a", "(el) => el.document()")
    parsed = parse_document(doc).to_json()  # a valid Loupe document (docs/document.md)
    assert parsed["sources"][0]["kind"] == "url" and parsed["sources"][0]["url"].endswith("/sample/sales.csv")
    assert parsed["charts"][0]["spec"] == {"type": "bar", "x": "region", "y": "revenue", "agg": "sum"}
    assert parsed["view"]["table"] == parsed["tables"][0]["name"] == "sales"


def test_events_carry_their_detail(widgets: Widgets) -> None:
    ready = widgets.events("loupe-ready", "a")
    assert ready and ready[0]["detail"]["rows"] == len(SAMPLE)
    changes = widgets.events("loupe-change", "c")
    assert changes[-1]["detail"]["document"]["tables"][0]["steps"] == [{"verb": "limit", "n": 3}]
    assert widgets.events("loupe-error", "a") == []


def test_a_group_filters_by_the_chosen_bar(widgets: Widgets) -> None:
    before = widgets.renders("#b")
    widgets.page.locator("#a svg .bar").first.click()
    selected = widgets.events("loupe-select", "a")[-1]["detail"]
    assert selected["column"] == "region" and selected["value"] in {row["region"] for row in SAMPLE}
    widgets.page.wait_for_function(
        "(n) => Number(document.querySelector('#b').dataset.loupeRenders) > n", arg=before
    )
    assert set(widgets.column("#b", "region")) == {selected["value"]}
    assert widgets.page.eval_on_selector("#b", "(el) => el.pipeline") == [
        {"verb": "select", "columns": ["region", "revenue"]}
    ]  # the group's filter is not the widget's own state
    assert len(widgets.column("#c", "date")) == 3  # not in the group: untouched
    before = widgets.renders("#b")
    widgets.page.locator("#a svg .bar").first.click()  # the same bar again clears the filter
    widgets.page.wait_for_function(
        "(n) => Number(document.querySelector('#b').dataset.loupeRenders) > n", arg=before
    )
    assert len(set(widgets.column("#b", "region"))) > 1


def test_a_second_copy_defines_safely_and_shares_the_worker(widgets: Widgets, base_url: str) -> None:
    # RELIABILITY 48: another version of the module (another URL) on the same page.
    defined = widgets.page.evaluate(
        """async (base) => {
            const copy = await import(base + 'app/loupe-view-element.js?copy=2');
            const again = copy.LoupeViewElement.define();           // loupe-view is taken: no error
            copy.LoupeViewElement.define('other-view');
            copy.LoupeViewElement.define('other-view');             // twice: no error
            const el = document.createElement('other-view');
            el.id = 'd';
            el.setAttribute('src', 'sample/sales.csv');
            el.setAttribute('show', 'table');
            el.setAttribute('pipeline', '[{"verb": "limit", "n": 2}]');
            document.body.append(el);
            return again === customElements.get('loupe-view');
        }""",
        base_url,
    )
    assert defined is True
    widgets.page.wait_for_function(
        "() => document.querySelector('#d').dataset.loupeState === 'ready'", timeout=ACTION_TIMEOUT_MS
    )
    assert len(widgets.column("#d", "date")) == 2
    assert len(widgets.workers) == 1


def test_the_last_widget_gone_releases_the_worker(widgets: Widgets) -> None:
    # RELIABILITY 53: moving a widget keeps it; removing all terminates the worker; adding one starts it.
    page = widgets.page
    widgets.page.evaluate("() => document.body.append(document.querySelector('#c'))")  # a move
    assert widgets.closed == []
    with widgets.workers[0].expect_event("close"):
        page.evaluate(
            """() => {
                window.kept = document.querySelector('#c');
                document.querySelectorAll('loupe-view, other-view').forEach((el) => el.remove());
            }"""
        )
    assert page.evaluate("() => window.kept.dataset.loupeState") == "released"
    page.evaluate("() => document.body.append(window.kept)")
    page.wait_for_function(
        "() => window.kept.dataset.loupeState === 'ready' && window.kept.shadowRoot.querySelector('tr')",
        timeout=BOOT_TIMEOUT_MS,
    )
    assert len(widgets.workers) == 2
    assert len(widgets.column("#c", "date")) == 3
