// The query editor: runs the query at the SPARQL endpoint with fetch() and draws the results table the
// server draws without JavaScript (templates/_results.html): same markup, same links.
"use strict";

(function () {
  const editor = document.querySelector(".query-editor");
  if (!editor) return;
  const form = editor.querySelector("form.editor");
  const textarea = editor.querySelector("textarea");
  const results = editor.querySelector("#results");
  const endpoint = editor.dataset.endpoint;
  const base = editor.dataset.base;
  const root = editor.dataset.root;
  const prefixes = JSON.parse(editor.dataset.prefixes);
  const words = JSON.parse(editor.dataset.words);
  const SELECT_FORMATS = JSON.parse(editor.dataset.resultFormats);
  const GRAPH_FORMATS = JSON.parse(editor.dataset.graphFormats);

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) node.setAttribute(name, value);
    for (const child of children) node.append(child);
    return node;
  }

  function compact(iri) {
    let best = null;
    for (const [prefix, ns] of Object.entries(prefixes)) {
      if (iri.startsWith(ns) && iri !== ns && (!best || ns.length > best[1].length)) best = [prefix, ns];
    }
    return best ? `${best[0]}:${iri.slice(best[1].length)}` : `<${iri}>`;
  }

  // A number as the server writes one (formatting.format_number): thousands separators, no trailing zeros.
  const NUMERIC = /#(decimal|integer|double|float|int|long)$/;
  function formatNumber(value) {
    if (/[eE]/.test(value)) return value;
    let [whole, fraction = ""] = value.replace(/^\+/, "").split(".");
    fraction = fraction.replace(/0+$/, "");
    whole = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    return fraction ? `${whole}.${fraction}` : whole;
  }

  // A term in SPARQL JSON form ({type, value, xml:lang, datatype}) as the server's macro shows it.
  function term(t) {
    if (t.type === "uri") {
      const local = t.value.startsWith(base);
      const href = local ? `${root}/${t.value.slice(base.length)}` : t.value;
      const attrs = local ? { href } : { href, class: "external", rel: "external" };
      return el("a", attrs, compact(t.value));
    }
    if (t.type === "bnode") return document.createTextNode(`_:${t.value}`);
    const lang = t["xml:lang"];
    const value = t.datatype && NUMERIC.test(t.datatype) ? formatNumber(t.value) : t.value;
    const text = lang ? el("span", { lang }, value) : document.createTextNode(value);
    if (!t.datatype || t.datatype.endsWith("#string") || t.datatype.endsWith("#langString")) return text;
    return el("span", {}, text, " ", el("code", { class: "curie" }, compact(t.datatype)));
  }

  // One N-Triples term (as the endpoint writes CONSTRUCT results) in SPARQL JSON form.
  const NT_TERM = /^(?:<([^>]*)>|_:(\S+)|"((?:[^"\\]|\\.)*)"(?:@([\w-]+)|\^\^<([^>]*)>)?)\s*/;
  function unescape(text) {
    return text.replace(/\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})|\\(.)/g, (m, u4, u8, c) =>
      u4 || u8 ? String.fromCodePoint(parseInt(u4 || u8, 16)) : { n: "\n", r: "\r", t: "\t" }[c] ?? c);
  }
  function parseTriples(text) {
    const rows = [];
    for (let line of text.split("\n")) {
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

  function downloads(query, formats) {
    const list = el("ul", { class: "formats" });
    for (const f of formats) {
      const href = `${endpoint}?${new URLSearchParams({ query, format: f.name })}`;
      list.append(el("li", {}, el("a", { href, type: f.media_type }, f.label)));
    }
    return el("nav", { class: "downloads", "aria-label": words.download_results },
      el("span", {}, `${words.download_results}:`), " ", list);
  }

  function table(summary, columns, rows) {
    const head = el("tr", {}, ...columns.map((c) => el("th", { scope: "col" }, c)));
    const body = el("tbody");
    for (const row of rows) body.append(el("tr", {}, ...row.map((t) => el("td", {}, t ? term(t) : ""))));
    return el("div", { class: "table-scroll" },
      el("table", { class: "results-table" }, el("caption", { class: "visually-hidden" }, summary), el("thead", {}, head), body));
  }

  function show(...nodes) {
    results.replaceChildren(...nodes);
    results.removeAttribute("aria-busy");
  }

  async function run(query) {
    results.setAttribute("aria-busy", "true");
    results.replaceChildren(el("p", { class: "result-summary" }, words.running));
    let response;
    try {
      response = await fetch(endpoint, {
        method: "POST",
        headers: {
          Accept: "application/sparql-results+json, application/n-triples;q=0.9",
          "Content-Type": "application/x-www-form-urlencoded",
        },
        body: new URLSearchParams({ query }),
      });
    } catch (error) {
      show(el("p", { class: "error", role: "alert" }, `${words.query_failed}: ${error.message}`));
      return;
    }
    const text = await response.text();
    if (!response.ok) {
      show(el("p", { class: "error", role: "alert" }, `${words.query_failed}: ${text.trim()}`));
      return;
    }
    const cut = response.headers.has("X-SPARQL-MaxRows");
    if (response.headers.get("Content-Type").startsWith("application/n-triples")) {
      const rows = parseTriples(text);
      const summary = words.result_triples.replace("%d", rows.length);
      show(el("p", { class: "result-summary" }, summary), downloads(query, GRAPH_FORMATS),
        table(summary, [words.subject, words.predicate, words.object], rows));
      return;
    }
    const data = JSON.parse(text);
    if (typeof data.boolean === "boolean") {
      show(el("p", { class: "result-summary" }, words.result_boolean.replace("%s", data.boolean)),
        downloads(query, SELECT_FORMATS));
      return;
    }
    const columns = data.head.vars;
    const rows = data.results.bindings.map((b) => columns.map((name) => b[name]));
    const summary = words[cut ? "result_truncated" : "result_rows"].replace("%d", rows.length);
    show(el("p", { class: "result-summary" }, summary), downloads(query, SELECT_FORMATS),
      table(summary, columns, rows));
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    run(textarea.value);
  });
  textarea.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  for (const link of editor.querySelectorAll("a.canned-query")) {
    link.addEventListener("click", (event) => {
      event.preventDefault();
      textarea.value = new URL(link.href).searchParams.get("query");
      run(textarea.value);
    });
  }
})();
