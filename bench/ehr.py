"""The EHR the benches stand in for: registered with the app through CLEDSS_CDS_CLIENTS, with its key in
the bench's temporary directory, signing a fresh token for every CDS Hooks call as a real EHR does.

    ehr = BenchEhr(tmp)              # makes the key pair on first use
    env.update(ehr.environment())    # CLEDSS_PUBLIC_URL and CLEDSS_CDS_CLIENTS for the app
    ehr.authorization("/cds-services/...")   # "Bearer <JWT>", accepted once

Picklable (it holds only the directory), so the load generator's processes each load the key once.
"""

import json
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cledss.interop.cds_hooks import development  # noqa: E402  (plain PyJWT and cryptography, no Django)

ISSUER = "https://ehr.bench.test/"
# The audience the tokens name; production requires https, and cledss never takes it from the Host header.
PUBLIC_URL = "https://cledss.bench.test"
EXAMPLES = Path(__file__).resolve().parent.parent / "cledss" / "interop" / "cds_hooks" / "examples"


@dataclass(frozen=True)
class BenchEhr:
    directory: str

    def environment(self) -> dict[str, str]:
        _key(self.directory)  # the public key set must exist before the app reads its configuration
        client = {"issuer": ISSUER, "jwks_file": str(Path(self.directory) / "jwks.json")}
        return {"CLEDSS_PUBLIC_URL": PUBLIC_URL, "CLEDSS_CDS_CLIENTS": json.dumps([client])}

    def token(self, path: str) -> str:
        return development.mint(_key(self.directory), PUBLIC_URL + path, issuer=ISSUER)

    def authorization(self, path: str) -> str:
        return f"Bearer {self.token(path)}"


@cache
def _key(directory: str):
    return development.private_key(Path(directory))


def example(name: str) -> dict:
    """One of the request bodies in cledss/interop/cds_hooks/examples/."""
    return json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))
