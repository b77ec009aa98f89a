"""A small HTTP client for tests and benchmarks that talk to a real server: keep-alive, cookies, CSRF."""
import http.client
import re
import time
from urllib.parse import urlencode, urlsplit

CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


class WebClient:
    """One browser-like visitor: its own connection and cookies. Not shared between threads."""

    def __init__(self, base: str, timeout: float = 60, headers: dict | None = None):
        parts = urlsplit(base)
        self.host, self.port, self.timeout = parts.hostname, parts.port, timeout
        self.cookies: dict[str, str] = {}
        self.headers = headers or {}  # e.g. X-Forwarded-For, as a reverse proxy in front would add
        self.connection = None

    def request(self, method: str, path: str, data=None, keep_cookies: bool = True):
        """(status, headers, body text, seconds taken); one retry on a dropped keep-alive connection."""
        body = urlencode(data, doseq=True) if data is not None else None
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), **self.headers}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            started = time.perf_counter()
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                text = response.read().decode("utf-8", "replace")
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.connection.close()
                self.connection = None
                if attempt == 2:
                    raise
                continue
            elapsed = time.perf_counter() - started
            if keep_cookies:
                for name, value in response.getheaders():
                    if name.lower() == "set-cookie":
                        key, _sep, rest = value.partition("=")
                        self.cookies[key] = rest.split(";", 1)[0]
            if response.getheader("Connection", "").lower() == "close":
                self.connection.close()
                self.connection = None
            return response.status, dict(response.getheaders()), text, elapsed

    def get(self, path: str):
        return self.request("GET", path)

    def post(self, path: str, data: dict, keep_cookies: bool = True):
        return self.request("POST", path, data, keep_cookies)

    def csrf(self, path: str) -> str:
        """The CSRF token of the form on a page."""
        status, _headers, text, _t = self.get(path)
        found = CSRF.search(text)
        if not found:
            raise AssertionError(f"no CSRF token on {path} (status {status})")
        return found.group(1)

    def login(self, email: str, password: str, code=None) -> None:
        """Log in through the form; `code` gives the second factor when the site asks for it (a function
        called at that moment, since codes change every 30 seconds)."""
        token = self.csrf("/login")
        status, headers, _text, _t = self.post("/login", {"csrf_token": token, "email": email, "password": password})
        if status == 302 and headers.get("Location", "").endswith("/login/code"):
            if code is None:
                raise AssertionError(f"{email} needs a second-factor code")
            status, headers, _text, _t = self.post("/login/code", {"csrf_token": self.csrf("/login/code"),
                                                                    "code": code()})
        if status != 302:
            raise AssertionError(f"login of {email} failed with {status}")
