"""Write an intersphinx inventory of the few docs.ansible.com labels our generated pages use.

antsibull-docs links plugin pages to Ansible's own documentation (common return
values, action plugins, configuration settings). Sphinx resolves those links
through intersphinx, which would fetch Ansible's inventory over the network;
this file stands in for it, so the offline build still links to the real pages.

Usage: python hack/ansible-docs-inventory.py DEST_FILE
"""

from __future__ import annotations

import sys
import zlib
from pathlib import Path

# label -> (page and anchor under the docs root, title). Add a label here when a
# newer antsibull-docs refers to one that is not listed; Sphinx names it.
ANSIBLE_LABELS = {
    "action_plugins": ("plugins/action.html#action-plugins", "Action plugins"),
    "ansible_configuration_settings": (
        "reference_appendices/config.html#ansible-configuration-settings",
        "Ansible Configuration Settings",
    ),
    "common_return_values": (
        "reference_appendices/common_return_values.html#common-return-values",
        "Return Values",
    ),
}


def inventory_bytes() -> bytes:
    header = (
        "# Sphinx inventory version 2\n"
        "# Project: Ansible\n"
        "# Version: devel\n"
        "# The remainder of this file is compressed using zlib.\n"
    )
    entries = "".join(
        f"{label} std:label -1 {uri} {title}\n"
        for label, (uri, title) in sorted(ANSIBLE_LABELS.items())
    )
    return header.encode() + zlib.compress(entries.encode())


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    Path(sys.argv[1]).write_bytes(inventory_bytes())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
