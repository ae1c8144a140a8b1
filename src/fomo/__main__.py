from fomo.cli import main

raise SystemExit(main())
