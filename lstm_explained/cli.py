"""The ``lstm-explained`` command: ``shapes`` and ``diagnose`` for a recurrent module described by its options.

``--module`` picks the member of the family (``LSTM`` by default, ``GRU``, ``RNN``, ``LSTMCell``,
``GRUCell``, ``RNNCell``); ``--nonlinearity relu`` is an option of ``RNN`` and ``RNNCell``.

Exit status: 0 when all is well, 1 when ``diagnose`` reports an error or a warning, 2 on bad
input (one line on stderr, never a traceback). Notes (a call that shapes alone cannot judge,
given both ways it can be read) leave the status at 0: ``--batch-size`` settles them.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import re
import shlex
import sys
from typing import NoReturn, Optional, Sequence, Union

from . import __version__

# torch is imported once the arguments parse (in _execute), so --help, --version and bad input answer at once.

PROG = "lstm-explained"
MODULES = ("LSTM", "GRU", "RNN", "LSTMCell", "GRUCell", "RNNCell")  # as lstm_explained.config.MODULES, without importing torch
LARGEST = 2**63 - 1  # torch.Size holds int64
SHAPE = re.compile(r"^\s*[(\[]?\s*(\d+\s*(,\s*\d+\s*)*,?)?\s*[)\]]?\s*$")
TORCH_SIZE = re.compile(r"^\s*(torch\.)?Size\(\s*(?P<inner>.*?)\s*\)\s*$")  # torch.Size([7, 1, 3]), as PyTorch prints one
EXAMPLES = {
    "shapes": "lstm-explained shapes --input-size 3 --hidden-size 5 --batch-first --input-shape 7,1,3",
    "diagnose": "lstm-explained diagnose --input-size 3 --hidden-size 5 --batch-first --input-shape 7,1,3 --batch-size 1",
}
EPILOG = (
    "Exit status: 0 when all is well, 1 when diagnose reports an error or a warning, 2 on bad input. "
    "A note (a call shapes alone cannot judge, with both readings) leaves it at 0: --batch-size settles it."
)


class UsageError(Exception):
    """Raised for bad input to the command ``prog``; its message goes on the one line printed on stderr."""

    def __init__(self, prog: str, message: str):
        super().__init__(message)
        self.prog = prog


class Parser(argparse.ArgumentParser):
    """An ArgumentParser that reports bad input as one line, without the usage block."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(self.prog, message)


def count(minimum: int):
    """Returns an argparse type: an int of at least ``minimum``."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected an integer, got {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"expected an integer of at least {minimum}, got {text!r}")
        if value > LARGEST:
            raise argparse.ArgumentTypeError(f"{text!r} is too large (at most 2**63 - 1)")
        return value

    parse.__name__ = "integer"
    return parse


def shape(text: str) -> tuple[int, ...]:
    """Returns a shape written as people paste one: ``7,1,3``, ``(7, 1, 3)``, ``[7, 1, 3]``, ``torch.Size([7, 1, 3])``.

    An argparse type: bad text raises ArgumentTypeError, which the command reports in one line.
    """
    size = TORCH_SIZE.match(text)
    if size:
        text = size["inner"]
    if not SHAPE.match(text):
        raise argparse.ArgumentTypeError(f"expected sizes such as 7,1,3 or torch.Size([7, 1, 3]), got {text!r}")
    dims = tuple(int(d) for d in re.findall(r"\d+", text))
    if not dims:
        raise argparse.ArgumentTypeError(f"a shape needs at least one size, such as 7,1,3, got {text!r}")
    if any(d > LARGEST for d in dims):
        raise argparse.ArgumentTypeError(f"a size in {text!r} is too large")
    return dims


def build_parser() -> Parser:
    """Returns the parser of the command and its two subcommands."""
    common = Parser(add_help=False, allow_abbrev=False)
    module = common.add_argument_group("the module")
    module.add_argument(
        "--module", choices=MODULES, default="LSTM", metavar="NAME",
        help=f"which module: {', '.join(MODULES)} (default: LSTM)",
    )
    module.add_argument("--nonlinearity", choices=("tanh", "relu"), default="tanh", help="RNN and RNNCell only (default: tanh)")
    module.add_argument("--input-size", type=count(1), required=True, metavar="I", help="input_size, H_in")
    module.add_argument("--hidden-size", type=count(1), required=True, metavar="H", help="hidden_size")
    module.add_argument("--num-layers", type=count(1), default=1, metavar="K", help="num_layers (default: 1; not for a cell)")
    module.add_argument("--bidirectional", action="store_true", help="bidirectional=True (not for a cell)")
    module.add_argument("--proj-size", type=count(0), default=0, metavar="P", help="LSTM only: proj_size, smaller than H (default: 0)")
    module.add_argument("--batch-first", action="store_true", help="batch_first=True (not for a cell)")
    module.add_argument("--no-bias", action="store_true", help="bias=False")
    call = common.add_argument_group("the call")
    call.add_argument("--input-shape", type=shape, required=True, metavar="SHAPE", help="the input's shape, e.g. 7,1,3")
    common.add_argument("--json", action="store_true", help="print one JSON object instead of text")

    description = (
        "The shapes of a call of nn.LSTM, nn.GRU, nn.RNN or a cell, and what is wrong with it, from its options and shapes alone."
    )
    parser = Parser(prog=PROG, description=description, epilog=EPILOG, allow_abbrev=False)
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    commands.required = True
    commands.add_parser(
        "shapes", parents=[common], allow_abbrev=False, epilog=f"Example: {EXAMPLES['shapes']}. {EPILOG}",
        help="the shapes of input, h_0, c_0, output, h_n and c_n, and what each dimension means",
        description="Prints the shapes the module takes and returns for this input, without running it.",
    )
    check = commands.add_parser(
        "diagnose", parents=[common], allow_abbrev=False, epilog=f"Example: {EXAMPLES['diagnose']}. {EPILOG}",
        help="what is wrong with a call of these shapes, and how to fix it",
        description=(
            "Prints what is wrong with the call lstm(x, (h_0, c_0)) for these shapes (gru(x, h_0) for a module "
            "without a cell state), in PyTorch's order of checks."
        ),
    )
    check.add_argument("--hx-shape", type=shape, metavar="SHAPE", help="the shape of h_0 (for an LSTM alone: h given without c)")
    check.add_argument("--cx-shape", type=shape, metavar="SHAPE", help="the shape of c_0, LSTM and LSTMCell only; needs --hx-shape")
    check.add_argument(
        "--batch-size", type=count(0), metavar="N",
        help="the number of sequences you mean to pass: settles whether a dimension is the batch or time",
    )
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Returns the exit status of ``lstm-explained ARGV``, after printing its output."""
    parser = build_parser()
    try:
        try:
            args, extras = parser.parse_known_args(argv)
        except SystemExit as done:  # --help and --version print, then exit 0
            return int(done.code or 0)
        if extras:  # said by the subcommand, whose --help lists what it takes
            raise UsageError(f"{PROG} {args.command}", f"unrecognized arguments: {' '.join(extras)}")
        try:
            status = _execute(args)
            sys.stdout.flush()
        except BrokenPipeError:  # piped into head: the reader has gone, and that is no error of ours
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second failure when Python flushes at exit
            return 0
        return status
    except UsageError as err:
        message = " ".join(str(err).split())  # one line, whatever the message holds
        print(f"{err.prog}: error: {message} (see {err.prog} --help)", file=sys.stderr)
        return 2


def _execute(args: argparse.Namespace) -> int:
    """Returns the exit status of a parsed command; raises UsageError on bad input."""
    from . import cli_output
    from .config import RecurrentConfig
    from .diagnosis import diagnose
    from .shapes import expected_shapes

    try:
        cfg = RecurrentConfig(
            input_size=args.input_size, hidden_size=args.hidden_size, num_layers=args.num_layers,
            bidirectional=args.bidirectional, proj_size=args.proj_size, batch_first=args.batch_first, bias=not args.no_bias,
            module=args.module, nonlinearity=args.nonlinearity,
        )
    except ValueError as err:
        raise UsageError(f"{PROG} {args.command}", _as_options(str(err))) from None
    if args.command == "shapes":
        try:
            shapes = expected_shapes(cfg, args.input_shape)
        except ValueError as err:
            raise UsageError(f"{PROG} shapes", f"--input-shape {_text(args.input_shape)}: {err}") from None
        print(cli_output.shapes_json(cfg, shapes) if args.json else cli_output.shapes_table(cfg, shapes))
        return 0
    if args.cx_shape is not None and args.hx_shape is None:
        raise UsageError(f"{PROG} diagnose", "--cx-shape needs --hx-shape (c_0 goes with h_0)")
    if args.cx_shape is not None and not cfg.has_cell_state:
        raise UsageError(f"{PROG} diagnose", f"--cx-shape: nn.{cfg.module} has no cell state c, so its state is --hx-shape alone")
    hx = args.hx_shape if args.cx_shape is None else (args.hx_shape, args.cx_shape)
    findings = diagnose(cfg, args.input_shape, hx, batch_size=args.batch_size)
    if args.json:
        print(cli_output.findings_json(cfg, findings))
    else:
        name = "cell" if cfg.is_cell else cfg.kind.lower()
        call = cli_output.call_line(args.input_shape, args.hx_shape, args.cx_shape, args.batch_size, name)
        print(cli_output.findings_text(cfg, call, findings, args.input_shape, hx))
    return 1 if any(f.severity != "note" for f in findings) else 0


def _as_options(message: str) -> str:
    """Returns a config's error in the command's words: ``nonlinearity`` becomes ``--nonlinearity``, and so on."""
    for name in ("nonlinearity", "num_layers", "batch_first", "bidirectional"):
        message = re.sub(rf"(?<![-\w]){name}(?!\w)", "--" + name.replace("_", "-"), message, count=1)
    return message


def _text(dims: Sequence[int]) -> str:
    """Returns a shape as the command line writes it, e.g. ``7,1,3``."""
    return ",".join(str(d) for d in dims)


def run(command: Union[str, Sequence[str]]) -> None:
    """Prints what the command prints, stdout and stderr together, then its exit status when it is not 0.

    For checked examples: ``run("lstm-explained shapes --input-size 3 ...")``. A
    string is split like a shell line; a leading ``lstm-explained`` is dropped.

    Examples:
        >>> from lstm_explained.cli import run
        >>> run("lstm-explained shapes --input-size 3 --hidden-size 5 --input-shape 7;1")
        lstm-explained shapes: error: argument --input-shape: expected sizes such as 7,1,3 or
        torch.Size([7, 1, 3]), got '7;1' (see lstm-explained shapes --help)
        [exit status 2]
    """
    argv = shlex.split(command) if isinstance(command, str) else list(command)
    if argv[:1] == [PROG]:
        argv = argv[1:]
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
        status = main(argv)
    print(printed.getvalue().rstrip("\n"))
    if status:
        print(f"[exit status {status}]")
