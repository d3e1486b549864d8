"""PyODPS (pinned 0.13.2) against `mcauth serve`.

Starts the built binary (path in $MCAUTH_BIN) on 127.0.0.1 with a free
port and a fresh store, points PyODPS at http://127.0.0.1:PORT/api and runs
what a PyODPS user would: security queries, project.users / project.roles,
table metadata (a declared table's owner), and failures that must
surface as pyodps exceptions carrying the emulator's error code.
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
tables = [{ name = "orders", owner = "RAM$alice", columns = [{ name = "id", type = "bigint" }, { name = "ssn", type = "string" }] }]
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

    def __init__(self, tmp, *args, preexec_fn=None):
        self.log_path = tmp / "requests.log"
        self.log = open(self.log_path, "w")
        cmd = [mcauth_bin(), "serve", "--listen", "127.0.0.1:0",
               "--store", str(tmp / "store.db"), *args]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=self.log, text=True,
                                     preexec_fn=preexec_fn)
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
        # Reads stay synchronous: PyODPS's current_user needs whoami's JSON.
        assert o.get_project().current_user.display_name == "ALIYUN$dev@example.com"
        assert "RAM" in o.run_security_query("list accountproviders")
        # Every read is answered at once, not only whoami and listings.
        instance = type(o.get_project()).AuthQueryInstance
        for read in ["show package items", "list row access policy on t1",
                     "describe data masking policy m1", "setproject"]:
            try:
                answer = o.run_security_query(read)
            except errors.ODPSError:
                continue  # refused at once is synchronous too
            assert not isinstance(answer, instance), read
        # Changes answer with an instance to poll.
        inst = o.run_security_query("create role analyst")
        assert isinstance(inst, type(o.get_project()).AuthQueryInstance)
        inst.wait_for_completion(interval=0.05)
        assert json.loads(inst.query_status().result) == {}
        assert o.execute_security_query("create role auditor") == {}
        with pytest.raises(errors.SecurityQueryError):
            o.execute_security_query("drop role nosuch")
    finally:
        assert s.stop() == 0


# ------------------------- PyODPS's own security tests, and the REST surface
# What PyODPS's own security tests (odps/models/tests/test_security.py) do
# against a project, and the rest of the REST surface its models use.

PROJECT_POLICY = {
    "Statement": [
        {"Action": ["odps:*"], "Effect": "Allow", "Principal": ["*"],
         "Resource": ["acs:odps:*:projects/sales"]},
        {"Action": ["odps:*"], "Effect": "Allow", "Principal": ["*"],
         "Resource": ["acs:odps:*:projects/sales/tables/*"]},
    ],
    "Version": "1",
}

ROLE_POLICY = {
    "Statement": [
        {"Action": ["odps:Read", "odps:List"], "Effect": "Allow",
         "Resource": ["acs:odps:*:projects/sales"]},
        {"Action": ["odps:Describe", "odps:Select"], "Effect": "Allow",
         "Resource": ["acs:odps:*:projects/sales/tables/*"]},
        {"Action": ["odps:Write", "odps:CreateTable"], "Effect": "Deny",
         "Resource": ["acs:odps:*:projects/sales"]},
    ],
    "Version": "1",
}


def test_security_options_are_read_and_set(serve):
    o = serve.odps(*OWNER)
    options = o.get_security_options()
    # Every option PyODPS models has a value (not None).
    assert options.check_permission_using_acl is True
    assert options.check_permission_using_policy is True
    assert options.label_security is False
    assert options.object_creator_has_access_permission is True
    assert options.object_creator_has_grant_permission is True
    assert options.project_protection.protected is False
    assert options.support_acl is True and options.support_acl_v2 is False
    assert options.check_permission_using_acl_v2 is False

    # As PyODPS's test_project_methods does it.
    options.label_security = True
    options.update()
    options.reload()
    assert options.label_security
    options.label_security = False
    options.update()
    options.reload()
    assert not options.label_security

    o.set_security_option("ObjectCreatorHasGrantPermission", False)
    assert o.get_security_option("ObjectCreatorHasGrantPermission") is False
    # The engine sees the same flags as the document.
    shown = o.run_security_query("show securityconfiguration")
    assert shown["object_creator_has_grant_permission"] is False

    # ProjectProtection with an exception policy, as odpscmd's
    # `set ProjectProtection=true with exception FILE` puts it.
    exception = json.dumps({
        "Version": "1",
        "Statement": [{"Effect": "Allow", "Principal": ALICE,
                       "Action": ["odps:Select"],
                       "Resource": "acs:odps:*:projects/sales/tables/t"}],
    })
    options = o.get_security_options()
    options.project_protection.protected = True
    options.project_protection.exception = exception
    options.update()
    options = o.get_security_options()
    options.reload()
    assert options.project_protection.protected is True
    assert json.loads(options.project_protection.exception) == json.loads(exception)
    # A PyODPS update does not erase what its model lacks: the document
    # still carries the fields only the Java SDK reads.
    raw = o.rest.get(o.endpoint + "/projects/sales", params={"security_configuration": ""})
    assert b"<EnableExternalResourceAccessControl" in raw.content
    assert b"<EnableDownloadPrivilege>false</EnableDownloadPrivilege>" in raw.content
    # EnableDownloadPrivilege is download control, the project property.
    o.run_security_query("setproject odps.security.enabledownloadprivilege=true")
    raw = o.rest.get(o.endpoint + "/projects/sales", params={"security_configuration": ""})
    assert b"<EnableDownloadPrivilege>true</EnableDownloadPrivilege>" in raw.content

    # A plain member may not change it.
    o.run_security_query("add user RAM$alice")
    alice = serve.odps("alice-id", "Alice-S3cret-0002")
    with pytest.raises(errors.NoPermission):
        alice.set_security_option("LabelSecurity", True)


def test_project_policy_is_set_and_cleared(serve):
    o = serve.odps(*OWNER)
    project = o.get_project()
    assert project.policy is None
    project.policy = PROJECT_POLICY
    project.reload()
    assert json.dumps(project.policy) == json.dumps(PROJECT_POLICY)
    # `project.policy = None` puts an empty body: the policy goes.
    project.policy = None
    project.reload()
    assert project.policy is None


def test_roles_as_pyodps_tests_them(serve):
    o = serve.odps(*OWNER)
    project = o.get_project()
    role = project.roles.create("test_role_name")
    assert "test_role_name" in [r.name for r in project.roles]
    assert "test_role_name" in project.roles
    assert role in project.roles
    assert "non_exist_role_name" not in project.roles
    # A role without a policy reads as an empty one.
    assert role.policy == {"Statement": [], "Version": "1"}
    role.policy = ROLE_POLICY
    role.reload()
    assert json.dumps(role.policy) == json.dumps(ROLE_POLICY)
    # roles.iterate(name=…) filters by name.
    project.roles.create("test_other")
    assert [r.name for r in project.roles.iterate(name="test_role")] == ["test_role_name"]
    project.roles.delete("test_role_name")
    assert "test_role_name" not in project.roles


def test_users_keep_their_comments(serve):
    o = serve.odps(*OWNER)
    o.run_security_query("add user RAM$alice comment 'data team'")
    project = o.get_project()
    assert [(u.display_name, u.comment) for u in project.users] == [(ALICE, "data team")]
    assert project.users[ALICE].comment == "data team"
    # As PyODPS's test_user_role does it.
    role = project.roles.create("test_role_name")
    user = project.users[ALICE]
    role.grant_to(user)
    assert user.display_name in [u.display_name for u in role.users]
    assert role.name in [r.name for r in user.roles]
    role.revoke_from(user)
    assert role.name not in [r.name for r in user.roles]
    project.users.delete(ALICE)
    assert ALICE not in project.users
    # A control character in a comment is refused, not stored. (PyODPS
    # cannot even serialise most C0 ones; DEL is legal XML, not legal here.)
    with pytest.raises(errors.ParseError) as info:
        o.run_security_query("add user RAM$bob comment 'del\x7f'")
    assert info.value.response_headers.get("x-mcauth-code") == "mcauth::serve::control_character"
    assert "RAM$acme@example.com:bob" not in project.users


def test_install_package_is_asynchronous_and_fails_as_maxcompute_does(serve):
    o = serve.odps(*OWNER)
    project = o.get_project()
    # As PyODPS's test_security_query does it.
    assert "RAM" in o.run_security_query("LIST ACCOUNTPROVIDERS")
    assert "RAM" in o.execute_security_query("LIST ACCOUNTPROVIDERS")
    inst = o.run_security_query("INSTALL PACKAGE %s.non_exist_package" % project.name)
    assert isinstance(inst, project.AuthQueryInstance)
    with pytest.raises(errors.SecurityQueryError) as info:
        inst.wait_for_success(interval=0.05)
    assert "non_exist_package does not exist" in str(info.value)
    assert inst.is_terminated
    assert not inst.is_successful
    with pytest.raises(errors.SecurityQueryError):
        o.execute_security_query("INSTALL PACKAGE %s.non_exist_package" % project.name)
    # A package of a project the emulator does not serve is installed
    # (MaxCompute would judge it; mcauth cannot), and listed.
    assert o.execute_security_query("install package elsewhere.datashare") == {}
    assert "elsewhere.datashare" in json.dumps(o.run_security_query("show packages"))


def test_projects_and_check_permission(serve):
    o = serve.odps(*OWNER)
    assert [p.name for p in o.list_projects()] == ["sales"]
    listed = next(iter(o.list_projects()))
    assert listed.owner == "ALIYUN$acme@example.com"
    o.run_security_query("add user RAM$alice")
    o.run_security_query("create role analyst")
    o.run_security_query("grant analyst to RAM$alice")
    o.run_security_query("grant Select on table sales_detail to role analyst")
    alice = serve.odps("alice-id", "Alice-S3cret-0002")
    assert [p.name for p in alice.list_projects()] == ["sales"]

    # The Java SDK's checkPermission, through PyODPS's signed REST client.
    def check(odps, **params):
        resp = odps.rest.get(odps.endpoint + "/projects/sales/auth/", params=params)
        return resp.content.decode()

    allowed = check(alice, type="Table", name="sales_detail", grantee="Select")
    assert "<Result>Allow</Result>" in allowed
    denied = check(alice, type="Table", name="sales_detail", grantee="Drop")
    assert "<Result>Deny</Result>" in denied
    resp = alice.rest.post(
        alice.endpoint + "/projects/sales/auth/",
        json.dumps([{"Action": "Select", "Resource": "/projects/sales/tables/other"}]),
        headers={"Content-Type": "application/json"})
    assert "<Result>Deny</Result>" in resp.content.decode()
    with pytest.raises(errors.InvalidParameter):
        check(alice, type="Table", name="t", grantee="Fly")


def test_a_v4_scope_of_another_region_is_refused(serve):
    # PyODPS falls back to V2 on ODPS-0410051; this refusal is not that.
    o = serve.odps(*OWNER, region_name="cn-local")
    with pytest.raises(errors.InvalidParameter) as info:
        o.run_security_query("whoami")
    assert "ODPS-0410011" in str(info.value)
    assert "cn-local" in str(info.value)


def test_a_declared_tables_owner_is_read_by_get_table(serve):
    """The emulator keeps no data, but a table declared in accounts.toml
    answers GET /projects/{p}/tables/{t} as PyODPS reads it: the owner
    (its creator, which `mcauth why` reads too), times and columns."""
    o = serve.odps(*OWNER)
    t = o.get_table("orders")
    assert t.owner == ALICE
    assert t.name == "orders"
    assert t.creation_time is not None
    assert [(c.name, str(c.type).lower()) for c in t.table_schema.columns] == [
        ("id", "bigint"), ("ssn", "string")]
    assert o.exist_table("orders") is True
    assert o.exist_table("nothing") is False
    with pytest.raises(errors.NoSuchObject) as info:
        o.get_table("nothing").reload()
    assert info.value.code == "NoSuchObject"
    # Only members read a project's tables.
    bob = serve.odps("bob-id", "Bob-S3cret-0003")
    with pytest.raises(errors.NoPermission):
        bob.get_table("orders").reload()


def test_a_low_open_file_limit_lowers_the_cap_and_past_it_comes_503(tmp_path):
    """With the process's open-file limit below what the connection cap
    needs, the operating system would refuse connections first (clients
    left waiting, no answer): the emulator lowers its cap to what fits,
    says so, and answers 503 past it."""
    resource = pytest.importorskip("resource")
    import socket

    def low_limit():
        resource.setrlimit(resource.RLIMIT_NOFILE, (160, 160))

    s = Serve(tmp_path, preexec_fn=low_limit)
    held = []
    try:
        banner = "".join(s.banner)
        m = re.search(r"connections: at most (\d+) at once \(the open-file limit is 160", banner)
        assert m, banner
        cap = int(m.group(1))
        assert 1 <= cap < 160
        host, port = re.search(r"http://([^:/]+):(\d+)", s.endpoint).groups()
        for _ in range(cap):
            c = socket.create_connection((host, int(port)), timeout=10)
            c.sendall(b"GET /api/projects/dev/users HTTP/1.1\r\nHost: x\r\n")
            held.append(c)
        answer = b""
        for _ in range(50):
            extra = socket.create_connection((host, int(port)), timeout=10)
            extra.sendall(b"GET /api/projects/dev/users HTTP/1.1\r\nHost: x\r\n\r\n")
            answer = extra.recv(4096)
            extra.close()
            if answer.startswith(b"HTTP/1.1 503"):
                break
            time.sleep(0.05)
        assert answer.startswith(b"HTTP/1.1 503"), answer
        assert b"mcauth::serve::too_many_connections" in answer
        # Room again once the held connections close.
        for c in held:
            c.close()
        held = []
        o = s.odps("dev-access-id", "dev-access-secret", project="dev")
        assert o.run_security_query("whoami")["DisplayName"] == "ALIYUN$dev@example.com"
    finally:
        for c in held:
            c.close()
        assert s.stop() == 0
