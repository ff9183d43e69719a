"""The quirk plug-ins a package carries (see ``hooks``).

In the generator's source tree this index names every plug-in; in a generated
package the generator writes it with only the plug-ins that package's document
uses, and copies only those modules.
"""

from __future__ import annotations

from types import ModuleType

from . import scroll, search, timeline

__all__ = ["MODULES"]

MODULES: tuple[ModuleType, ...] = (scroll, search, timeline)
