// The query editor: CodeMirror (vendor/codemirror-*/, SPARQL highlighting) in place of the textarea, the
// query run at the SPARQL endpoint with fetch(), and its results drawn right under the editor: a page of
// rows at a time with the total count, columns sorted by a click on their heading, a bar chart when the
// result pairs a label with a number, and download links. The markup is the server's
// (templates/_results.html), so the page reads the same without JavaScript.
"use strict";

(function () {
  const editor = document.querySelector(".query-editor");
  if (!editor) return;
  const form = editor.querySelector("form.editor");
  const textarea = form.querySelector("textarea");
  const results = editor.querySelector("#results");
  const data = editor.dataset;
  const endpoint = data.endpoint;
  const base = data.base;
  const root = data.root;
  const prefixes = JSON.parse(data.prefixes);
  const words = JSON.parse(data.words);
  const SELECT_FORMATS = JSON.parse(data.resultFormats);
  const GRAPH_FORMATS = JSON.parse(data.graphFormats);
  const lang = document.documentElement.lang || "en";
  const collator = new Intl.Collator(lang, { numeric: true, sensitivity: "base" });
  const numbers = new Intl.NumberFormat("en-US");
  const PAGE_SIZES = [25, 100, 500];
  const CHART_ROWS = 50;

  // words[key] with each %s or %d filled in turn.
  function say(key, ...values) {
    return words[key].replace(/%[sd]/g, () => String(values.shift()));
  }

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value !== undefined && value !== null && value !== false) node.setAttribute(name, value);
    }
    for (const child of children) if (child !== null && child !== undefined) node.append(child);
    return node;
  }

  // ---- the editor -----------------------------------------------------------------------------------

  function codeMirror() {
    const CM = window.CodeMirror;
    if (!CM) return null;
    const label = form.querySelector("label[for=query-text]");
    const view = new CM.EditorView({
      state: CM.EditorState.create({
        doc: textarea.value,
        extensions: [
          CM.lineNumbers(),
          CM.highlightActiveLineGutter(),
          CM.highlightSpecialChars(),
          CM.history(),
          CM.drawSelection(),
          CM.indentOnInput(),
          CM.syntaxHighlighting(CM.defaultHighlightStyle, { fallback: true }),
          CM.bracketMatching(),
          CM.highlightActiveLine(),
          CM.StreamLanguage.define(CM.sparql),
          CM.EditorView.lineWrapping,
          CM.keymap.of([
            { key: "Mod-Enter", run: () => (form.requestSubmit(), true) },
            ...CM.defaultKeymap,
            ...CM.historyKeymap,
          ]),
          CM.EditorView.contentAttributes.of({
            "aria-labelledby": label.id,
            "aria-describedby": "query-hint",
            "aria-multiline": "true",
            role: "textbox",
          }),
        ],
      }),
    });
    textarea.hidden = true;
    textarea.after(view.dom);
    label.addEventListener("click", () => view.focus());
    return {
      get: () => view.state.doc.toString(),
      set: (text) => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } }),
    };
  }

  const mirror = codeMirror();
  const source = mirror || {
    get: () => textarea.value,
    set: (text) => { textarea.value = text; },
  };
  if (!mirror) {
    textarea.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        form.requestSubmit();
      }
    });
  }

  // ---- terms ----------------------------------------------------------------------------------------

  function compact(iri) {
    let best = null;
    for (const [prefix, ns] of Object.entries(prefixes)) {
      if (iri.startsWith(ns) && iri !== ns && (!best || ns.length > best[1].length)) best = [prefix, ns];
    }
    return best ? `${best[0]}:${iri.slice(best[1].length)}` : `<${iri}>`;
  }

  // A number as the server writes one (formatting.format_number): thousands separators, no trailing zeros.
  const NUMERIC = /#(decimal|integer|double|float|int|long|short|byte|nonNegativeInteger|positiveInteger)$/;
  function isNumber(t) {
    return !!t && t.type !== "uri" && t.type !== "bnode" && !!t.datatype && NUMERIC.test(t.datatype)
      && Number.isFinite(Number(t.value));
  }
  function formatNumber(value) {
    if (/[eE]/.test(value)) return value;
    let [whole, fraction = ""] = value.replace(/^\+/, "").split(".");
    fraction = fraction.replace(/0+$/, "");
    whole = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    return fraction ? `${whole}.${fraction}` : whole;
  }

  function text(t) {
    if (!t) return "";
    if (t.type === "uri") return compact(t.value);
    if (t.type === "bnode") return `_:${t.value}`;
    return isNumber(t) ? formatNumber(t.value) : t.value;
  }

  // A term in SPARQL JSON form ({type, value, xml:lang, datatype}) as the server's macro shows it.
  function term(t) {
    if (t.type === "uri") {
      const local = t.value.startsWith(base);
      const href = local ? `${root}/${t.value.slice(base.length)}` : t.value;
      const attrs = local ? { href } : { href, class: "external", rel: "external" };
      return el("a", attrs, compact(t.value));
    }
    if (t.type === "bnode") return document.createTextNode(text(t));
    const tagged = t["xml:lang"];
    const node = tagged ? el("span", { lang: tagged }, text(t)) : document.createTextNode(text(t));
    if (!t.datatype || t.datatype.endsWith("#string") || t.datatype.endsWith("#langString")) return node;
    return el("span", {}, node, " ", el("code", { class: "curie" }, compact(t.datatype)));
  }

  // One N-Triples term (as the endpoint writes CONSTRUCT results) in SPARQL JSON form.
  const NT_TERM = /^(?:<([^>]*)>|_:(\S+)|"((?:[^"\\]|\\.)*)"(?:@([\w-]+)|\^\^<([^>]*)>)?)\s*/;
  function unescape(value) {
    return value.replace(/\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})|\\(.)/g, (m, u4, u8, c) =>
      u4 || u8 ? String.fromCodePoint(parseInt(u4 || u8, 16)) : { n: "\n", r: "\r", t: "\t" }[c] ?? c);
  }
  function parseTriples(body) {
    const rows = [];
    for (let line of body.split("\n")) {
      const row = [];
      line = line.trim();
      while (line && line !== "." && row.length < 3) {
        const m = NT_TERM.exec(line);
        if (!m) break;
        if (m[1] !== undefined) row.push({ type: "uri", value: m[1] });
        else if (m[2] !== undefined) row.push({ type: "bnode", value: m[2] });
        else row.push({ type: "literal", value: unescape(m[3]), "xml:lang": m[4], datatype: m[5] });
        line = line.slice(m[0].length);
      }
      if (row.length === 3) rows.push(row);
    }
    return rows;
  }

  // ---- results --------------------------------------------------------------------------------------

  function downloads(query, formats) {
    const list = el("ul", { class: "formats" });
    for (const f of formats) {
      const href = `${endpoint}?${new URLSearchParams({ query, format: f.name })}`;
      list.append(el("li", {}, el("a", { href, type: f.media_type, download: "" }, f.label)));
    }
    return el("nav", { class: "downloads", "aria-label": words.download_results },
      el("span", {}, `${words.download_results}:`), " ", list);
  }

  function compare(a, b) {
    const na = isNumber(a), nb = isNumber(b);
    if (na && nb) return Number(a.value) - Number(b.value);
    if (na !== nb) return na ? -1 : 1;
    return collator.compare(text(a), text(b));
  }

  // The state of the result on show: its columns and rows (in the order chosen), the sort, the page.
  let shown = null;

  function sortedRows() {
    const { rows, sort } = shown;
    if (!sort) return rows;
    const order = rows.map((row, index) => [row, index]);
    order.sort((x, y) => {
      const a = x[0][sort.column], b = y[0][sort.column];
      const unbound = !a || !b ? (a ? -1 : b ? 1 : 0) : 0; // unbound last, either way
      return unbound || sort.direction * compare(a, b) || x[1] - y[1];
    });
    return order.map((pair) => pair[0]);
  }

  function pager(total) {
    const pages = Math.max(1, Math.ceil(total / shown.size));
    const first = total ? shown.page * shown.size + 1 : 0;
    const last = Math.min(total, (shown.page + 1) * shown.size);
    const nav = el("nav", { class: "pager", "aria-label": words.pages });
    nav.append(el("span", { class: "page-rows", "aria-live": "polite" },
      say("page_rows", numbers.format(first), numbers.format(last), numbers.format(total))));
    const go = (key, page) => {
      const button = el("button", { type: "button", "data-page": key, disabled: page === shown.page || page < 0 || page >= pages },
        words[key]);
      button.addEventListener("click", () => { shown.page = page; drawTable(); });
      nav.append(button);
    };
    go("page_first", 0);
    go("page_previous", shown.page - 1);
    go("page_next", shown.page + 1);
    go("page_last", pages - 1);
    const select = el("select", { "aria-label": words.page_size });
    for (const size of PAGE_SIZES) select.append(el("option", { value: size, selected: size === shown.size }, String(size)));
    select.addEventListener("change", () => { shown.size = Number(select.value); shown.page = 0; drawTable(); });
    nav.append(el("label", {}, `${words.page_size} `, select));
    return nav;
  }

  function heading(name, column) {
    const sort = shown.sort && shown.sort.column === column ? shown.sort : null;
    const button = el("button", { type: "button", class: "sort", title: say("sort_by", name) }, name,
      el("span", { class: "sort-mark", "aria-hidden": "true" }, sort ? (sort.direction > 0 ? " ▲" : " ▼") : ""));
    button.addEventListener("click", () => {
      const direction = sort && sort.direction > 0 ? -1 : 1;
      shown.sort = { column, direction };
      shown.page = 0;
      drawTable();
      shown.panel.querySelector(`th:nth-child(${column + 1}) button`).focus();
    });
    const aria = sort ? (sort.direction > 0 ? "ascending" : "descending") : null;
    return el("th", { scope: "col", "aria-sort": aria }, button);
  }

  function drawTable() {
    const rows = sortedRows();
    const pages = Math.max(1, Math.ceil(rows.length / shown.size));
    shown.page = Math.min(Math.max(shown.page, 0), pages - 1);
    const body = el("tbody");
    for (const row of rows.slice(shown.page * shown.size, (shown.page + 1) * shown.size)) {
      body.append(el("tr", {}, ...row.map((t) => el("td", {}, t ? term(t) : ""))));
    }
    const table = el("table", { class: "results-table" },
      el("caption", { class: "visually-hidden" }, shown.summary),
      el("thead", {}, el("tr", {}, ...shown.columns.map(heading))), body);
    const parts = [el("div", { class: "table-scroll" }, table)];
    if (rows.length > PAGE_SIZES[0]) parts.unshift(pager(rows.length));
    shown.panel.replaceChildren(...parts);
    if (shown.chartPanel && !shown.chartPanel.hidden) drawChart();
  }

  // ---- the chart of a label-and-number result ----------------------------------------------------------

  // The columns a chart shows: a label (text in the page language first, then any text, then an IRI) and a
  // number (every bound value numeric); null when the result has no such pair or too many rows.
  function chartColumns(columns, rows) {
    if (!rows.length) return null;
    const kinds = columns.map((_, c) => {
      const values = rows.map((row) => row[c]).filter(Boolean);
      if (!values.length) return "empty";
      if (values.every(isNumber)) return "number";
      if (values.every((t) => t.type === "literal")) {
        return values.some((t) => t["xml:lang"] === lang) ? "text-here" : "text";
      }
      return values.every((t) => t.type === "uri") ? "iri" : "mixed";
    });
    const value = kinds.indexOf("number");
    const label = ["text-here", "text", "iri"].map((k) => kinds.indexOf(k)).find((c) => c >= 0);
    return value >= 0 && label !== undefined ? { label, value } : null;
  }

  const SVG = "http://www.w3.org/2000/svg";
  function svg(tag, attrs, ...children) {
    const node = document.createElementNS(SVG, tag);
    for (const [name, value] of Object.entries(attrs || {})) node.setAttribute(name, value);
    for (const child of children) node.append(child);
    return node;
  }

  // Roughly how wide text is drawn at 13 px, as charts.py reckons: wide (CJK) characters take a full em.
  function fit(label, pixels) {
    const width = (s) => [...s].reduce((w, ch) => w + (/[\u1100-\u11ff\u2e80-\ua4cf\uac00-\ud7af\uf900-\ufaff\uff00-\uff60]/.test(ch) ? 13 : 7.15), 0);
    if (width(label) <= pixels) return label;
    let cut = [...label];
    while (cut.length && width(cut.join("") + "…") > pixels) cut.pop();
    return cut.join("").trimEnd() + "…";
  }

  function drawChart() {
    const { label, value } = shown.chart;
    const rows = sortedRows();
    const items = rows.slice(0, CHART_ROWS);
    const WIDTH = 720, LABEL = 230, VALUE = 150, ROW = 30, BAR = 18, MARGIN = 8;
    const largest = Math.max(...items.map((row) => (isNumber(row[value]) ? Math.abs(Number(row[value].value)) : 0)), 0) || 1;
    const scale = (WIDTH - LABEL - VALUE) / largest;
    const height = MARGIN * 2 + ROW * items.length;
    const title = say("chart_caption", shown.columns[value], shown.columns[label]);
    const chart = svg("svg", { class: "chart", viewBox: `0 0 ${WIDTH} ${height}`, role: "img", "aria-label": title });
    chart.append(svg("title", {}, title));
    items.forEach((row, index) => {
      const y = MARGIN + index * ROW;
      const name = text(row[label]) || "—";
      const labelNode = svg("text", { class: "label", x: LABEL - 8, y: y + BAR * 0.75, "text-anchor": "end" }, fit(name, LABEL - 12));
      if (row[label] && row[label]["xml:lang"]) labelNode.setAttribute("lang", row[label]["xml:lang"]);
      const group = svg("g", { class: "row" }, svg("title", {}, name), labelNode);
      let end = LABEL;
      if (isNumber(row[value])) {
        const width = Math.abs(Number(row[value].value)) * scale;
        group.append(svg("rect", { x: LABEL, y, width: width.toFixed(1), height: BAR, class: "series-0" }));
        end = LABEL + width;
      } else {
        group.append(svg("rect", { x: LABEL, y, width: 4, height: BAR, class: "not-given-mark" }));
      }
      const valueText = isNumber(row[value]) ? text(row[value]) : words.no_value;
      group.append(svg("text", { class: isNumber(row[value]) ? "value" : "value not-given", x: (end + 8).toFixed(1), y: y + BAR * 0.75 }, valueText));
      chart.append(group);
    });
    const parts = [chart];
    if (rows.length > CHART_ROWS) parts.unshift(el("p", { class: "hint" }, say("chart_first_rows", CHART_ROWS, numbers.format(rows.length))));
    shown.chartPanel.replaceChildren(...parts);
  }

  function views() {
    const tabs = el("div", { class: "result-views", role: "tablist", "aria-label": words.result_views });
    const panels = [shown.panel, shown.chartPanel];
    const buttons = [["view_table", shown.panel], ["view_chart", shown.chartPanel]].map(([key, panel], index) => {
      const button = el("button", { type: "button", role: "tab", id: `results-tab-${index}`, "aria-controls": panel.id,
        "aria-selected": index === 0 ? "true" : "false", tabindex: index === 0 ? "0" : "-1" }, words[key]);
      panel.setAttribute("role", "tabpanel");
      panel.setAttribute("aria-labelledby", button.id);
      return button;
    });
    const select = (index) => {
      buttons.forEach((b, i) => {
        b.setAttribute("aria-selected", i === index ? "true" : "false");
        b.tabIndex = i === index ? 0 : -1;
        panels[i].hidden = i !== index;
      });
      if (index === 1) drawChart();
      buttons[index].focus();
    };
    buttons.forEach((button, index) => {
      button.addEventListener("click", () => select(index));
      button.addEventListener("keydown", (event) => {
        if (event.key === "ArrowRight" || event.key === "ArrowLeft") select(1 - index);
      });
    });
    tabs.append(...buttons);
    return tabs;
  }

  function showRows(summary, columns, rows, formats, query) {
    shown = { summary, columns, rows, sort: null, page: 0, size: 100 };
    shown.panel = el("div", { id: "results-table-panel", class: "results-panel" });
    const parts = [el("p", { class: "result-summary" }, summary), downloads(query, formats)];
    shown.chart = chartColumns(columns, rows);
    if (shown.chart) {
      shown.chartPanel = el("div", { id: "results-chart-panel", class: "results-panel", hidden: "" });
      parts.push(views(), shown.panel, shown.chartPanel);
    } else {
      parts.push(shown.panel);
    }
    drawTable();
    show(...parts);
  }

  // ---- running a query ------------------------------------------------------------------------------

  function show(...nodes) {
    results.replaceChildren(...nodes);
    results.removeAttribute("aria-busy");
    results.scrollIntoView({ block: "nearest" });
  }

  let running = null;

  function failed(message) {
    show(el("p", { class: "error", role: "alert" }, `${words.query_failed}: ${message}`));
  }

  async function run(query) {
    if (running) running.abort();
    const controller = new AbortController();
    running = controller;
    const started = performance.now();
    const clock = el("span", { class: "elapsed" });
    const cancel = el("button", { type: "button", class: "cancel" }, words.cancel);
    cancel.addEventListener("click", () => controller.abort());
    const tick = setInterval(() => { clock.textContent = ` ${say("seconds", ((performance.now() - started) / 1000).toFixed(1))}`; }, 200);
    show(el("p", { class: "result-summary running" }, el("span", { class: "spinner", "aria-hidden": "true" }), words.running, clock, " ", cancel));
    results.setAttribute("aria-busy", "true");
    try {
      await fetchResults(query, controller.signal);
    } catch (error) {
      if (error.name === "AbortError") show(el("p", { class: "result-summary" }, words.cancelled));
      else failed(error.message);
    } finally {
      clearInterval(tick);
      if (running === controller) running = null;
    }
  }

  async function fetchResults(query, signal) {
    const response = await fetch(endpoint, {
      method: "POST",
      headers: {
        Accept: "application/sparql-results+json, application/n-triples;q=0.9",
        "Content-Type": "application/x-www-form-urlencoded",
      },
      body: new URLSearchParams({ query }),
      signal,
    });
    const body = await response.text();
    if (!response.ok) return failed(body.trim());
    const cut = response.headers.has("X-SPARQL-MaxRows");
    if (response.headers.get("Content-Type").startsWith("application/n-triples")) {
      const rows = parseTriples(body);
      return showRows(say("result_triples", numbers.format(rows.length)), [words.subject, words.predicate, words.object],
        rows, GRAPH_FORMATS, query);
    }
    const answer = JSON.parse(body);
    if (typeof answer.boolean === "boolean") {
      return show(el("p", { class: "result-summary" }, say("result_boolean", answer.boolean)), downloads(query, SELECT_FORMATS));
    }
    const columns = answer.head.vars;
    const rows = answer.results.bindings.map((b) => columns.map((name) => b[name]));
    const summary = say(cut ? "result_truncated" : "result_rows", numbers.format(rows.length));
    showRows(summary, columns, rows, SELECT_FORMATS, query);
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    run(source.get());
  });
  for (const link of editor.querySelectorAll("a.canned-query")) {
    link.addEventListener("click", (event) => {
      event.preventDefault();
      source.set(new URL(link.href).searchParams.get("query"));
      run(source.get());
    });
  }
})();
