/* lstmShapes(config): the shapes a recurrent module returns, or the error PyTorch raises, without running anything.
 *
 * A pure function, the core of the shape calculator (calculator.js draws the page around it).
 * It follows torch.nn step by step: the constructor's checks, then creating the input tensor,
 * then forward()'s checks, each with PyTorch's own wording. tests/browser/test_calculator.py
 * compares it with real calls of every module on hundreds of random configurations.
 *
 * config: {module, nonlinearity, input_size, hidden_size, num_layers, bidirectional, proj_size, batch_first,
 *   input_shape}. module is "LSTM" (the default), "GRU", "RNN", "LSTMCell", "GRUCell" or "RNNCell";
 *   num_layers defaults to 1, proj_size to 0, the booleans to false; input_shape is a list of ints.
 *   A cell reads input_size, hidden_size and input_shape alone, as its constructor takes no other option.
 * Returns {output, h_n, c_n, h_0, c_0, input, names, batched} (shapes as lists of ints, null for a
 *   tensor the module does not have: c_0 and c_n without a cell state, output for a cell; names maps
 *   each shape to the meaning of each dimension), or {error, type} where type is the Python exception
 *   PyTorch raises: "ValueError", "RuntimeError" or "TypeError".
 */
(function () {
  "use strict";

  // Rows of weight_ih per hidden unit: the gates i, f, g, o; r, z, n; or the one tanh/relu.
  const GATES = { LSTM: 4, GRU: 3, RNN: 1, LSTMCell: 4, GRUCell: 3, RNNCell: 1 };

  function pythonTypeName(value) {
    if (value === null || value === undefined) return "NoneType";
    if (typeof value === "boolean") return "bool";
    if (typeof value === "number") return Number.isInteger(value) ? "int" : "float";
    if (typeof value === "string") return "str";
    if (Array.isArray(value)) return "list";
    return typeof value;
  }

  function fail(type, message) {
    return { error: message, type: type };
  }

  /* The checks of torch.nn.RNNBase.__init__, in its order (nn.GRU and nn.RNN refuse proj_size first); null when it builds. */
  function constructorError(cfg) {
    if (cfg.module !== "LSTM" && cfg.proj_size !== 0) {
      return fail("ValueError", "proj_size argument is only supported for LSTM, not RNN or GRU");
    }
    if (typeof cfg.batch_first !== "boolean") {
      return fail("TypeError", "batch_first should be of type bool, got: " + pythonTypeName(cfg.batch_first));
    }
    for (const name of ["input_size", "hidden_size"]) {
      if (!Number.isInteger(cfg[name])) {
        return fail("TypeError", name + " should be of type int, got: " + pythonTypeName(cfg[name]));
      }
      if (cfg[name] <= 0) return fail("ValueError", name + " must be greater than zero");
    }
    for (const name of ["num_layers", "proj_size"]) {
      if (typeof cfg[name] !== "number" || Number.isNaN(cfg[name])) {
        return fail("TypeError", name + " should be of type int, got: " + pythonTypeName(cfg[name]));
      }
    }
    if (cfg.num_layers <= 0) return fail("ValueError", "num_layers must be greater than zero");
    if (cfg.proj_size < 0) {
      return fail("ValueError", "proj_size should be a positive integer or zero to disable projections");
    }
    if (cfg.proj_size >= cfg.hidden_size) return fail("ValueError", "proj_size has to be smaller than hidden_size");
    // PyTorch checks neither type; a fraction fails a few lines later, where it builds the weights.
    if (!Number.isInteger(cfg.num_layers)) {
      return fail("TypeError", "'float' object cannot be interpreted as an integer");
    }
    if (!Number.isInteger(cfg.proj_size)) {
      return fail("TypeError", "empty(): argument 'size' failed to unpack the object at pos 2 with error " +
        '"type must be tuple of ints,but got float"');
    }
    if (typeof cfg.bidirectional !== "boolean") {
      return fail("TypeError", "bidirectional should be of type bool, got: " + pythonTypeName(cfg.bidirectional));
    }
    return null;
  }

  /* torch.empty(input_shape)'s checks; null when the tensor can exist. */
  function tensorError(shape) {
    if (!Array.isArray(shape) || !shape.every(Number.isInteger)) {
      return fail("TypeError", "input_shape must be a list of ints, got: " + JSON.stringify(shape));
    }
    const negative = shape.find((d) => d < 0);
    if (negative !== undefined) {
      return fail("RuntimeError", "Trying to create tensor with negative dimension " + negative + ": [" + shape.join(", ") + "]");
    }
    return null;
  }

  /* A cell's constructor builds weight_ih with torch.empty((gates * hidden_size, input_size)) and checks nothing else. */
  function cellConstructorError(cfg) {
    const rows = GATES[cfg.module] * cfg.hidden_size;
    if (!Number.isInteger(cfg.hidden_size)) { // in Python, gates * a float is a float, even when it is whole
      return fail("TypeError", "empty(): argument 'size' (position 1) must be tuple of ints, but found element of type float at pos 0");
    }
    if (!Number.isInteger(cfg.input_size)) {
      return fail("TypeError", "empty(): argument 'size' failed to unpack the object at pos 2 with error " +
        '"type must be tuple of ints,but got float"');
    }
    const negative = [rows, cfg.input_size].find((d) => d < 0);
    if (negative !== undefined) {
      return fail("RuntimeError", "Trying to create tensor with negative dimension " + negative + ": [" + rows + ", " + cfg.input_size + "]");
    }
    return null;
  }

  /* A cell's forward (one time step, 1-D or 2-D) and its kernel's input check; null when the call runs. */
  function cellForwardError(cfg, shape) {
    if (shape.length !== 1 && shape.length !== 2) {
      return fail("ValueError", cfg.module + ": Expected input to be 1D or 2D, got " + shape.length + "D instead");
    }
    const features = shape[shape.length - 1];
    if (features !== cfg.input_size) {
      return fail("RuntimeError", "input has inconsistent input_size: got " + features + " expected " + cfg.input_size);
    }
    return null;
  }

  function cellShapes(cfg) {
    const shape = cfg.input_shape.slice();
    const batched = shape.length === 2;
    const h = batched ? [shape[0], cfg.hidden_size] : [cfg.hidden_size];
    const hNames = batched ? ["N", "H"] : ["H"];
    const c = cfg.module === "LSTMCell" ? h.slice() : null;
    return {
      input: shape, output: null, h_0: h.slice(), c_0: c && c.slice(), h_n: h, c_n: c, batched: batched,
      names: Object.assign({ input: batched ? ["N", "H_in"] : ["H_in"], h_0: hNames, h_n: hNames.slice() },
        c ? { c_0: hNames.slice(), c_n: hNames.slice() } : {}),
    };
  }

  /* The checks of forward() and the kernel it calls, in their order; null when the call runs. */
  function forwardError(cfg, shape) {
    if (shape.length !== 2 && shape.length !== 3) {
      const tensor = cfg.module === "RNN" ? " tensor" : ""; // nn.RNN alone says "got 4D tensor instead"
      return fail("ValueError", cfg.module + ": Expected input to be 2D or 3D, got " + shape.length + "D" + tensor + " instead");
    }
    const features = shape[shape.length - 1];
    if (features !== cfg.input_size) {
      return fail("RuntimeError", "input.size(-1) must be equal to input_size. Expected " + cfg.input_size + ", got " + features);
    }
    const seqLen = shape.length === 2 || !cfg.batch_first ? shape[0] : shape[1];
    if (seqLen <= 0) return fail("RuntimeError", "Expected sequence length to be larger than 0 in RNN");
    return null;
  }

  function lstmShapes(config) {
    const cfg = Object.assign(
      { module: "LSTM", nonlinearity: "tanh", num_layers: 1, proj_size: 0, bidirectional: false, batch_first: false },
      config
    );
    if (!(cfg.module in GATES)) return fail("ValueError", "module must be one of " + Object.keys(GATES).join(", "));
    if (cfg.module.endsWith("Cell")) {
      const error = cellConstructorError(cfg) || tensorError(cfg.input_shape) || cellForwardError(cfg, cfg.input_shape);
      return error || cellShapes(cfg);
    }
    const error = constructorError(cfg) || tensorError(cfg.input_shape) || forwardError(cfg, cfg.input_shape);
    if (error) return error;

    const shape = cfg.input_shape.slice();
    const D = cfg.bidirectional ? 2 : 1;
    const hOut = cfg.proj_size > 0 ? cfg.proj_size : cfg.hidden_size;
    const batched = shape.length === 3;
    const L = batched && cfg.batch_first ? shape[1] : shape[0];
    const N = batched ? (cfg.batch_first ? shape[0] : shape[1]) : null;

    const batchDims = batched ? [N] : [];
    const batchNames = batched ? ["N"] : [];
    let output, outputNames, inputNames;
    if (!batched) {
      output = [L, D * hOut];
      outputNames = ["L", "D*H_out"];
      inputNames = ["L", "H_in"];
    } else if (cfg.batch_first) {
      output = [N, L, D * hOut];
      outputNames = ["N", "L", "D*H_out"];
      inputNames = ["N", "L", "H_in"];
    } else {
      output = [L, N, D * hOut];
      outputNames = ["L", "N", "D*H_out"];
      inputNames = ["L", "N", "H_in"];
    }
    const h = [D * cfg.num_layers].concat(batchDims, [hOut]); // batch_first never applies to the state
    const c = cfg.module === "LSTM" ? [D * cfg.num_layers].concat(batchDims, [cfg.hidden_size]) : null; // no cell state otherwise
    const hNames = ["D*num_layers"].concat(batchNames, ["H_out"]);
    const cNames = ["D*num_layers"].concat(batchNames, ["H_cell"]);
    return {
      input: shape,
      output: output,
      h_0: h.slice(),
      c_0: c && c.slice(),
      h_n: h,
      c_n: c,
      batched: batched,
      names: Object.assign({ input: inputNames, output: outputNames, h_0: hNames, h_n: hNames.slice() },
        c ? { c_0: cNames, c_n: cNames.slice() } : {}),
    };
  }

  window.lstmShapes = lstmShapes;
})();
