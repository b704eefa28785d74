"""Debian's nginx in front of the benchmark's gunicorn instances, as in production
(docs/operations.md): a config generated into a folder, not a daemon, loopback ports only."""

import os
import signal
import subprocess
import time

from benchmarks import harness

NGINX_CONF = """worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  include /etc/nginx/mime.types;
  client_body_temp_path {dir}/body; proxy_temp_path {dir}/proxy;
  fastcgi_temp_path {dir}/fastcgi; uwsgi_temp_path {dir}/uwsgi; scgi_temp_path {dir}/scgi;
  gzip on; gzip_proxied any; gzip_min_length 256;
  gzip_types text/css application/javascript application/json image/svg+xml;
{upstreams}{servers}}}
"""
NGINX_SERVER = """  server {{
    listen 127.0.0.1:{port};
{media}    location / {{
      proxy_pass http://{upstream};
      proxy_set_header Host $http_host;
      proxy_set_header X-Real-IP $remote_addr;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      add_header X-Upstream $upstream_addr always;
    }}
  }}
"""


class Nginx:
    """Debian's nginx, not a daemon, from a generated config in work: `port` balances round
    robin over the backends; `pinned[i]` goes to backend i only. /media/ from media_root."""

    name = "nginx"

    def __init__(self, work, backends, media_root=None):
        self.port = harness.free_port()
        self.pinned = [harness.free_port() for _ in backends]
        for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (work / sub).mkdir(exist_ok=True)
            os.chmod(work / sub, 0o777)  # nginx's workers run as nobody
        upstreams = "".join(
            f"  upstream {name} {{ {' '.join(f'server 127.0.0.1:{p};' for p in ports)} }}\n"
            for name, ports in [
                ("app", backends),
                *((f"app{i}", [p]) for i, p in enumerate(backends)),
            ]
        )
        media = f"    location /media/ {{ alias {media_root}/; }}\n" if media_root else ""
        servers = "".join(
            NGINX_SERVER.format(port=port, upstream=upstream, media=media)
            for port, upstream in [
                (self.port, "app"),
                *((p, f"app{i}") for i, p in enumerate(self.pinned)),
            ]
        )
        conf = work / "nginx.conf"
        conf.write_text(NGINX_CONF.format(dir=work, upstreams=upstreams, servers=servers))
        binary = harness.which("nginx", "/usr/sbin/nginx")
        cmd = [binary, "-p", str(work), "-c", str(conf), "-g", "daemon off;"]
        self.proc = subprocess.Popen(cmd, start_new_session=True, stdin=subprocess.DEVNULL)

    @property
    def base(self):
        return f"http://127.0.0.1:{self.port}"

    def wait_ready(self):
        for _ in range(100):
            if self.proc.poll() is not None:
                raise RuntimeError("nginx exited: see nginx-error.log in its folder")
            try:
                if harness.request("GET", self.base + "/healthz").status == 200:
                    return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("nginx did not answer")

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(10)
