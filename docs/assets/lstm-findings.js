/* lstmFindings(config, inputShape, hxShape, cxShape, batchSize): what diagnose() says about a call, from shapes alone.
 *
 * The same findings as lstm_explained.diagnose(LSTMConfig(...), input_shape, hx, batch_size=...),
 * with the same codes, severities and words: tests/browser/test_findings_parity.py compares the two
 * on hundreds of random calls. Only the checks that shapes can decide are here: no dtype, device,
 * values (padding) or dropout. PyTorch's own messages are those of PyTorch 2.3 and later.
 *
 * config: {input_size, hidden_size, num_layers, bidirectional, proj_size, batch_first}, a module
 *   lstmShapes accepts; inputShape: a list of non-negative ints; hxShape: the shape of h_0, or null
 *   for no state (alone, it stands for h given without c, as hx=h_0 in Python); cxShape: the shape
 *   of c_0, or null; batchSize: the number of sequences meant, or null.
 * Returns a list of {code, severity, message, pytorch_error}, empty for a sound call.
 *
 * On the calculator page it also lists them under the shapes (#lstm-calc-findings), for the
 * optional fields h0_shape, c0_shape and batch_size that calculator.js keeps in the URL.
 */
(function () {
  "use strict";

  // Python's str() of a tuple, a list, a bool.
  function tup(shape) {
    return "(" + shape.join(", ") + (shape.length === 1 ? ",)" : ")");
  }
  function list(shape) {
    return "[" + shape.join(", ") + "]";
  }
  function py(value) {
    return value ? "True" : "False";
  }
  function plural(count, word) {
    return count === 1 ? word : word + "s";
  }
  function same(a, b) {
    return a.length === b.length && a.every((d, i) => d === b[i]);
  }

  function module(config) {
    const cfg = Object.assign({ num_layers: 1, proj_size: 0, bidirectional: false, batch_first: false }, config);
    cfg.D = cfg.bidirectional ? 2 : 1;
    cfg.rows = cfg.D * cfg.num_layers;
    cfg.hOut = cfg.proj_size > 0 ? cfg.proj_size : cfg.hidden_size;
    return cfg;
  }

  // PyTorch's messages (lstm_explained/pytorch_errors.py).
  const errors = {
    inputDims: (dims) => "ValueError: LSTM: Expected input to be 2D or 3D, got " + dims + "D instead",
    stateDims: (batched, h, c) =>
      "RuntimeError: For " + (batched ? "batched 3-D" : "unbatched 2-D") + " input, hx and cx should also be " +
      (batched ? "3-D" : "2-D") + " but got (" + h + "-D, " + c + "-D) tensors",
    inputSize: (expected, got) => "RuntimeError: input.size(-1) must be equal to input_size. Expected " + expected + ", got " + got,
    stateSize: (index, expected, got) => "RuntimeError: Expected hidden[" + index + "] size " + tup(expected) + ", got " + list(got),
    empty: () => "RuntimeError: Expected sequence length to be larger than 0 in RNN",
    index: (shape, i) => {
      if (shape.length === 0) {
        return "IndexError: invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` in C++ to convert a 0-dim tensor to a number";
      }
      return i >= shape[0] ? "IndexError: index " + i + " is out of bounds for dimension 0 with size " + shape[0] : null;
    },
  };

  function item(code, message, severity, error) {
    return { code: code, message: message, severity: severity, pytorch_error: error || null };
  }

  // A fix as code (lstm_explained/diagnosis/fixes.py Fix.state_code): a zero state for the input's batch, x.size(dim) ...
  function freshState(cfg, x) {
    const batch = x.length === 3 ? ["x.size(" + (cfg.batch_first ? 0 : 1) + ")"] : [];
    const zeros = [cfg.hOut, cfg.hidden_size].map((size) => "x.new_zeros(" + [cfg.rows].concat(batch, [size]).join(", ") + ")");
    return zeros[0] === zeros[1] ? zeros[0] + " each" : zeros.join(" and ");
  }
  // ... and the same steps on h_0, c_0 or both (parts: their indices), e.g. "h_0.unsqueeze(0) and c_0.unsqueeze(0)".
  function onState(steps, parts) {
    return ["h_0", "c_0"].filter((_, i) => (parts || [0, 1]).includes(i)).map((name) => name + steps).join(" and ");
  }

  function stateShapes(cfg, batch) {
    const dims = batch === null ? [] : [batch];
    return [[cfg.rows].concat(dims, [cfg.hOut]), [cfg.rows].concat(dims, [cfg.hidden_size])];
  }
  function expectedState(cfg, x) {
    const batch = x.length === 3 ? (cfg.batch_first ? x[0] : x[1]) : 1;
    return stateShapes(cfg, batch);
  }
  function userShape(shape, batched) {
    return batched ? shape : [shape[0], shape[2]];
  }
  function wanted(cfg, x, index) {
    return userShape(expectedState(cfg, x)[index], x.length === 3);
  }

  // --- state: hx read as nn.LSTM.forward reads it (diagnosis/call.py read_state) ---
  function readState(hx, cx) {
    if (hx === null) return null;
    if (hx.length === 0 && cx === null) { // "()": an empty tuple, as PyTorch reads hx=(); it fails at hx[0]
      return { h: null, c: null, count: 0, problem: "missing-cell-state", error: "IndexError: tuple index out of range", given: "a tuple of 0 tensor(s)" };
    }
    if (cx !== null) return { h: hx, c: cx, count: 2, problem: null };
    const error = errors.index(hx, 0) || errors.index(hx, 1);
    const view = error ? null : hx.slice(1); // torch reads hx[0] as h and hx[1] as c
    return { h: view, c: view, count: 1, problem: "missing-cell-state", error: error, given: "a single tensor of shape " + tup(hx) };
  }
  function usable(state) {
    return state !== null && state.problem === null ? state : null;
  }

  // --- the input (diagnosis/input_checks.py) ---
  function fourDByBatch(cfg, x, batchSize) { // input_checks.py _four_d_by_batch: where the batch says a 4-D input's extra dimension is
    const batchDim = cfg.batch_first ? 0 : 1;
    if (x[batchDim] === batchSize) {
      return " Dimension " + batchDim + " holds your batch of " + batchSize + ": if each time step is the " + x[2] + "-by-" + x[3] +
        " grid after dimension 1, x.flatten(2) makes it one vector of " + x[2] * x[3] + " features, with input_size=" + x[2] * x[3] +
        "; if dimension 2 is more time steps, x.flatten(1, 2) instead.";
    }
    if (x[batchDim + 1] === batchSize && x[0] !== batchSize) {
      return " Your batch of " + batchSize + " is dimension " + (batchDim + 1) + ", so dimension 0 is extra: a model summary tool adds " +
        "a batch of its own in front of an input_size that already holds one (torchsummary's summary(model, input_size) " +
        "does), so give the tool the shape without the batch; in your own code, x[0] removes it, keeping its first entry.";
    }
    return null;
  }
  function wrongDims(cfg, x, batchSize) {
    const order = cfg.batch_first ? "(N, L, H_in)" : "(L, N, H_in)";
    let message = "input has shape " + tup(x) + ", " + x.length + "-D: nn.LSTM takes a batch " + order + " (batch_first=" +
      py(cfg.batch_first) + ") or one unbatched sequence (L, H_in), with H_in = input_size = " + cfg.input_size + ".";
    if (x.length === 1) {
      if (cfg.input_size === 1) message += " For one sequence of scalars use x.unsqueeze(-1), shape (" + x[0] + ", 1).";
      else if (x[0] === cfg.input_size) {
        message += " As one step of " + cfg.input_size + " features, x.unsqueeze(0) makes it a sequence, shape (1, " + cfg.input_size + ").";
      } else message += " Give it a feature dimension of size input_size.";
    } else if (x.length > 3) {
      const one = x.slice(0, -1).indexOf(1); // never the features: squeezing them cannot help
      const byBatch = x.length === 4 && batchSize !== null ? fourDByBatch(cfg, x, batchSize) : null;
      if (one >= 0) {
        const why = one === 0 ? " an extra leading dimension, as a model summary tool's input_size or a stray unsqueeze(0) adds:" : "";
        message += " Dimension " + one + " has size 1," + why + " x.squeeze(" + one + ") removes it.";
      } else if (byBatch !== null) {
        message += byBatch;
      } else if (x.length === 4 && x[3] === cfg.input_size && cfg.batch_first) {
        message += " If dimension 0 is extra (a model summary tool adds a batch of its own in front of an input_size that " +
          "already holds one, as torchsummary's summary(model, input_size) does), give the tool the shape without " +
          "the batch; in your own code, x.flatten(0, 1) makes the first two dimensions one batch, " +
          "shape (" + x[0] * x[1] + ", " + x[2] + ", " + x[3] + ").";
      } else message += " Flatten the extra dimensions into the batch or the features first.";
    }
    return item("input-dims", message, "error", errors.inputDims(x.length));
  }

  function univariate(cfg, x, state) {
    const [a, b] = x;
    const h = usable(state) ? state.h : null;
    let batchDim = null;
    if (h !== null && h.length === 3 && (h[1] === a || h[1] === b) && a !== b) batchDim = h[1] === a ? 0 : 1;
    const layout = batchDim === null || batchDim === (cfg.batch_first ? 0 : 1)
      ? ", which batch_first=" + py(cfg.batch_first) + " reads as " + (cfg.batch_first ? "(N, L, H_in)" : "(L, N, H_in)")
      : ", with batch_first=" + py(batchDim === 0) + " (the state says the batch is dim " + batchDim + ", N=" + x[batchDim] + ")";
    return " With input_size=1 this is most likely a batch of series of one feature each, missing its feature dimension: " +
      "add it with x.unsqueeze(-1), shape (" + a + ", " + b + ", 1)" + layout + ". Setting input_size=" + b + " instead would read " +
      b + " time steps as the features of one step; do that only if each step really has " + b + " features.";
  }

  function inputSize(cfg, x, state) {
    const features = x[x.length - 1];
    if (features === cfg.input_size) return [];
    let message = "input " + tup(x) + " has " + features + " features in its last dimension, but input_size=" + cfg.input_size + ".";
    const elsewhere = x.slice(0, -1).indexOf(cfg.input_size);
    if (cfg.input_size === 1 && x.length === 2) {
      message += univariate(cfg, x, state);
    } else {
      if (elsewhere >= 0) {
        message += " Dimension " + elsewhere + " has size " + cfg.input_size + ": if the features are there, move them last with x.movedim(" + elsewhere + ", -1).";
      }
      message += " " + (elsewhere >= 0 ? "Otherwise s" : "S") + "et input_size=" + features + " when building the LSTM.";
    }
    return [item("input-size", message, "error", errors.inputSize(cfg.input_size, features))];
  }

  function empty(cfg, x) {
    const timeDim = cfg.batch_first && x.length === 3 ? 1 : 0;
    if (x[timeDim] !== 0) return [];
    const message = "input " + tup(x) + " has no time steps (L=0 in dim " + timeDim + ", batch_first=" + py(cfg.batch_first) +
      "): skip empty sequences before the call.";
    return [item("empty-sequence", message, "error", errors.empty())];
  }

  // --- batch and time (diagnosis/orientation.py) ---
  function reading(cfg, x) {
    if (x.length === 2) return [null, x[0]];
    return cfg.batch_first ? [x[0], x[1]] : [x[1], x[0]];
  }
  function readAs(cfg, x) {
    const [n, steps] = reading(cfg, x);
    const sequences = "N=" + n + " " + plural(n, "sequence");
    const time = "L=" + steps + " " + plural(steps, "time step");
    return cfg.batch_first ? sequences + " of " + time : time + " of " + sequences;
  }
  function layout(cfg) {
    return cfg.batch_first ? "(N, L, H_in)" : "(L, N, H_in)";
  }
  function swapCode(cfg) {
    return cfg.batch_first ? "batch-first-swap" : "time-major-swap";
  }
  function effect(n, steps) {
    if (steps === 1) return "every time step is its own sequence, starting from its own initial state, and never sees the step before it";
    if (n === 1) {
      return "the batch is read as time: the " + steps + " sequences run as the time steps of one sequence, " +
        "each starting from the state the one before it left";
    }
    return "the batch is read as time and time as the batch, so the state flows from one sequence to the next instead of along each sequence";
  }
  function swapFix(cfg, x) {
    const [a, b, features] = x;
    const [h, c] = stateShapes(cfg, cfg.batch_first ? b : a);
    const state = same(h, c) ? "h_0 and c_0 of shape " + tup(h) : "h_0 of shape " + tup(h) + " and c_0 of shape " + tup(c);
    const layout = cfg.batch_first ? "(L, N, D*H_out)" : "(N, L, D*H_out)";
    const last = cfg.batch_first ? "output[-1]" : "output[:, -1]";
    return "Set batch_first=" + py(!cfg.batch_first) + ", or pass x.transpose(0, 1), shape (" + b + ", " + a + ", " + features +
      "); a state then has " + state + ". With batch_first=" + py(!cfg.batch_first) + ", output is " + layout +
      ": its last time step is " + last + ".";
  }
  /* Whether h_0 and c_0 both have exactly the shapes PyTorch wants for a batch of n sequences. */
  function fits(cfg, state, n) {
    if (!usable(state)) return false;
    const [h, c] = stateShapes(cfg, n);
    return same(state.h, h) && same(state.c, c);
  }
  function fitsMisread(cfg, state, n) {
    if (fits(cfg, state, n)) {
      return " The state " + tup(state.h) + " fits the misread batch of " + n + ", which is why PyTorch raises nothing.";
    }
    return "";
  }
  function ambiguous(cfg, x, state) {
    const h = usable(state) ? state.h : null;
    const n = reading(cfg, x)[0];
    if (h !== null && (h.length !== 3 || h[1] !== n)) return [];
    const fitsNote = fits(cfg, state, n) ? " The state fits the first reading, so PyTorch raises nothing either way." : "";
    const message = "with batch_first=" + py(cfg.batch_first) + ", PyTorch reads input " + tup(x) + " as " + readAs(cfg, x) + ". " +
      "That is right for one time step of a batch of " + n + " sequences (loop mode). It is wrong for one sequence of " + n +
      " time steps: every time step is then its own sequence and never sees the step before it. " + swapFix(cfg, x) + fitsNote +
      " To tell them apart: is " + n + " your number of sequences, or of time steps? " +
      "Pass batch_size= (the number of sequences you mean) and diagnose says which.";
    return [item(swapCode(cfg), message, "note")];
  }
  function orientation(cfg, x, state, batchSize) {
    if (x.length === 2) {
      if (batchSize === null || batchSize === 1) return [];
      let message = "batch_size=" + batchSize + ", but input " + tup(x) + " is 2-D, which PyTorch reads as one unbatched " +
        "sequence of L=" + x[0] + " " + plural(x[0], "time step") + " with H_in=" + x[1] + " features. A batch has three dimensions: " +
        layout(cfg) + " with batch_first=" + py(cfg.batch_first) + ".";
      if (x.includes(batchSize) && cfg.input_size === 1 && x[1] !== 1) { // orientation.py _batch_of_2d: series of one feature
        const batchFirst = x[0] === batchSize;
        message += " With input_size=1 these are " + batchSize + " series of one feature: x.unsqueeze(-1)" +
          (batchFirst !== cfg.batch_first ? " and batch_first=" + py(batchFirst) + "." : ".");
      } else if (x.includes(batchSize) && x[0] === batchSize && x[1] === cfg.input_size) { // one time step of the batch
        message += " As one time step of " + batchSize + " sequences: x.unsqueeze(" + (cfg.batch_first ? 1 : 0) + ").";
      }
      return [item("batch-size", message, "warning")];
    }
    const [n, steps] = reading(cfg, x);
    if (batchSize === null) return steps === 1 && n > 1 ? ambiguous(cfg, x, state) : [];
    if (batchSize === n) return [];
    const head = "batch_size=" + batchSize + ", but with batch_first=" + py(cfg.batch_first) + " PyTorch reads input " + tup(x) +
      " as " + readAs(cfg, x);
    if (batchSize !== steps) {
      return [item("batch-size", head + ", and no dimension holds " + batchSize + " sequences. Check how the batch was built " +
        "(a DataLoader's last batch is smaller unless drop_last=True): nn.LSTM takes " + layout(cfg) + ".", "warning")];
    }
    return [item(swapCode(cfg), head + ": " + effect(n, steps) + ". " + swapFix(cfg, x) + fitsMisread(cfg, state, n), "warning")];
  }

  // --- the state (diagnosis/state_checks.py) ---
  function dimsFix(cfg, x, state) {
    const [rows, batch] = expectedState(cfg, x)[0];
    if (state.h.length === 4 && state.c.length === 4) { // a size-1 dimension too many, as a stray unsqueeze adds
      for (let i = 0; i < 4; i++) {
        if ([state.h, state.c].every((p) => p[i] === 1 && p.filter((_, j) => j !== i)[0] === rows && p.filter((_, j) => j !== i)[1] === batch)) {
          return "dimension " + i + " has size 1, as a stray unsqueeze adds: " + onState(".squeeze(" + i + ")") + " remove it";
        }
      }
    }
    if (state.h.length !== 2 || state.c.length !== 2) return null;
    if (state.h[0] === batch) {
      return "add the dimension of layers and directions in front: " + onState(".unsqueeze(0)" + (rows > 1 ? ".repeat(" + rows + ", 1, 1)" : "")) +
        (rows > 1 ? ", the same state for each layer and direction (or build one for each)" : "");
    }
    if (state.h[0] === rows) {
      return "add the batch dimension: " + onState(".unsqueeze(1)" + (batch !== 1 ? ".repeat(1, " + batch + ", 1)" : "")) +
        (batch !== 1 ? ", the same state for each of the N=" + batch + " sequences (or build one for each)" : "");
    }
    return null;
  }
  function unbatchedFix(cfg, x, state) { // diagnosis/state_advice.py unbatched_fix: which reading the state's batch fits
    if (cfg.input_size === 1 && x[x.length - 1] !== 1) {
      return "with input_size=1, the input is most likely a batch of series missing its feature dimension: " +
        "x.unsqueeze(-1) makes it a 3-D batch, which a 3-D state fits";
    }
    const first = x[0], features = x[1];
    const batch = state.h.length === 3 ? state.h[1] : null;
    if (batch === first && first > 1) { // one time step of `first` sequences
      const step = cfg.batch_first ? [1, [first, 1, features]] : [0, [1, first, features]];
      const cell = cfg.rows === 1 ? ", or step with nn.LSTMCell, which takes one time step (N, H_in)" : "";
      return "the state holds " + batch + " sequences, as many as the input's first dimension: the input is one time step of " +
        batch + " sequences. Give it its time dimension, x.unsqueeze(" + step[0] + "), shape " + tup(step[1]) + cell;
    }
    const seq = cfg.batch_first ? [0, [1, first, features]] : [1, [first, 1, features]];
    if (batch === 1) return "the state is for one sequence: give the input its batch dimension, x.unsqueeze(" + seq[0] + "), shape " + tup(seq[1]);
    return null; // no one change the evidence points to
  }
  function orZeros(cfg, x, fix, fallback) { // state_checks.py _or_zeros: else a zero state of the right shape
    return fix !== null ? fix : fallback + "; for a fresh start, " + freshState(cfg, x);
  }
  function missingCellState(cfg, x, state, want) {
    const message = "hx is " + state.given + ": nn.LSTM needs both states, hx=(h_0, c_0), with c_0 of shape " +
      tup(wanted(cfg, x, 1)) + " (when you carry the state, the c_n returned with that h_n; hx=(h_0, torch.zeros_like(h_0)) only for a fresh start).";
    if (state.error) return item("missing-cell-state", message, "error", state.error);
    const dims = state.h.length;
    if (dims !== want) return item("missing-cell-state", message, "error", errors.stateDims(want === 3, dims, dims));
    if (sizes(cfg, x, { h: state.h, c: state.c, count: 2, problem: null }).length === 0) {
      if (want === 3) { // only unbatched input rebuilds hx as the tuple (hx[0], hx[1]); the kernel takes nothing else
        return item("missing-cell-state", message + " PyTorch checks hx[0] as h_0 and hx[1] as c_0, then its kernel raises " +
          "TypeError: it takes a tuple, not one tensor.", "error");
      }
      return item("missing-cell-state", message + " PyTorch runs, reading hx[0] as h_0 and hx[1] as c_0.", "warning");
    }
    return item("missing-cell-state", message + " PyTorch reads hx[0] as h_0 and hx[1] as c_0, and rejects them.", "error");
  }
  function container(cfg, x, state) {
    if (state === null) return [];
    const batched = x.length === 3;
    const want = batched ? 3 : 2;
    if (state.problem === "missing-cell-state") return [missingCellState(cfg, x, state, want)];
    const hDims = state.h.length, cDims = state.c.length;
    if (hDims === want && cDims === want) return [];
    const fix = batched ? orZeros(cfg, x, dimsFix(cfg, x, state), "build h_0 and c_0 with three dimensions, (D*num_layers, N, H)")
      : orZeros(cfg, x, unbatchedFix(cfg, x, state), "drop the batch dimension from the state, or give the input one, x.unsqueeze(" +
        (cfg.batch_first ? 0 : 1) + "), shape " + tup(cfg.batch_first ? [1, x[0], x[1]] : [x[0], 1, x[1]]));
    const message = "hx has (" + hDims + "-D, " + cDims + "-D) tensors, but " + (batched ? "batched 3-D input " : "unbatched 2-D input ") +
      tup(x) + " takes " + want + "-D states, h_0 of shape " + tup(wanted(cfg, x, 0)) + " and c_0 of shape " + tup(wanted(cfg, x, 1)) +
      ": " + fix + ".";
    return [item("state-dims", message, "error", errors.stateDims(batched, hDims, cDims))];
  }

  function mergeDirections(cfg, got, parts) {
    const layers = cfg.num_layers, batch = got[1], size = got[2];
    const which = parts || [0, 1];
    const differ = cfg.proj_size > 0 && which.length === 2;  // h_n and c_n of other widths: one view for both, its last size -1
    const view = ".view(" + layers + ", 2, " + batch + ", " + (differ ? -1 : size) + ").sum(1)";
    const states = ["h_n", "c_n"].filter((_, i) => which.includes(i));
    return "A first dimension twice that size is what a bidirectional encoder returns, or an encoder with twice the layers; " +
      "the shape alone cannot tell which. From a bidirectional encoder: a decoder that generates one step at a time " +
      "cannot use a backward direction (it would need the steps it has not generated yet), so merge the two directions of " +
      states.join(" and ") + ": " + states.map((name) => name + view).join(" and ") + ", shape (" + layers + ", " + batch + ", " + size + "), or " +
      "torch.cat([h_n[0::2], h_n[1::2]], dim=2), shape (" + layers + ", " + batch + ", " + 2 * size + "), " +
      "then an nn.Linear(" + 2 * size + ", " + size + ") (or a decoder with hidden_size=" + 2 * size + "). " +
      "From a one-direction encoder of " + 2 * layers + " layers: keep its last " + layers + ", h_n[-" + layers + ":], or give both " +
      "num_layers=" + 2 * layers + ".";
  }
  function batchReason(cfg, x, got, batch, agree, parts) {
    const reason = "dim 1 is the batch, and the input " + tup(x) + " holds N=" + batch + " sequences with batch_first=" + py(cfg.batch_first) + ".";
    if (agree && !cfg.batch_first && got === x[0]) {
      return reason + " The state's " + got + " is the input's dim 0: if the input is (N, L, H_in), set batch_first=True.";
    }
    if (agree && cfg.batch_first && got === x[1]) {
      return reason + " The state's " + got + " is the input's dim 1: if the input is (L, N, H_in), set batch_first=False.";
    }
    if (got < batch) { // slicing cannot grow it: h[:, :N] keeps at most the `got` sequences it has
      return reason + " The state holds " + got + " " + plural(got, "sequence") + ", fewer than the input: one built for a fixed batch size " +
        "does this. Build it from the input's batch inside forward, " + freshState(cfg, x) + ", or pass hx=None for zeros.";
    }
    return reason + " The state holds " + got + " sequences, more than the input: one kept from a larger batch does this (a DataLoader's smaller last batch, or a " +
      "training state reused to predict). Start each new batch from zeros (hx=None) or pass drop_last=True to the " +
      "DataLoader; to go on with the same sequences, " + onState("[:, :" + batch + "]" + (cfg.rows > 1 ? ".contiguous()" : ""), parts) +
      " keep" + (parts.length === 2 ? "" : "s") +
      " the first " + batch + ".";
  }
  function lastDimReason(cfg, x, index, got) {
    if (cfg.proj_size && index === 0 && got === cfg.hidden_size) {
      return ["state-proj-size", "with proj_size=" + cfg.proj_size + ", h is projected: h_0 and h_n end in proj_size=" + cfg.proj_size +
        ", not hidden_size=" + cfg.hidden_size + ". Only c_0 and c_n keep hidden_size: " + freshState(cfg, x) + "."];
    }
    if (cfg.proj_size && index === 1 && got === cfg.proj_size) {
      return ["state-proj-size", "proj_size=" + cfg.proj_size + " projects h only: c_0 and c_n end in hidden_size=" + cfg.hidden_size + ", not proj_size: " + freshState(cfg, x) + "."];
    }
    const [name, value] = index === 0 && cfg.proj_size ? ["proj_size", cfg.proj_size] : ["hidden_size", cfg.hidden_size];
    return ["state-size", NAMES[index] + "'s last dimension must be " + name + "=" + value + ": build it with " + value +
      " " + plural(value, "feature") + " (" + freshState(cfg, x) + " for zeros), or set " + name + " to match."];
  }
  function cellLayoutFix(cfg, x) { // diagnosis/state_advice.py cell_layout_fix
    const n = x[0], features = x[1];
    const step = cfg.batch_first ? [1, [n, 1, features]] : [0, [1, n, features]];
    const grow = cfg.rows === 1 ? "unsqueeze(0)" : "unsqueeze(0).repeat(" + cfg.rows + ", 1, 1)"; // one entry per layer and direction
    let fix = "This state has the input's first dimension, " + n + ": the two look like one time step of " + n + " sequences, laid out as " +
      "a cell takes them. For nn.LSTM, give each its missing dimension: x.unsqueeze(" + step[0] + "), shape " + tup(step[1]) + ", and " +
      "h_0." + grow + " and c_0." + grow + ", shape (" + cfg.rows + ", " + n + ", H)";
    if (cfg.rows === 1) fix += "; or step with nn.LSTMCell(" + cfg.input_size + ", " + cfg.hidden_size + "), which takes them as they are";
    return fix + ".";
  }
  function sizeMistakes(cfg, x, index, got, expected, agree, parts) {
    const [rows, batch, size] = expected;
    if (same([got[1], got[0], got[2]], expected) && got[0] !== got[1]) {
      return [["state-batch-first", "that is batch-first order (N, D*num_layers, H). batch_first=" + py(cfg.batch_first) +
        " applies to input and output only: h_0 and c_0 are always (D*num_layers, N, H). Pass " +
        onState(".transpose(0, 1).contiguous()", parts.get("state-batch-first")) + "."]];
    }
    const found = [];
    if (got[0] !== rows) {
      let hint = "";
      let fix = "Build the state with a first dimension of " + rows + " (" + freshState(cfg, x) + " for zeros), " +
        "or set num_layers and bidirectional to match it.";
      if (cfg.bidirectional && got[0] === cfg.num_layers) hint = " It counts the layers but not the two directions.";
      else if (cfg.bidirectional && cfg.num_layers > 1 && got[0] === cfg.D) hint = " It counts the directions but not the " + cfg.num_layers + " layers.";
      else if (!cfg.bidirectional && got[0] === 2 * rows && x.length === 3) fix = mergeDirections(cfg, got, parts.get("state-layers"));
      if (got[0] === 1 && x.length === 3) { // one entry, for several: a one-layer encoder's state, say, worth keeping
        const which = parts.get("state-layers") || [0, 1];
        fix = "If it is a state to keep (a one-layer encoder's, say), " + onState(".repeat(" + rows + ", 1, 1)", which) + " " +
          (which.length === 2 ? "give" : "gives") + " each layer and direction a copy; or build it with a first dimension of " + rows +
          " (" + freshState(cfg, x) + " for zeros), or set num_layers and bidirectional to match it.";
      }
      if (x.length === 2 && got[0] === x[0] && x[0] > 1) fix = cellLayoutFix(cfg, x); // (N, H) beside (N, H_in): a time step
      found.push(["state-layers", "the first dimension is D*num_layers = " + cfg.D + "*" + cfg.num_layers + " = " + rows +
        " (bidirectional=" + py(cfg.bidirectional) + ", num_layers=" + cfg.num_layers + "), one entry per layer and direction." + hint + " " + fix]);
    }
    if (got[1] !== batch) found.push(["state-batch-size", batchReason(cfg, x, got[1], batch, agree, parts.get("state-batch-size") || [0, 1])]);
    if (got[2] !== size) found.push(lastDimReason(cfg, x, index, got[2]));
    return found;
  }
  const NAMES = ["h_0", "c_0"];
  function sizes(cfg, x, state, batchSize) {
    if (state === null || state.problem !== null) return [];
    const batched = x.length === 3;
    const want = batched ? 3 : 2;
    if (state.h.length !== want || state.c.length !== want) return [];
    const expected = expectedState(cfg, x);
    if (batched) { // state_checks.py _scattered: nn.DataParallel cut the state along dim 0 for k GPUs
      const parts = [state.h, state.c];
      const cuts = parts.map((got, i) => {
        const [rows, n, size] = expected[i];
        return got[0] < rows && rows % got[0] === 0 && got[1] === (rows / got[0]) * n && got[2] === size ? rows / got[0] : null;
      });
      if (cuts.every((k) => k !== null && k === cuts[0])) {
        const gpus = cuts[0], got = state.h, [rows, n] = expected[0];
        const subjects = parts.map((p, i) => NAMES[i] + " is " + tup(p) + " (expected " + tup(expected[i]) + ")").join(" and ");
        return [item("state-layers", subjects + ": " + gpus + " times fewer entries and " + gpus + " times the sequences, as " +
          "nn.DataParallel makes it on " + gpus + " GPUs. It cuts every tensor argument along dim 0, and a state's dim 0 holds " +
          "the D*num_layers = " + rows + " layer and direction entries, not the batch: each GPU gets " + got[0] + " of them for all " +
          got[1] + " sequences, beside its " + n + " of the input. Build the state inside forward from the input each GPU gets, " +
          freshState(cfg, x) + ", or pass it batch-first, (N, D*num_layers, H), and .transpose(0, 1).contiguous() it inside forward.",
          "error", errors.stateSize(0, expected[0], got))];
      }
    }
    const byCode = new Map();
    const settled = batched && batchSize !== undefined && batchSize !== null && batchSize === (cfg.batch_first ? x[0] : x[1]);
    const agree = (!batched || state.h[1] === state.c[1]) && !settled; // h_0 and c_0 hold as many sequences; the layout not settled
    const wrong = [state.h, state.c].map((part, index) => [index, batched ? part : [part[0], 1, part[1]]])
      .filter(([index, got]) => !same(got, expected[index]));
    const parts = new Map(); // each mistake's state tensors, which its fix changes
    for (const [index, got] of wrong) {
      for (const [code] of sizeMistakes(cfg, x, index, got, expected[index], agree, new Map())) parts.set(code, (parts.get(code) || []).concat([index]));
    }
    wrong.forEach(([index, got]) => {
      const subject = NAMES[index] + " is " + tup(userShape(got, batched)) + " (expected " + tup(userShape(expected[index], batched)) + ")";
      for (const [code, why] of sizeMistakes(cfg, x, index, got, expected[index], agree, parts)) {
        if (!byCode.has(code)) byCode.set(code, []);
        byCode.get(code).push({ index: index, got: got, subject: subject, why: why });
      }
    });
    const items = [];
    for (const [code, entries] of byCode) {
      const subjects = entries.map((e) => e.subject).join(" and ");
      const reasons = Array.from(new Set(entries.map((e) => e.why))).join(" ");
      const first = entries[0];
      items.push(item(code, subjects + ": " + reasons, "error", errors.stateSize(first.index, expected[first.index], first.got)));
    }
    return items;
  }

  function findings(config, inputShape, hxShape, cxShape, batchSize) {
    const cfg = module(config);
    const x = inputShape.slice();
    const hx = hxShape === undefined || hxShape === null ? null : hxShape.slice();
    const cx = cxShape === undefined || cxShape === null || hx === null ? null : cxShape.slice();
    const batch = batchSize === undefined ? null : batchSize;
    let found;
    if (batch !== null && !(Number.isInteger(batch) && batch >= 0)) {
      found = [item("batch-size", "batch_size is " + batch + ": pass the number of sequences you mean, a whole number, or leave it out.", "warning")];
    } else if (x.length !== 2 && x.length !== 3) {
      found = [wrongDims(cfg, x, batch)];
    } else {
      const state = readState(hx, cx);
      found = orientation(cfg, x, state, batch)
        .concat(container(cfg, x, state), inputSize(cfg, x, state), sizes(cfg, x, state, batch), empty(cfg, x));
    }
    // diagnose quotes what PyTorch raises at the end of the message
    return found.map((f) => Object.assign(f, { message: f.pytorch_error ? f.message + " PyTorch raises " + f.pytorch_error : f.message }));
  }

  window.lstmFindings = findings;

  // --- the calculator page: the optional fields of the call, and the findings under the shapes ---
  function parseInts(text) {
    const inner = String(text || "").replace(/torch\.Size/g, "").replace(/[()[\]]/g, " ").trim();
    if (inner === "") return String(text || "").trim() === "" ? null : []; // empty: no state; "()": an empty tuple
    const parts = inner.split(/[\s,]+/).filter((p) => p !== "");
    return parts.every((p) => /^\d+$/.test(p)) ? parts.map((p) => parseInt(p, 10)) : undefined;
  }
  function whole(text) {
    const t = String(text || "").trim();
    if (t === "") return null;
    return /^\d+$/.test(t) ? parseInt(t, 10) : undefined;
  }

  /* Returns {findings} for the form's call, {problem} for a field that is not understood, or {} when the module is refused. */
  function fromForm(form) {
    const chosen = form.elements.module ? form.elements.module.value : "LSTM";
    if (chosen !== "LSTM") return { other: chosen };
    const config = { bidirectional: form.elements.bidirectional.checked, batch_first: form.elements.batch_first.checked };
    for (const name of ["input_size", "hidden_size", "num_layers", "proj_size"]) {
      const value = whole(form.elements[name].value);
      if (value === null || value === undefined) return {};
      config[name] = value;
    }
    const x = parseInts(form.elements.input_shape.value);
    if (!x || x.length === 0 || window.lstmShapes(Object.assign({ input_shape: [1, 1, config.input_size] }, config)).error) return {};
    const h = parseInts(form.elements.h0_shape.value);
    const c = parseInts(form.elements.c0_shape.value);
    const batch = whole(form.elements.batch_size.value);
    if (h === undefined || c === undefined) return { problem: "h_0 and c_0: enter whole numbers separated by commas, e.g. 1, 2, 5" };
    if (batch === undefined) return { problem: "batch size: enter a whole number, or leave it empty" };
    if (c !== null && h === null) return { problem: "c_0 goes with h_0: enter h_0's shape too (h_0 alone means h given without c)" };
    if ((c !== null && c.length === 0) || (c !== null && h.length === 0)) return { problem: "h_0 and c_0: enter the shape of each, or leave c_0 empty" };
    return { findings: findings(config, x, h, c, batch), reading: readAs(module(config), x), batched: x.length === 3 };
  }

  function render(form, box) {
    const answer = fromForm(form);
    box.replaceChildren();
    if (answer.other) {
      const p = document.createElement("p");
      p.textContent = "The findings here cover nn.LSTM. For nn." + answer.other + ", diagnose() in Python, or " +
        "lstm-explained diagnose --module " + answer.other + ", checks the call.";
      box.append(p);
      return;
    }
    if (!answer.findings && !answer.problem) return;
    const title = document.createElement("p");
    title.className = "lstm-calc__findings-title";
    title.textContent = "What diagnose says about this call";
    box.append(title);
    if (answer.problem) {
      const p = document.createElement("p");
      p.textContent = answer.problem;
      box.append(p);
      return;
    }
    const list = document.createElement("ul");
    list.className = "lstm-calc__findings";
    for (const f of answer.findings) {
      const li = document.createElement("li");
      li.className = "lstm-calc__finding lstm-calc__finding--" + f.severity;
      li.dataset.code = f.code;
      const head = document.createElement("strong");
      head.textContent = f.severity + " [" + f.code + "] ";
      li.append(head, f.message);
      list.append(li);
    }
    if (answer.findings.length) box.append(list);
    if (!answer.findings.some((f) => f.severity !== "note")) {
      const p = document.createElement("p");
      p.className = "lstm-calc__clean";
      p.textContent = (answer.findings.length ? "" : "No findings. ") +
        "Shapes alone cannot show devices, dtypes or values: padding, NaN, a state carried from another batch.";
      box.append(p);
    }
  }

  function start() {
    const form = document.getElementById("lstm-calculator");
    const box = document.getElementById("lstm-calc-findings");
    if (!form || !box || !form.elements.h0_shape || form.dataset.findings) return;
    form.dataset.findings = "1";
    const update = () => render(form, box); // calculator.js, loaded first, has read the form by now
    form.addEventListener("input", update);
    form.addEventListener("change", update);
    form.addEventListener("reset", () => window.setTimeout(update, 0)); // after calculator.js has reset the fields
    update();
  }

  if (typeof document !== "undefined") {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
    else start();
  }
})();
