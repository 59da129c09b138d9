# Copyright: asp.enterprise_wifi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations


class ModuleDocFragment:
    # The option of every module that handles several CAs in one run.
    DOCUMENTATION = r"""
options:
  concurrency:
    description:
      - With O(certificate_authorities), how many CAs are handled at the same time.
      - Each sends its own requests, so this bounds the requests in flight towards the
        rate-limited API; a throttled request is retried as O(retries) says.
    type: int
    default: 5
"""
