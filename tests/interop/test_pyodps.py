"""PyODPS (pinned 0.13.2) against `mcauth serve`.

Starts the built binary (path in $MCAUTH_BIN) on 127.0.0.1 with a free
port and a fresh store, points PyODPS at http://127.0.0.1:PORT/api and runs
what a PyODPS user would: security queries, project.users / project.roles,
and failures that must surface as pyodps exceptions carrying the
emulator's error code.
"""

import json
import os
import re
import signal
import subprocess
import time

import pytest
from odps import ODPS, errors

ACCOUNTS = """
[[accounts]]
name = "acme@example.com"
access_keys = [{ id = "owner-id", secret = "Owner-S3cret-0001" }]

[[accounts.ram_users]]
logon_name = "alice"
display_name = "Alice"
access_keys = [{ id = "alice-id", secret = "Alice-S3cret-0002" }]

[[accounts.ram_users]]
logon_name = "bob"
access_keys = [{ id = "bob-id", secret = "Bob-S3cret-0003" }]

[[accounts.ram_roles]]
name = "etl"
sts = [{ id = "STS.etl-id", secret = "Etl-S3cret-0004", token = "CAIS.Etl-T0ken-0005" }]

[[projects]]
name = "sales"
owner = "ALIYUN$acme@example.com"
"""

OWNER = ("owner-id", "Owner-S3cret-0001")
ALICE = "RAM$acme@example.com:alice"
SECRETS = ["Owner-S3cret-0001", "Alice-S3cret-0002", "Bob-S3cret-0003",
           "Etl-S3cret-0004", "CAIS.Etl-T0ken-0005"]


def mcauth_bin():
    path = os.environ.get("MCAUTH_BIN")
    if not path or not os.access(path, os.X_OK):
        pytest.fail("set MCAUTH_BIN to the built mcauth binary (scripts/test-all does)")
    return path


class Serve:
    """One `mcauth serve` process."""

    def __init__(self, tmp, *args):
        self.log_path = tmp / "requests.log"
        self.log = open(self.log_path, "w")
        cmd = [mcauth_bin(), "serve", "--listen", "127.0.0.1:0",
               "--store", str(tmp / "store.db"), *args]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=self.log, text=True)
        self.banner = []
        deadline = time.monotonic() + 30
        self.endpoint = None
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            self.banner.append(line)
            m = re.search(r"listening on (http://\S+)", line)
            if m:
                self.endpoint = m.group(1)
                break
        if self.endpoint is None:
            self.proc.kill()
            pytest.fail("mcauth serve did not start: %r" % "".join(self.banner))
        # The rest of the banner, then nothing until shutdown.
        for _ in range(6):
            line = self.proc.stdout.readline()
            self.banner.append(line)
            if "PyODPS:" in line:
                break

    def odps(self, access_id, secret, project="sales", **kw):
        return ODPS(access_id, secret, project=project, endpoint=self.endpoint, **kw)

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        code = self.proc.wait(timeout=20)
        self.log.close()
        return code

    def request_log(self):
        return self.log_path.read_text()


@pytest.fixture
def serve(tmp_path):
    (tmp_path / "accounts.toml").write_text(ACCOUNTS)
    s = Serve(tmp_path, "--accounts", str(tmp_path / "accounts.toml"))
    yield s
    assert s.stop() == 0, "mcauth serve did not shut down cleanly on SIGTERM"


def test_security_queries_and_rest_reads(serve):
    o = serve.odps(*OWNER)
    who = o.run_security_query("whoami")
    assert who["DisplayName"] == "ALIYUN$acme@example.com"
    assert who["ID"].startswith("p4_")
    assert o.get_project().current_user.display_name == "ALIYUN$acme@example.com"

    assert o.run_security_query("add accountprovider ram") == {}
    assert "RAM" in o.run_security_query("list accountproviders")
    assert o.run_security_query("add user RAM$alice") == {}
    assert o.run_security_query("list users") == [ALICE]
    assert o.run_security_query("create role analyst") == {}
    assert o.run_security_query("grant analyst to RAM$alice") == {}
    # PyODPS always asks for JSON; output_json=False only skips json.loads.
    assert o.run_security_query("list users", output_json=False) == json.dumps([ALICE]).replace(" ", "")

    project = o.get_project()
    users = [u.display_name for u in project.users]
    assert users == [ALICE]
    assert ALICE in project.users
    roles = [r.name for r in project.roles]
    assert "analyst" in roles and "admin" in roles
    alice_roles = [r.name for r in project.users[ALICE].roles]
    assert alice_roles == ["analyst"]
    assert [u.display_name for u in project.roles["analyst"].users] == [ALICE]

    assert o.run_security_query("revoke analyst from RAM$alice") == {}
    assert o.run_security_query("remove user RAM$alice") == {}
    assert o.run_security_query("list users") == []
    assert [u.display_name for u in o.get_project().users] == []

    # Project meta with the headers PyODPS needs.
    p = o.get_project("sales")
    p.reload()
    assert p.owner == "ALIYUN$acme@example.com"
    assert o.exist_project("sales") is True
    assert o.exist_project("nosuch") is False


def test_a_failing_statement_raises_with_the_emulators_code(serve):
    o = serve.odps(*OWNER)
    o.run_security_query("add accountprovider ram")
    o.run_security_query("add user RAM$alice")
    o.run_security_query("create role analyst")
    o.run_security_query("grant analyst to RAM$alice")

    with pytest.raises(errors.InvalidParameter) as info:
        o.run_security_query("remove user RAM$alice")
    e = info.value
    assert e.code == "InvalidParameter"
    assert e.status_code == 400
    assert e.request_id and len(e.request_id) == 24
    assert "analyst" in str(e)
    assert e.response_headers.get("x-mcauth-code") == "mcauth::engine::user_holds_roles"

    with pytest.raises(errors.NoSuchObject) as info:
        o.run_security_query("drop role nosuch")
    assert info.value.code == "NoSuchObject"

    with pytest.raises(errors.ObjectAlreadyExists) as info:
        o.run_security_query("create role analyst")
    assert info.value.code == "ObjectAlreadyExists"

    with pytest.raises(errors.ParseError) as info:
        o.run_security_query("grant to")
    assert info.value.code == "ODPS-0130161"


def test_a_bad_signature_raises_with_the_emulators_code(serve):
    o = serve.odps("owner-id", "not-the-secret")
    with pytest.raises(errors.SignatureNotMatch) as info:
        o.run_security_query("whoami")
    assert info.value.code == "SignatureNotMatch"
    assert info.value.status_code == 401
    with pytest.raises(errors.ODPSError) as info:
        serve.odps("nobody-id", "x").run_security_query("whoami")
    assert info.value.code == "InvalidParameter"
    assert "ODPS-0410051" in str(info.value)


def test_ram_users_that_are_not_members_are_refused(serve):
    bob = serve.odps("bob-id", "Bob-S3cret-0003")
    with pytest.raises(errors.NoPermission) as info:
        bob.run_security_query("whoami")
    assert info.value.code == "NoPermission"
    assert "ODPS-0420095" in str(info.value)

    o = serve.odps(*OWNER)
    o.run_security_query("add accountprovider ram")
    o.run_security_query("add user RAM$bob")
    assert bob.run_security_query("whoami")["DisplayName"] == "RAM$acme@example.com:bob"
    # A plain member may not add users: the engine's authority rules.
    with pytest.raises(errors.NoPermission) as info:
        bob.run_security_query("add user RAM$alice")
    assert "odps:AddUser" in str(info.value)


def test_sts_and_v4_signatures(serve):
    o = serve.odps(*OWNER)
    o.run_security_query("add accountprovider ram")
    o.run_security_query("add user `RAM$acme@example.com:role/etl`")
    etl = serve.odps("STS.etl-id", "Etl-S3cret-0004", region_name="cn-hangzhou",
                     sts_token="CAIS.Etl-T0ken-0005")
    assert etl.run_security_query("whoami")["DisplayName"] == "RAM$acme@example.com:role/etl"
    # The log names the AccessKey ID but never a secret, token or signature.
    log = serve.request_log()
    assert '"access_id":"STS.etl-id"' in log
    for secret in SECRETS:
        assert secret not in log
    assert "ODPS " not in log


def test_the_default_setup(tmp_path):
    s = Serve(tmp_path)
    try:
        banner = "".join(s.banner)
        assert "dev-access-id" in banner and "dev-access-secret" in banner
        o = s.odps("dev-access-id", "dev-access-secret", project="dev")
        assert o.run_security_query("whoami")["DisplayName"] == "ALIYUN$dev@example.com"
        assert o.exist_project("dev") is True
    finally:
        assert s.stop() == 0


def test_async_mode_is_polled(tmp_path):
    s = Serve(tmp_path, "--async")
    try:
        o = s.odps("dev-access-id", "dev-access-secret", project="dev")
        assert o.execute_security_query("add accountprovider ram") == {}
        inst = o.run_security_query("list accountproviders")
        assert isinstance(inst, type(o.get_project()).AuthQueryInstance)
        inst.wait_for_completion(interval=0.05)
        assert "RAM" in json.loads(inst.query_status().result)
        with pytest.raises(errors.SecurityQueryError):
            o.execute_security_query("drop role nosuch")
    finally:
        assert s.stop() == 0
