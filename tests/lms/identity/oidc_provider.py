"""A small OpenID Connect provider for the tests: the bank's identity service stand-in, on a free
port of 127.0.0.1 in a thread. It serves discovery, authorize (a one-click "同意" page, or straight
back with ``auto_approve``), token (client secret, PKCE S256, one use per code), userinfo and
JWKS, and signs ID tokens with RS256.

``provider.person`` is who the next sign-in approves (claims: ``sub``, ``employee_number``…);
``provider.tamper`` spoils the next ID token: ``"signature"`` (another key, same ``kid``),
``"payload"`` (claims changed after signing), ``"audience"``, ``"issuer"``, ``"expired"``,
``"nonce"``, ``"userinfo_sub"`` (userinfo about someone else).
"""

import base64
import hashlib
import html
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

KEY_ID = "bank-sso-test-1"


def _b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class OIDCProvider:
    def __init__(self, client_id="cplms", client_secret="s3cret-for-tests"):  # noqa: S107
        self.client_id = client_id
        self.client_secret = client_secret
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.person = {"sub": "u-1", "employee_number": "000123", "name": "王芳"}
        self.auto_approve = True
        self.tamper = None
        self.codes = {}
        self.tokens = {}
        self.requests = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    # --- What the site is told --------------------------------------------------------------

    @property
    def discovery_url(self):
        return f"{self.url}/.well-known/openid-configuration"

    def metadata(self):
        return {
            "issuer": self.url,
            "authorization_endpoint": f"{self.url}/authorize",
            "token_endpoint": f"{self.url}/token",
            "userinfo_endpoint": f"{self.url}/userinfo",
            "jwks_uri": f"{self.url}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
        }

    def jwks(self):
        jwk = json.loads(RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [{**jwk, "kid": KEY_ID, "alg": "RS256", "use": "sig"}]}

    def id_token(self, claims, nonce):
        now = int(time.time())
        payload = {
            "iss": self.url,
            "aud": self.client_id,
            "iat": now,
            "exp": now + 300,
            "nonce": nonce,
            **claims,
        }
        key = self.key
        if self.tamper == "audience":
            payload["aud"] = "another-client"
        elif self.tamper == "issuer":
            payload["iss"] = "http://127.0.0.1:1"
        elif self.tamper == "expired":
            payload.update(iat=now - 600, exp=now - 300)
        elif self.tamper == "nonce":
            payload["nonce"] = "not-the-one-sent"
        elif self.tamper == "signature":
            key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        token = jwt.encode(payload, key, algorithm="RS256", headers={"kid": KEY_ID})
        if self.tamper == "payload":
            header, _body, signature = token.split(".")
            changed = {**payload, "employee_number": "000999"}
            token = ".".join([header, _b64url(json.dumps(changed).encode()), signature])
        return token

    # --- The endpoints ------------------------------------------------------------------------

    def authorize(self, query):
        if query.get("client_id") != self.client_id or query.get("response_type") != "code":
            return 400, "text/plain", b"bad authorization request"
        code = secrets.token_urlsafe(16)
        self.codes[code] = {
            "claims": dict(self.person),
            "nonce": query.get("nonce"),
            "redirect_uri": query["redirect_uri"],
            "challenge": query.get("code_challenge"),
        }
        back = f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query['state']})}"
        return 302, back, b""

    def consent_page(self, query):
        fields = "".join(
            f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
            for k, v in query.items()
        )
        page = (
            '<!doctype html><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width">'
            f"<title>统一身份认证</title><h1>统一身份认证</h1>"
            f"<p>{html.escape(self.person.get('name', ''))}，是否同意登录消保学堂？</p>"
            f'<form method="post" action="/authorize">{fields}'
            '<button type="submit" style="min-height:44px">同意</button></form>'
        )
        return 200, "text/html; charset=utf-8", page.encode()

    def token(self, form, headers):
        client_id, secret = form.get("client_id"), form.get("client_secret")
        auth = headers.get("Authorization", "")
        if auth.startswith("Basic "):
            client_id, _, secret = base64.b64decode(auth[6:]).decode().partition(":")
        if client_id != self.client_id or secret != self.client_secret:
            return 401, {"error": "invalid_client"}
        grant = self.codes.pop(form.get("code", ""), None)
        if grant is None or form.get("redirect_uri") != grant["redirect_uri"]:
            return 400, {"error": "invalid_grant"}
        if grant["challenge"]:
            verifier = form.get("code_verifier", "").encode()
            if _b64url(hashlib.sha256(verifier).digest()) != grant["challenge"]:
                return 400, {"error": "invalid_grant", "error_description": "PKCE"}
        access = secrets.token_urlsafe(16)
        self.tokens[access] = grant["claims"]
        id_token = self.id_token(grant["claims"], grant["nonce"])
        return 200, {
            "access_token": access,
            "token_type": "Bearer",
            "expires_in": 300,
            "id_token": id_token,
        }

    def userinfo(self, headers):
        claims = self.tokens.get(headers.get("Authorization", "").removeprefix("Bearer "))
        if claims is None:
            return 401, {"error": "invalid_token"}
        if self.tamper == "userinfo_sub":
            return 200, {**claims, "sub": "someone-else"}
        return 200, claims

    def _handler(self):
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _send(self, status, body, content_type="application/json", location=None):
                data = json.dumps(body).encode() if isinstance(body, dict) else body
                self.send_response(status)
                if location:
                    self.send_header("Location", location)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _answer_authorize(self, query):
                status, kind, body = provider.authorize(query)
                if status == 302:
                    self._send(302, b"", "text/plain", location=kind)
                else:
                    self._send(status, body, kind)

            def do_GET(self):
                parts = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(parts.query).items()}
                provider.requests.append(("GET", parts.path))
                if parts.path == "/.well-known/openid-configuration":
                    self._send(200, provider.metadata())
                elif parts.path == "/jwks":
                    self._send(200, provider.jwks())
                elif parts.path == "/authorize" and provider.auto_approve:
                    self._answer_authorize(query)
                elif parts.path == "/authorize":
                    status, kind, body = provider.consent_page(query)
                    self._send(status, body, kind)
                elif parts.path == "/userinfo":
                    self._send(*provider.userinfo(self.headers))
                else:
                    self._send(404, {"error": "not_found"})

            def do_POST(self):
                length = int(self.headers.get("Content-Length", "0"))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                path = urlsplit(self.path).path
                provider.requests.append(("POST", path))
                if path == "/token":
                    self._send(*provider.token(form, self.headers))
                elif path == "/authorize":
                    self._answer_authorize(form)
                else:
                    self._send(404, {"error": "not_found"})

        return Handler
