"""A fake 企业微信 (WeCom) server for the tests: ``http.server`` in a thread on a free port,
answering like WeCom's API (``errcode``/``errmsg`` JSON) and recording every call.

- ``GET /cgi-bin/gettoken?corpid=&corpsecret=`` → an ``access_token`` (``expires_in`` 7200), or
  40001 for a wrong secret;
- ``GET /cgi-bin/auth/getuserinfo?access_token=&code=`` → ``userid`` for a code made with
  :meth:`FakeWeCom.code_for` (each code works once), ``openid`` only for an outsider's code,
  40029 "invalid code" otherwise, 42001 for an expired token;
- ``GET /cgi-bin/user/get?access_token=&userid=`` → the member record, or 60111;
- ``POST /cgi-bin/message/send?access_token=`` → ok, with ``invaliduser`` naming recipients in
  ``unreachable``, or ``send_errcode`` when set;
- ``GET /connect/oauth2/authorize?…`` → straight back to ``redirect_uri`` with a fresh code for
  ``signed_in_userid`` and the ``state`` (what WeCom's in-app browser does for a member).
"""

import json
import secrets
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

CORP_ID = "ww0123456789abcdef"
AGENT_ID = "1000002"
SECRET = "fake-wecom-secret"


class FakeWeCom:
    def __init__(self):
        self.calls = []  # (method, path, query dict, JSON body or None)
        self.codes = {}  # code → userid ("" for an outsider)
        self.members = {}  # userid → member record
        self.tokens = set()
        self.unreachable = set()
        self.send_errcode = 0
        self.signed_in_userid = ""
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    # --- What the tests arrange and read -----------------------------------------------------

    def code_for(self, userid):
        code = secrets.token_hex(16)
        self.codes[code] = userid
        return code

    def add_member(self, userid, **fields):
        self.members[userid] = {"userid": userid, "name": fields.pop("name", userid), **fields}

    def expire_tokens(self):
        self.tokens.clear()

    def called(self, path):
        return [call for call in self.calls if call[1] == path]

    @property
    def messages(self):
        return [call[3] for call in self.called("/cgi-bin/message/send")]

    # --- The API -------------------------------------------------------------------------------

    def answer(self, method, path, query, body):
        with self.lock:
            self.calls.append((method, path, query, body))
        if path == "/cgi-bin/gettoken":
            if query.get("corpid") != CORP_ID or query.get("corpsecret") != SECRET:
                return {"errcode": 40001, "errmsg": "invalid credential"}
            token = secrets.token_hex(16)
            self.tokens.add(token)
            return {"errcode": 0, "errmsg": "ok", "access_token": token, "expires_in": 7200}
        if query.get("access_token") not in self.tokens:
            return {"errcode": 42001, "errmsg": "access_token expired"}
        if path == "/cgi-bin/auth/getuserinfo":
            if query.get("code") not in self.codes:
                return {"errcode": 40029, "errmsg": "invalid code"}
            userid = self.codes.pop(query["code"])
            if not userid:
                return {"errcode": 0, "errmsg": "ok", "openid": "oOUTSIDER", "external_userid": ""}
            return {"errcode": 0, "errmsg": "ok", "userid": userid, "user_ticket": "t"}
        if path == "/cgi-bin/user/get":
            member = self.members.get(query.get("userid"))
            if member is None:
                return {"errcode": 60111, "errmsg": "invalid string value `userid`"}
            return {"errcode": 0, "errmsg": "ok", **member}
        if path == "/cgi-bin/message/send" and method == "POST":
            if self.send_errcode:
                return {"errcode": self.send_errcode, "errmsg": "api forbidden"}
            invalid = "|".join(
                u for u in (body or {}).get("touser", "").split("|") if u in self.unreachable
            )
            return {"errcode": 0, "errmsg": "ok", "invaliduser": invalid, "msgid": "m1"}
        return {"errcode": 404, "errmsg": "no such api"}

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _query(self):
                parts = urlsplit(self.path)
                return parts.path, {k: v[0] for k, v in parse_qs(parts.query).items()}

            def _send_json(self, answer):
                data = json.dumps(answer, ensure_ascii=False).encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                path, query = self._query()
                if path == "/connect/oauth2/authorize":
                    fake.calls.append(("GET", path, query, None))
                    code = fake.code_for(fake.signed_in_userid)
                    back_query = urlencode({"code": code, "state": query.get("state", "")})
                    back = f"{query['redirect_uri']}?{back_query}"
                    self.send_response(302)
                    self.send_header("Location", back)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self._send_json(fake.answer("GET", path, query, None))

            def do_POST(self):
                path, query = self._query()
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"null")
                self._send_json(fake.answer("POST", path, query, body))

        return Handler
