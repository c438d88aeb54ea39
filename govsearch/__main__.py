from govsearch.cli import main

raise SystemExit(main())
