#!/usr/bin/python3
"""Drives tyst-review's page in headless Chromium (Selenium + chromedriver).

usage: review.py URL [--screenshot PNG]

Checks first, without the browser, that requests without the token or the
session cookie, with another Host header, or from another origin are
refused; then opens the page, decides by keyboard and by click, marks a
missed word, links two spellings, reloads and checks that the decisions
are kept.  Prints TAP-like "ok - ..." / "not ok - ..." lines, as the shell
tests do.  Every wait is bounded.
"""
import http.client
import sys
import time
import urllib.parse

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.common.exceptions import (NoSuchElementException,
                                        StaleElementReferenceException)
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

WAIT = 20       # seconds, the longest any one step may take
# The page redraws what a decision changes: an element found a moment
# before may be gone by the time it is read, more so on a loaded machine.
GONE = (NoSuchElementException, StaleElementReferenceException)

failed = 0


def check(cond, what):
    global failed
    if cond:
        print("ok - " + what)
    else:
        failed += 1
        print("not ok - " + what)
    sys.stdout.flush()


def request(port, method, path, headers=None, body=None):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=WAIT)
    h = {"Host": "127.0.0.1:%d" % port}
    h.update(headers or {})
    c.request(method, path, body=body, headers=h)
    r = c.getresponse()
    data = r.read()
    c.close()
    return r.status, dict((k.lower(), v) for k, v in r.getheaders()), data


def refusals(url):
    u = urllib.parse.urlsplit(url)
    port = u.port
    st, _, _ = request(port, "GET", "/api/state")
    check(st == 403, "no token, no cookie: refused (%d)" % st)
    st, _, _ = request(port, "GET", "/")
    check(st == 403, "the page without a session: refused (%d)" % st)
    st, _, _ = request(port, "GET", "/?token=" + "0" * 64)
    check(st == 403, "a wrong token: refused (%d)" % st)
    st, _, _ = request(port, "GET", "/?" + u.query,
                       {"Host": "evil.example:%d" % port})
    check(st == 421, "another Host header: refused (%d)" % st)
    st, _, _ = request(port, "GET", "/?" + u.query,
                       {"Host": "127.0.0.1:%d" % (port + 1)})
    check(st == 421, "another port in Host: refused (%d)" % st)
    st, _, _ = request(port, "POST", "/api/decide",
                       {"Content-Type": "application/x-www-form-urlencoded"},
                       "word=Volvo&decision=keep")
    check(st == 403, "a POST without a session: refused (%d)" % st)
    return port


def refusals_with_cookie(port, cookie, url):
    ck = {"Cookie": "tyst_session=" + cookie}
    query = urllib.parse.urlsplit(url).query
    st, h, _ = request(port, "GET", "/?" + query, ck)
    check(st == 303 and h.get("location") == "/",
          "the used link, with the cookie: back to the page (%d)" % st)
    st, _, _ = request(port, "GET", "/?" + query)
    check(st == 403, "the used link, without the cookie: refused (%d)" % st)
    st, h, _ = request(port, "GET", "/api/state", ck)
    check(st == 200, "the session cookie works outside the browser too")
    check("default-src 'self'" in h.get("content-security-policy", ""),
          "CSP default-src 'self'")
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    hd = dict(ck, Origin="http://evil.example", **form)
    st, _, _ = request(port, "POST", "/api/decide", hd,
                       "word=Lund&decision=keep&category=PLACE")
    check(st == 403, "cross-origin POST (Origin): refused (%d)" % st)
    hd = dict(ck, **{"Sec-Fetch-Site": "cross-site"}, **form)
    st, _, _ = request(port, "POST", "/api/decide", hd,
                       "word=Lund&decision=keep&category=PLACE")
    check(st == 403, "cross-site POST (Sec-Fetch-Site): refused (%d)" % st)
    hd = dict(ck, Host="localhost.evil.example:%d" % port, **form)
    st, _, _ = request(port, "POST", "/api/decide", hd,
                       "word=Lund&decision=keep&category=PLACE")
    check(st == 421, "a rebinding Host with the cookie: refused (%d)" % st)
    st, _, _ = request(port, "GET", "/api/state",
                       {"Cookie": "tyst_session=" + "0" * 64})
    check(st == 403, "a wrong cookie: refused (%d)" % st)


def driver():
    o = webdriver.ChromeOptions()
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu",
              "--disable-dev-shm-usage", "--window-size=1400,900",
              "--no-first-run", "--disable-extensions",
              "--disable-background-networking"):
        o.add_argument(a)
    o.binary_location = "/usr/bin/chromium"
    d = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=o)
    d.set_page_load_timeout(WAIT)
    d.set_script_timeout(WAIT)
    return d


def wait(d):
    """A bounded wait that looks again when the page redrew an element."""
    return WebDriverWait(d, WAIT, ignored_exceptions=GONE)


def again(fn):
    """fn() once more, up to five times, when the page redrew what it
    found."""
    for i in range(5):
        try:
            return fn()
        except StaleElementReferenceException:
            if i == 4:
                raise
            time.sleep(0.2)


def count(d):
    return again(lambda: d.find_element(By.ID, "count").text)


def wait_count(d, text):
    try:
        wait(d).until(lambda x: count(x) == text)
        return True
    except Exception:
        return False


def wait_status(d, text):
    try:
        wait(d).until(
            lambda x: x.find_element(By.ID, "status").text == text)
        return True
    except Exception:
        return False


def current_word(d):
    def word():
        m = d.find_elements(By.CSS_SELECTOR, "mark.f.cur")
        return m[0].get_attribute("textContent") if m else None
    return again(word)


def keys(d, k):
    d.find_element(By.TAG_NAME, "body").send_keys(k)


def run(url, shot):
    port = refusals(url)
    d = driver()
    try:
        d.get(url)
        check(d.current_url.rstrip("/").endswith(":%d" % port),
              "the token is traded and leaves the address bar")
        ok = wait(d).until(
            lambda x: "undecided" in count(x))
        check(ok, "the page shows " + count(d))
        first = count(d)
        check(first == "5 of 5 undecided", "5 of 5 undecided at the start")
        cookie = [c for c in d.get_cookies() if c["name"] == "tyst_session"]
        check(len(cookie) == 1 and cookie[0].get("httpOnly") and
              cookie[0].get("sameSite") == "Strict",
              "session cookie HttpOnly, SameSite=Strict")
        if cookie:
            refusals_with_cookie(port, cookie[0]["value"], url)
        check(len(d.find_elements(By.CSS_SELECTOR, ".turn")) == 4,
              "speaker turns shown")
        check(len(d.find_elements(By.CSS_SELECTOR,
                                  "mark.f.conf-candidate")) >= 1,
              "candidates highlighted apart")
        words = again(lambda: [e.get_attribute("data-word") for e in
                               d.find_elements(By.CSS_SELECTOR, "#words li")])
        check(words[:2] == ["Volvo", "Jonatan"],
              "side list: undecided first, by count (%s)" % words)

        # Keyboard: j to the first undecided (Volvo, the car), X keeps
        # it here only; j again (Volvo, the employer), S pseudonymises it
        # here as ORG.
        keys(d, "j")
        check(current_word(d) == "Volvo", "j goes to the first undecided")
        keys(d, "X")
        check(wait_status(d, "saved"), "X saved")
        keys(d, "j")
        check(current_word(d) == "Volvo", "j: the next undecided Volvo")
        keys(d, "S")
        check(wait_status(d, "saved"), "S saved")
        # j then s: Tindra pseudonymised for the whole corpus.
        d.execute_script("document.getElementById('status').textContent=''")
        keys(d, "j")
        check(current_word(d) == "Tindra", "j: Tindra")
        keys(d, "s")
        check(wait_count(d, "4 of 5 undecided"),
              "s decides a word: " + count(d))

        # By click: Lund, keep for the corpus.
        d.execute_script("document.getElementById('status').textContent=''")
        def lunds():
            return [m for m in d.find_elements(By.CSS_SELECTOR, "mark.f")
                    if m.get_attribute("textContent").startswith("Lund")]
        lund = again(lunds)
        check(len(lund) == 1, "Lund highlighted")
        if lund:
            again(lambda: lunds()[0].click())
            d.find_element(By.ID, "keep").click()
        check(wait_count(d, "3 of 5 undecided"),
              "a click decides a word: " + count(d))

        # Mark missed text: "tuss", lower case, no list found it.
        d.execute_script("document.getElementById('status').textContent=''")
        d.execute_script("""
            const w = document.createTreeWalker(document.getElementById('docs'),
                NodeFilter.SHOW_TEXT);
            let n;
            while ((n = w.nextNode()))
                if (n.textContent.indexOf('tuss') >= 0) break;
            const i = n.textContent.indexOf('tuss');
            const r = document.createRange();
            r.setStart(n, i); r.setEnd(n, i + 4);
            const s = window.getSelection();
            s.removeAllRanges(); s.addRange(r);
            document.getElementById('cat').value = 'PERSON';""")
        d.find_element(By.ID, "mark").click()
        check(wait_status(d, "saved"), "marking saved")
        marked = again(lambda: [m.get_attribute("textContent") for m in
                                d.find_elements(By.CSS_SELECTOR, "mark.f")])
        check(any(t.startswith("tuss") for t in marked),
              "the marked word is found now")

        # Link two spellings, with a chosen pseudonym.
        d.execute_script("document.getElementById('status').textContent=''")
        la = d.find_element(By.ID, "la")
        la.clear()
        la.send_keys("Jonatan")
        d.find_element(By.ID, "lb").send_keys("Johnatan")
        d.find_element(By.ID, "ln").send_keys("Emil")
        d.find_element(By.ID, "link").click()
        check(wait_status(d, "saved"), "link saved")

        if shot:
            again(lambda: d.find_elements(By.CSS_SELECTOR,
                                          "mark.f")[3].click())
            d.save_screenshot(shot)

        # Preview, before anything is written.
        again(lambda: d.find_elements(By.CSS_SELECTOR, "mark.f")[2].click())
        keys(d, "v")
        try:
            wait(d).until(
                lambda x: x.find_element(By.ID, "pvnew").text != "")
        except Exception:
            pass
        pv = d.find_element(By.ID, "pvnew").text
        orig = d.find_element(By.ID, "pvorig").text
        check("Tindra" in orig and "Tindra" not in pv and
              "om Volvo" in pv and "på Volvo" not in pv,
              "preview side by side: %r" % pv)
        keys(d, Keys.ESCAPE)

        # Reload: everything is still there.
        d.refresh()
        wait(d).until(lambda x: "undecided" in count(x))
        check(count(d) == "3 of 5 undecided", "after reload: " + count(d))
        persons = d.find_element(By.ID, "persons").text
        check("Jonatan = Johnatan" in persons, "after reload: the link")
        check("tuss" in d.find_element(By.ID, "marked").text,
              "after reload: the marked word")
        kept = d.find_elements(By.CSS_SELECTOR, "mark.f.occ-keep")
        check(len(kept) == 1, "after reload: the occurrence kept")
    finally:
        d.quit()


def main():
    url = sys.argv[1]
    shot = None
    if len(sys.argv) > 3 and sys.argv[2] == "--screenshot":
        shot = sys.argv[3]
    try:
        run(url, shot)
    except Exception as e:      # a failure, never a skip
        check(False, "the browser test ran through: %r" % e)
    sys.exit(1 if failed else 0)


main()
