from lessonlib.cli import main

raise SystemExit(main())
