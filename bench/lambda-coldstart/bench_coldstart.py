"""Cold start and warm per-image time of the real `bootstrap` (a measurement, not a test).

  python3 bench/lambda-coldstart/bench_coldstart.py --bootstrap build/adapter-lambda/bootstrap \
      [--runs 30] [--warm 50] [--image tests/data/exif-orientation/Landscape_1.jpg]

Cold start, three ways:
  exec -> first /next   from the child's last instant before execve() (a timestamp written
                        by preexec_fn) to the emulator receiving GET /next: dynamic loading,
                        config, curl/OpenSSL init, connect. This is the figure to compare
                        with the 5 ms goal.
  spawn -> first /next  the same from the parent, fork and Python overhead included.
  main() -> ready       the runtime's own initMs from its cold-start log line.
Warm: one image per invocation through the Runtime API emulator and moto (S3 over loopback):
round trip per invocation, and the runtime's per-stage times from its log lines.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# moto, the Runtime API emulator and the real bootstrap, as the end-to-end tests drive them.
sys.path.insert(0, os.path.join(REPO, "tests", "lambda", "e2e"))
import localaws as L  # noqa: E402


def pct(values, p):
    v = sorted(values)
    return v[min(len(v) - 1, int(round(p / 100 * (len(v) - 1))))]


def summary(name, values, unit="ms"):
    print(f"{name:<34} median {statistics.median(values):8.2f} {unit}   "
          f"min {min(values):8.2f}   p90 {pct(values, 90):8.2f}   (n={len(values)})")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bootstrap", required=True)
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--warm", type=int, default=50)
    ap.add_argument("--image", default=os.path.join(REPO, "tests", "data", "exif-orientation",
                                                    "Landscape_1.jpg"))
    a = ap.parse_args()

    tmp = tempfile.mkdtemp(prefix="tk-bench-")
    with L.MotoServer().start(tmp) as moto:
        s3 = moto.client("s3")
        s3.create_bucket(Bucket="src")
        s3.create_bucket(Bucket="dst")
        with open(a.image, "rb") as f:
            data = f.read()
        s3.put_object(Bucket="src", Key="img.jpg", Body=data)
        env = L.runtime_env(moto.url, "dst")

        cold, init, exec_cold = [], [], []
        for _ in range(a.runs):
            with L.RuntimeEmulator() as emu:
                boot = L.Bootstrap(a.bootstrap, emu, env)
                rfd, wfd = os.pipe()

                def stamp():
                    os.write(wfd, str(time.time_ns()).encode())

                t0 = time.monotonic()
                boot.start(preexec_fn=stamp, pass_fds=(wfd,))
                os.close(wfd)
                t_next = emu.wait_next_call(1, timeout=30)
                cold.append((t_next - t0) * 1000)
                t_exec = int(os.read(rfd, 64).decode())
                os.close(rfd)
                exec_cold.append((emu.next_calls_wall_ns[0] - t_exec) / 1e6)
                boot.stop()
                c = boot.logs("cold start")
                if c:
                    init.append(c[0]["initMs"])

        with L.RuntimeEmulator() as emu:
            boot = L.Bootstrap(a.bootstrap, emu, env).start()
            event = {"bucket": "src", "key": "img.jpg"}
            emu.invoke(event, timeout=60)  # first invocation: page-in, connection setup
            rt = []
            for _ in range(a.warm):
                t0 = time.monotonic()
                r = emu.invoke(event, timeout=60)
                rt.append((time.monotonic() - t0) * 1000)
                assert r.kind == "response", r.body
            time.sleep(0.2)
            boot.stop()
            logs = boot.logs("thumbnail written")[1:]

    print(f"bootstrap {a.bootstrap}")
    print(f"image     {a.image} ({len(data)} bytes) -> "
          f"{logs[0]['width']}x{logs[0]['height']} ({logs[0]['isa']})")
    summary("cold: exec -> first /next", exec_cold)
    summary("cold: spawn -> first /next", cold)
    summary("cold: main() -> ready (initMs)", init)
    summary("warm: invocation round trip", rt)
    for f in ("totalMs", "getMs", "decodeMs", "resampleMs", "encodeMs", "putMs"):
        summary(f"warm: {f}", [x[f] for x in logs])
    summary("warm: engine (decode+resample+encode)",
            [x["decodeMs"] + x["resampleMs"] + x["encodeMs"] for x in logs])


if __name__ == "__main__":
    main()
