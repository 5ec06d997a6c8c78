"""The project's own import-linter contract types (pyproject.toml, [tool.importlinter])."""

from __future__ import annotations

import sys

from grimp import ImportGraph
from importlinter import Contract, ContractCheck, fields, output


class StandardLibraryOnlyContract(Contract):
    """Source modules import nothing but the standard library and the packages named in `allowed`: an
    allow-list, so a new third-party import fails without anyone having to think of listing it."""

    type_name = "standard_library_only"

    source_modules = fields.ListField(subfield=fields.ModuleField())
    allowed = fields.ListField(subfield=fields.StringField(), required=False, default=[])

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        allowed = set(sys.stdlib_module_names) | {"__future__"} | set(self.allowed)
        allowed |= {source.name.split(".")[0] for source in self.source_modules}
        offences = []
        for source in self.source_modules:
            for importer in sorted(graph.find_descendants(source.name) | {source.name}):
                for imported in sorted(graph.find_modules_directly_imported_by(importer)):
                    if imported.split(".")[0] not in allowed:
                        offences.append({"importer": importer, "imported": imported})
        return ContractCheck(kept=not offences, metadata={"offences": offences})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for offence in check.metadata["offences"]:
            output.print_error(
                f"{offence['importer']} imports {offence['imported']}, outside the standard library"
            )


class PrivateModulesContract(Contract):
    """A module named with a leading underscore (say `_secret.py`) is its package's own: only modules of
    that package import it. Whatever another package needs is given a public name first."""

    type_name = "private_modules"

    containers = fields.ListField(subfield=fields.ModuleField())

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        offences = []
        for container in self.containers:
            for private in sorted(graph.find_descendants(container.name)):
                name = private.rsplit(".", 1)[-1]
                if not name.startswith("_") or name.startswith("__"):
                    continue
                package = private.rsplit(".", 1)[0]
                for importer in sorted(graph.find_modules_that_directly_import(private)):
                    if importer != package and not importer.startswith(package + "."):
                        offences.append({"importer": importer, "imported": private})
        return ContractCheck(kept=not offences, metadata={"offences": offences})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for offence in check.metadata["offences"]:
            output.print_error(f"{offence['importer']} imports {offence['imported']}, private to its package")
