from __future__ import annotations

from asp_emulator.cli import main

raise SystemExit(main())
