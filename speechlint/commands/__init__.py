"""One module per subcommand: `add_parser(subparsers, name)` and a `run(args)` it installs."""
