/* The shape calculator page: reads the form, keeps its state in the URL query, shows what
 * window.lstmShapes (lstm-shapes.js) returns, and draws the layers x time picture.
 * Plain DOM code, no framework, no network.
 */
(function () {
  "use strict";

  const FIELDS = ["module", "nonlinearity", "input_size", "hidden_size", "num_layers", "proj_size", "bidirectional", "batch_first",
    "input_shape", "h0_shape", "c0_shape", "batch_size"]; // the last three: the optional call lstm-findings.js checks
  const DEFAULTS = {
    module: "LSTM", nonlinearity: "tanh", input_size: "3", hidden_size: "5", num_layers: "1", proj_size: "0",
    bidirectional: false, batch_first: false, input_shape: "7, 2, 3",
    h0_shape: "", c0_shape: "", batch_size: "",
  };
  const MODULES = ["LSTM", "GRU", "RNN", "LSTMCell", "GRUCell", "RNNCell"];
  /* Which module takes which option: a cell takes one time step (no layers, directions or batch_first),
   * proj_size is nn.LSTM's alone, nonlinearity nn.RNN's and nn.RNNCell's, a cell state c the LSTM's. */
  const TAKES = {
    num_layers: (m) => !m.endsWith("Cell"), bidirectional: (m) => !m.endsWith("Cell"), batch_first: (m) => !m.endsWith("Cell"),
    proj_size: (m) => m === "LSTM", nonlinearity: (m) => m.startsWith("RNN"), c0_shape: (m) => m.startsWith("LSTM"),
    h0_shape: (m) => m === "LSTM", batch_size: (m) => m === "LSTM", // the findings (lstm-findings.js) cover nn.LSTM
  };
  const MEANING = {
    L: "time steps",
    N: "sequences in the batch",
    H_in: "input_size",
    "D*H_out": "directions × H_out",
    "D*num_layers": "directions × layers",
    H_out: "proj_size or hidden_size",
    H_cell: "hidden_size",
    H: "hidden_size",
  };
  const SVG_NS = "http://www.w3.org/2000/svg";
  const ERROR_ID = "lstm-calc-error";
  const NUMBER_FIELDS = ["input_size", "hidden_size", "num_layers", "proj_size"];
  const ANNOUNCE_AFTER_MS = 700; // the status line speaks once the typing pauses, not on every keystroke

  /* Returns the number a text field holds: an int, a float (PyTorch then names the type), or null. */
  function parseNumber(text) {
    const t = String(text).trim();
    if (/^[-+]?\d+$/.test(t)) return parseInt(t, 10);
    if (/^[-+]?(\d+\.\d*|\.\d+)([eE][-+]?\d+)?$/.test(t)) return parseFloat(t);
    return null;
  }

  /* Returns the list of ints in "7, 2, 3", "(7, 2, 3)" or "torch.Size([7, 2, 3])", or null. */
  function parseShape(text) {
    const inner = String(text).replace(/torch\.Size/g, "").replace(/[()[\]]/g, " ").trim();
    if (inner === "") return [];
    const parts = inner.split(/[\s,]+/).filter((p) => p !== "");
    if (!parts.every((p) => /^[-+]?\d+$/.test(p))) return null;
    return parts.map((p) => parseInt(p, 10));
  }

  function readForm(form) {
    const state = {};
    for (const name of FIELDS) {
      const field = form.elements[name];
      state[name] = field.type === "checkbox" ? field.checked : field.value;
    }
    return state;
  }

  function writeForm(form, state) {
    for (const name of FIELDS) {
      const field = form.elements[name];
      if (field.type === "checkbox") field.checked = state[name];
      else field.value = state[name];
    }
  }

  function stateFromQuery(search) {
    const params = new URLSearchParams(search);
    const state = Object.assign({}, DEFAULTS);
    for (const name of FIELDS) {
      if (!params.has(name)) continue;
      const value = params.get(name);
      state[name] = typeof DEFAULTS[name] === "boolean" ? ["1", "true", "on", "yes"].includes(value.toLowerCase()) : value;
    }
    if (!MODULES.includes(state.module)) state.module = DEFAULTS.module; // a mistyped link opens on nn.LSTM
    if (!["tanh", "relu"].includes(state.nonlinearity)) state.nonlinearity = DEFAULTS.nonlinearity;
    return state;
  }

  function queryFromState(state) {
    const params = new URLSearchParams();
    for (const name of FIELDS) {
      const value = state[name];
      if (typeof value === "boolean") params.set(name, value ? "true" : "false");
      else if (name === "input_shape") params.set(name, (parseShape(value) || [String(value)]).join(","));
      else params.set(name, String(value).trim());
    }
    return "?" + params.toString();
  }

  /* Returns whether the module takes the option `name` (the options every module takes are not in TAKES). */
  function takes(module, name) {
    return !(name in TAKES) || TAKES[name](module);
  }

  /* Returns {config} for lstmShapes, with the options the module takes, or {problem, field} when a field is not a number at all. */
  function configFromState(state) {
    const config = { module: state.module };
    for (const name of ["bidirectional", "batch_first", "nonlinearity"]) {
      if (takes(state.module, name)) config[name] = state[name];
    }
    for (const name of ["input_size", "hidden_size", "num_layers", "proj_size"].filter((n) => takes(state.module, n))) {
      const number = parseNumber(state[name]);
      if (number === null) return { problem: name + ": enter a whole number", field: name };
      config[name] = number;
    }
    const shape = parseShape(state.input_shape);
    if (shape === null) return { problem: "input shape: enter whole numbers separated by commas, e.g. 7, 2, 3", field: "input_shape" };
    config.input_shape = shape;
    return { config: config };
  }

  function pythonCall(config) {
    const args = [config.input_size, config.hidden_size];
    if (config.num_layers !== undefined && config.num_layers !== 1) args.push("num_layers=" + config.num_layers);
    if (config.bidirectional) args.push("bidirectional=True");
    if (config.proj_size !== undefined && config.proj_size !== 0) args.push("proj_size=" + config.proj_size);
    if (config.batch_first) args.push("batch_first=True");
    if (config.nonlinearity === "relu") args.push("nonlinearity='relu'");
    const m = config.module;
    const name = m.endsWith("Cell") ? "cell" : m.toLowerCase();
    const returned = { LSTM: "output, (h_n, c_n)", GRU: "output, h_n", RNN: "output, h_n", LSTMCell: "h, c", GRUCell: "h", RNNCell: "h" }[m];
    return name + " = nn." + m + "(" + args.join(", ") + ")\n" + returned + " = " + name + "(torch.randn(" + config.input_shape.join(", ") +
      (config.input_shape.length === 1 ? "," : "") + "))";
  }

  function element(tag, attributes, children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attributes || {})) node.setAttribute(key, value);
    for (const child of children || []) node.append(child);
    return node;
  }

  function shapeText(shape) {
    return "(" + shape.join(", ") + (shape.length === 1 ? ",)" : ")");
  }

  function dimensionsText(shape, names) {
    return names.map((name, i) => name + "\u00a0=\u00a0" + shape[i]).join(", "); // no break inside "L = 7"
  }

  function resultTable(result, cell) {
    const rows = (cell ? [
      ["input", "x", "one time step of each sequence"],
      ["h_0", "h", "the hidden state you pass (zeros otherwise)"],
      ["c_0", "c", "the cell state you pass with h (zeros otherwise)"],
      ["h_n", "h'", "the new hidden state the cell returns"],
      ["c_n", "c'", "the new cell state it returns beside h'"],
    ] : [
      ["input", "x", "what you pass"],
      ["h_0", "h_0", "the initial hidden state, if you pass one (zeros otherwise)"],
      ["c_0", "c_0", "the initial cell state, if you pass one (zeros otherwise)"],
      ["output", "output", "the top layer's h at every time step"],
      ["h_n", "h_n", "every layer's and direction's h after the last step"],
      ["c_n", "c_n", "every layer's and direction's c after the last step"],
    ]).filter(([key]) => result[key] !== null);
    const head = element("thead", {}, [element("tr", {}, ["tensor", "shape", "dimensions", "what it holds"].map((t) => element("th", {}, [t])))]);
    const body = element("tbody", {}, rows.map(([key, label, what]) => element("tr", { "data-tensor": key }, [
      element("td", {}, [element("code", {}, [label])]),
      element("td", {}, [element("code", { "class": "lstm-calc__shape" }, [shapeText(result[key])])]),
      element("td", {}, [dimensionsText(result[key], result.names[key])]),
      element("td", {}, [what]),
    ])));
    return element("table", { id: "lstm-calc-table" }, [head, body]);
  }

  function legend(result) {
    const used = new Set([].concat(...Object.values(result.names)));
    const items = [];
    for (const k of Object.keys(MEANING).filter((name) => used.has(name))) {
      if (items.length) items.push("; ");
      items.push(element("code", {}, [k]), ": " + MEANING[k]);
    }
    return element("p", { "class": "lstm-calc__legend" }, ["Where "].concat(items, ["."]));
  }

  /* The error, shown (not announced: the status line below says it once the typing stops). */
  function errorBox(type, message) {
    return element("div", { "class": "admonition failure", id: ERROR_ID }, [
      element("p", { "class": "admonition-title" }, [type]),
      element("p", {}, [element("code", { "class": "lstm-calc__error" }, [message])]),
    ]);
  }

  /* Which time steps (or layers) to draw: all when there are few, else the first and last few. */
  function shownIndices(count, most) {
    if (count <= most) return Array.from({ length: count }, (_, i) => i);
    const half = Math.floor((most - 1) / 2);
    const head = Array.from({ length: most - 1 - half }, (_, i) => i);
    const tail = Array.from({ length: half }, (_, i) => count - half + i);
    return head.concat([null], tail);
  }

  function svgNode(tag, attributes, text) {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /* Returns an <svg> of one sequence going through the stack: a box per layer, direction and time step. */
  function picture(config, result) {
    const D = config.bidirectional ? 2 : 1;
    const K = config.num_layers;
    const L = result.names.output.indexOf("L") >= 0 ? result.output[result.names.output.indexOf("L")] : 0;
    const steps = shownIndices(L, 7);
    const layers = shownIndices(K, 5);
    const colW = 70, rowH = 46, boxW = 52, boxH = 26, left = 150, right = 96, top = 40, bottom = 36;
    const rows = [];
    for (const k of layers) {
      if (k === null) rows.push(null);
      else for (let d = 0; d < D; d++) rows.push({ k: k, d: d });
    }
    rows.reverse(); // the first layer at the bottom, where the input comes in
    const width = left + steps.length * colW + right;
    const height = top + rows.length * rowH + bottom;
    const svg = svgNode("svg", {
      viewBox: "0 0 " + width + " " + height, width: width, height: height,
      role: "img", "aria-labelledby": "lstm-calc-picture-title", "class": "lstm-calc__svg",
    });
    svg.append(svgNode("title", { id: "lstm-calc-picture-title" },
      "One sequence through " + K + " layer" + (K > 1 ? "s" : "") + (D === 2 ? ", two directions," : "") + " over " + L + " time step" + (L > 1 ? "s" : "")));
    const defs = svgNode("defs", {});
    const marker = svgNode("marker", { id: "lstm-calc-arrow", viewBox: "0 0 10 10", refX: "9", refY: "5", markerWidth: "6", markerHeight: "6", orient: "auto-start-reverse" });
    marker.append(svgNode("path", { d: "M0,0 L10,5 L0,10 z", fill: "currentColor" }));
    defs.append(marker);
    svg.append(defs);
    const cx = (i) => left + i * colW + colW / 2;
    const cy = (r) => top + r * rowH + rowH / 2;
    const line = (x1, y1, x2, y2, cls) => svg.append(svgNode("line", { x1: x1, y1: y1, x2: x2, y2: y2, "class": cls || "lstm-calc__arrow", "marker-end": "url(#lstm-calc-arrow)" }));
    const text = (x, y, s, cls, anchor) => svg.append(svgNode("text", { x: x, y: y, "class": cls || "lstm-calc__label", "text-anchor": anchor || "middle", "dominant-baseline": "middle" }, s));

    rows.forEach((row, r) => {
      if (row === null) {
        text(left - 12, cy(r), "⋮", "lstm-calc__label", "end");
        return;
      }
      const forward = row.d === 0;
      const stateRow = row.k * D + row.d;
      text(8, cy(r), "layer " + row.k + (D === 2 ? (forward ? " →" : " ←") : ""), "lstm-calc__rowlabel", "start");
      steps.forEach((t, i) => {
        if (t === null) {
          text(cx(i), cy(r), "…");
          return;
        }
        svg.append(svgNode("rect", { x: cx(i) - boxW / 2, y: cy(r) - boxH / 2, width: boxW, height: boxH, rx: 5, "class": "lstm-calc__cell" + (forward ? "" : " lstm-calc__cell--reverse") }));
        text(cx(i), cy(r), "t=" + t, "lstm-calc__celltext");
      });
      // (h, c) flows along the row: left to right forward, right to left in reverse
      for (let i = 0; i + 1 < steps.length; i++) {
        const a = cx(i) + boxW / 2, b = cx(i + 1) - boxW / 2;
        if (forward) line(a + 2, cy(r), b - 2, cy(r)); else line(b - 2, cy(r), a + 2, cy(r));
      }
      const start = forward ? cx(0) - boxW / 2 : cx(steps.length - 1) + boxW / 2;
      const end = forward ? cx(steps.length - 1) + boxW / 2 : cx(0) - boxW / 2;
      const out = forward ? 1 : -1;
      line(start - out * 30, cy(r), start - out * 2, cy(r), "lstm-calc__arrow lstm-calc__arrow--state");
      text(start - out * 34, cy(r) - 9, "h_0[" + stateRow + "]", "lstm-calc__state", forward ? "end" : "start");
      line(end + out * 2, cy(r), end + out * 30, cy(r), "lstm-calc__arrow lstm-calc__arrow--final");
      text(end + out * 34, cy(r) - 9, "h_n[" + stateRow + "]", "lstm-calc__final", forward ? "start" : "end");
      if (config.module === "LSTM") text(end + out * 34, cy(r) + 9, "c_n[" + stateRow + "]", "lstm-calc__final", forward ? "start" : "end");
    });
    // each layer's h (both directions, side by side) is the input of the layer above
    rows.forEach((upper, r) => {
      const lower = rows[r + 1];
      if (!upper || !lower || upper.k === lower.k) return;
      steps.forEach((t, i) => {
        if (t !== null) line(cx(i), cy(r + 1) - boxH / 2 - 2, cx(i), cy(r) + boxH / 2 + 2);
      });
    });
    // input at the bottom, output at the top: one arrow per time step
    steps.forEach((t, i) => {
      if (t === null) return;
      const bottomRow = rows.length - 1;
      line(cx(i), height - 6, cx(i), cy(bottomRow) + boxH / 2 + 2);
      line(cx(i), cy(0) - boxH / 2 - 2, cx(i), 6);
    });
    text(left - 12, 14, "output", "lstm-calc__rowlabel", "end");
    text(left - 12, height - 14, "x (input)", "lstm-calc__rowlabel", "end");
    return svg;
  }

  /* Returns the fields an error is about: those its message names, else the input shape. */
  function fieldsOf(message) {
    const named = NUMBER_FIELDS.filter((name) => message.includes(name));
    return /\binput\b/.test(message) || !named.length ? named.concat(["input_shape"]) : named; // "input_size" is not "input"
  }

  /* Marks the fields in `invalid` with aria-invalid, described by the error shown; clears the others. */
  function markFields(form, invalid) {
    for (const name of FIELDS) {
      const field = form.elements[name];
      if (invalid.includes(name)) {
        field.setAttribute("aria-invalid", "true");
        field.setAttribute("aria-describedby", ERROR_ID);
      } else {
        field.removeAttribute("aria-invalid");
        field.removeAttribute("aria-describedby");
      }
    }
  }

  /* Returns the one line the status region says, e.g. "output (7, 2, 5), h_n (1, 2, 5), c_n (1, 2, 5)". */
  function summary(parsed, shapes) {
    if (parsed.problem) return "Not a number: " + parsed.problem;
    if (shapes.error) return shapes.type + ": " + shapes.error;
    return ["output", "h_n", "c_n"].filter((key) => shapes[key] !== null).map((key) => key + " " + shapeText(shapes[key])).join(", ");
  }

  /* Enables the fields the module takes and disables the others (their values are kept for when it changes back). */
  function enableFields(form, module) {
    for (const name of Object.keys(TAKES)) form.elements[name].disabled = !TAKES[name](module);
    document.getElementById("lstm-calc-module-name").textContent = "nn." + module + "(…)";
  }

  /* Renders the form's state; returns the one-line summary for the status region. */
  function render(form, state) {
    enableFields(form, state.module);
    const result = document.getElementById("lstm-calc-result");
    const figure = document.getElementById("lstm-calc-picture");
    const code = document.getElementById("lstm-calc-python");
    result.replaceChildren();
    figure.replaceChildren();
    const parsed = configFromState(state);
    if (parsed.problem) {
      code.textContent = "";
      result.append(errorBox("Not a number", parsed.problem));
      markFields(form, [parsed.field]);
      return summary(parsed);
    }
    code.textContent = pythonCall(parsed.config);
    const shapes = window.lstmShapes(parsed.config);
    if (shapes.error) {
      result.append(errorBox(shapes.type, shapes.error));
      markFields(form, fieldsOf(shapes.error));
      return summary(parsed, shapes);
    }
    markFields(form, []);
    const module = parsed.config.module;
    result.append(resultTable(shapes, module.endsWith("Cell")), legend(shapes));
    if (module.endsWith("Cell")) return summary(parsed, shapes); // one time step: no layers or time to draw
    const lstm = module === "LSTM";
    figure.append(picture(parsed.config, shapes), element("figcaption", {}, [
      "Each box is one layer (and direction) at one time step, for one sequence of the batch. " +
      (lstm ? "(h, c) flows" : "h flows") + " along each row; output holds the top row's h at every step; " +
      (lstm ? "h_n and c_n hold" : "h_n holds") + " each row's last state" +
      (parsed.config.bidirectional ? ": for the ← rows, which read the same inputs backwards, that is the state after t=0." : "."),
    ]));
    return summary(parsed, shapes);
  }

  function start() {
    const form = document.getElementById("lstm-calculator");
    if (!form || form.dataset.ready) return;
    form.dataset.ready = "1";
    writeForm(form, stateFromQuery(window.location.search));
    const status = document.getElementById("lstm-calc-status");
    let timer = null;
    let announced = render(form, readForm(form)); // what the page shows on load is not announced
    const update = () => {
      const state = readForm(form);
      const line = render(form, state);
      window.history.replaceState(null, "", queryFromState(state) + window.location.hash);
      clearTimeout(timer);
      timer = setTimeout(() => {
        if (line !== announced) status.textContent = line;
        announced = line;
      }, ANNOUNCE_AFTER_MS);
    };
    form.addEventListener("input", update);
    form.addEventListener("change", update);
    form.addEventListener("submit", (event) => event.preventDefault());
    form.addEventListener("reset", (event) => {
      event.preventDefault();
      writeForm(form, DEFAULTS);
      update();
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
