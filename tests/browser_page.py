#!/usr/bin/env python3
"""emo-serve's page in a real browser: Debian's chromium, headless, with a fake camera and a WAV file as the
microphone, driven over the DevTools protocol on a pipe (--remote-debugging-pipe: JSON messages separated by
NUL bytes on file descriptors 3 and 4; standard library only). Passes when the page shows speech and fused
labels and its chart has drawn at least two windows, and then, for the clip chosen as a file, shows a prediction
and saves a correction of its label to "sad" (the server runs with --feedback-dir).

Usage: browser_page.py URL CLIP.wav WORK_DIR [SECONDS [TOKEN]]
"""
import json
import os
import subprocess
import sys
import time


def main():
    url, clip, work = sys.argv[1], sys.argv[2], sys.argv[3]
    seconds = float(sys.argv[4]) if len(sys.argv) > 4 else 40
    token = "&token=" + sys.argv[5] if len(sys.argv) > 5 else ""
    to_browser_r, to_browser_w = os.pipe()
    from_browser_r, from_browser_w = os.pipe()

    # The browser reads commands on fd 3 and writes replies on fd 4: a shell puts the pipes there.
    flags = [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--user-data-dir=" + os.path.join(work, "profile"), "--remote-debugging-pipe",
         "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
         "--use-file-for-fake-audio-capture=" + clip, "--autoplay-policy=no-user-gesture-required", "about:blank"]
    browser = subprocess.Popen(
        ["sh", "-c", f'exec chromium "$@" 3<&{to_browser_r} 4>&{from_browser_w}', "chromium"] + flags,
        pass_fds=(to_browser_r, from_browser_w), stdout=subprocess.DEVNULL,
        stderr=open(os.path.join(work, "chromium.log"), "w"))
    os.close(to_browser_r)
    os.close(from_browser_w)
    pending = b""
    next_id = 0

    def call(method, params=None, session=None):
        nonlocal pending, next_id
        next_id += 1
        message = {"id": next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(to_browser_w, json.dumps(message).encode() + b"\0")
        while True:
            while b"\0" not in pending:
                chunk = os.read(from_browser_r, 65536)
                if not chunk:
                    sys.exit("FAIL: the browser closed its pipe")
                pending += chunk
            raw, pending = pending.split(b"\0", 1)
            reply = json.loads(raw)
            if reply.get("id") == next_id:
                if "error" in reply:
                    sys.exit(f"FAIL: {method}: {reply['error']}")
                return reply["result"]

    try:
        target = call("Target.createTarget", {"url": url + "/?autostart=1" + token})["targetId"]
        session = call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        state = {}
        deadline = time.time() + seconds
        while time.time() < deadline:
            time.sleep(0.5)
            value = call("Runtime.evaluate", {"returnByValue": True, "expression": """JSON.stringify({
                speech: document.getElementById('speech').textContent,
                face: document.getElementById('face').textContent,
                fused: document.getElementById('fused').textContent,
                status: document.getElementById('status').textContent,
                points: Number(document.getElementById('chart').dataset.points)})"""}, session)
            state = json.loads(value["result"]["value"])
            if state["points"] >= 2 and state["fused"] not in ("-", ""):
                print(f"page: live OK {state}")
                break
        else:
            sys.exit(f"FAIL: after {seconds:.0f} s the page shows {state}")

        def evaluate(expression):
            return call("Runtime.evaluate", {"returnByValue": True, "expression": expression}, session)["result"]

        def wait_for(expression, what):
            for _ in range(120):
                value = evaluate(expression).get("value")
                if value:
                    return value
                time.sleep(0.5)
            sys.exit(f"FAIL: {what}: the page shows {evaluate('document.body.innerText').get('value')}")

        root = call("DOM.getDocument", {}, session)["root"]["nodeId"]
        node = call("DOM.querySelector", {"nodeId": root, "selector": "#file"}, session)["nodeId"]
        call("DOM.setFileInputFiles", {"nodeId": node, "files": [clip]}, session)
        evaluate("document.getElementById('send').click()")
        result = wait_for("!document.getElementById('correction').hidden && "
                          "document.getElementById('result').textContent", "no prediction with a correction form")
        if '"label"' not in result:
            sys.exit(f"FAIL: the file's prediction: {result}")
        evaluate("document.getElementById('label').value = 'sad'; document.getElementById('correct').click()")
        saved = wait_for("document.getElementById('feedback').textContent", "the correction")
        if not saved.startswith("saved: sad"):
            sys.exit(f"FAIL: the correction: {saved}")
        print(f"page: file and correction OK ({saved})")
        return 0
    finally:
        browser.kill()
        browser.wait()


if __name__ == "__main__":
    sys.exit(main())
