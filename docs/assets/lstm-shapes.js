/* lstmShapes(config): the shapes nn.LSTM returns, or the error PyTorch raises, without running anything.
 *
 * A pure function, the core of the shape calculator (calculator.js draws the page around it).
 * It follows torch.nn.LSTM step by step: the constructor's checks, then creating the input
 * tensor, then forward()'s checks, each with PyTorch's own wording. tests/browser/test_calculator.py
 * compares it with real nn.LSTM calls on hundreds of random configurations.
 *
 * config: {input_size, hidden_size, num_layers, bidirectional, proj_size, batch_first, input_shape}
 *   (num_layers defaults to 1, proj_size to 0, the booleans to false; input_shape is a list of ints).
 * Returns {output, h_n, c_n, h_0, c_0, input, names, batched} (shapes as lists of ints;
 *   names maps each of them to the meaning of each dimension), or {error, type} where
 *   type is the Python exception PyTorch raises: "ValueError", "RuntimeError" or "TypeError".
 */
(function () {
  "use strict";

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

  /* The checks of torch.nn.RNNBase.__init__, in its order; null when the module can be built. */
  function constructorError(cfg) {
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

  /* The checks of nn.LSTM.forward and the kernel it calls, in their order; null when the call runs. */
  function forwardError(cfg, shape) {
    if (shape.length !== 2 && shape.length !== 3) {
      return fail("ValueError", "LSTM: Expected input to be 2D or 3D, got " + shape.length + "D instead");
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
      { num_layers: 1, proj_size: 0, bidirectional: false, batch_first: false },
      config
    );
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
    const c = [D * cfg.num_layers].concat(batchDims, [cfg.hidden_size]);
    const hNames = ["D*num_layers"].concat(batchNames, ["H_out"]);
    const cNames = ["D*num_layers"].concat(batchNames, ["H_cell"]);
    return {
      input: shape,
      output: output,
      h_0: h.slice(),
      c_0: c.slice(),
      h_n: h,
      c_n: c,
      batched: batched,
      names: { input: inputNames, output: outputNames, h_0: hNames, c_0: cNames, h_n: hNames.slice(), c_n: cNames.slice() },
    };
  }

  window.lstmShapes = lstmShapes;
})();
