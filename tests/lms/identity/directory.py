"""A real OpenLDAP server for the LDAP sign-in tests (python-ldap's ``slapdtest``): the bank's
directory stand-in, on a free port, with a few staff entries.

slapd comes from Debian's ``slapd`` and ``ldap-utils`` packages and python-ldap from
requirements-ldap.txt; .ci/run installs them. Without them the tests are skipped on a developer's
machine and fail in CI (``CI`` set), so a missing install cannot pass unnoticed."""

import importlib
import importlib.util
import os
import shutil
import tempfile

import pytest

SUFFIX = "dc=bank,dc=example"
STAFF_BASE = f"ou=Staff,{SUFFIX}"
#: uid → (employeeNumber or None, password, common name)
PEOPLE = {
    "wangfang": ("000123", "ad-Pass-123", "Wang Fang (AD)"),
    "stranger": ("000999", "ad-Pass-999", "Not On The Roster"),
    "leaver": ("000200", "ad-Pass-200", "Has Left"),
    "nonumber": (None, "ad-Pass-000", "No Number"),
}


def require(what, present, how):
    if present:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{what} is required in CI ({how}); .ci/run installs it.")
    pytest.skip(f"{what} is not installed ({how})")


def entries():
    yield f"dn: {SUFFIX}\nobjectClass: dcObject\nobjectClass: organization\ndc: bank\no: Bank\n"
    yield f"dn: {STAFF_BASE}\nobjectClass: organizationalUnit\nou: Staff\n"
    for uid, (number, password, name) in PEOPLE.items():
        lines = [
            f"dn: uid={uid},{STAFF_BASE}",
            "objectClass: inetOrgPerson",
            f"uid: {uid}",
            f"cn: {name}",
            f"sn: {name.split()[-1]}",
            f"userPassword: {password}",
        ]
        if number:
            lines.append(f"employeeNumber: {number}")
        yield "\n".join(lines) + "\n"


def start_directory():
    """A started slapd with :data:`PEOPLE` under :data:`STAFF_BASE`."""
    require("python-ldap", _importable("slapdtest"), "pip install -r requirements-ldap.txt")
    require("slapd", os.path.exists("/usr/sbin/slapd"), "apt-get install slapd ldap-utils")
    require("ldapadd", shutil.which("ldapadd") is not None, "apt-get install ldap-utils")
    slapdtest = importlib.import_module("slapdtest")

    class Directory(slapdtest.SlapdObject):
        suffix = SUFFIX
        root_cn = "lms-reader"
        root_pw = "reader-Pass-1"  # noqa: S105
        openldap_schema_files = ("core.ldif", "cosine.ldif", "inetorgperson.ldif")
        TMPDIR = tempfile.gettempdir()
        slapd_loglevel = "0"

    server = Directory()
    server.start()
    server.ldapadd("\n".join(entries()))
    return server


def _importable(name):
    return importlib.util.find_spec(name) is not None
