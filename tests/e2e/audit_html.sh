#!/usr/bin/env bash
# The HTML audit report in a real browser: well-formed, self-contained,
# renders in headless Chromium, and the services table is in the DOM.
#   bash tests/e2e/audit_html.sh [path/to/prisma1-lint]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash" "$@"
require_bin
cd "$PROJECT"

REPORT="$WORK/audit.html"
"$BIN" audit --format html -o "$REPORT" tests/fixtures/cloud-project tests/fixtures/self-hosted \
  tests/fixtures/orm-project tests/fixtures/monorepo tests/fixtures/audit/custom-with-secret \
  tests/fixtures/audit/local-docker tests/fixtures/audit/unresolved
[ -s "$REPORT" ] && pass "report written" || fail "report written"

# Well-formed: every non-void element closes in order.
if python3 - "$REPORT" <<'PY'
import sys
from html.parser import HTMLParser
VOID = {"meta", "br", "hr", "img", "input", "link", "rect"}
class P(HTMLParser):
    def __init__(self):
        super().__init__(); self.stack = []; self.errors = []
    def handle_starttag(self, tag, attrs):
        if tag not in VOID: self.stack.append((tag, self.getpos()))
    def handle_startendtag(self, tag, attrs): pass
    def handle_endtag(self, tag):
        if tag in VOID: return
        if not self.stack or self.stack[-1][0] != tag:
            self.errors.append(f"unexpected </{tag}> at {self.getpos()}, open: {self.stack[-1] if self.stack else None}")
        else: self.stack.pop()
p = P(); p.feed(open(sys.argv[1], encoding="utf-8").read()); p.close()
if p.stack: p.errors.append(f"unclosed: {p.stack[:3]}")
for e in p.errors[:10]: print("  ", e)
sys.exit(1 if p.errors else 0)
PY
then pass "HTML is well-formed"; else fail "HTML is well-formed"; fi

if grep -Eq '(src|href)="(https?:)?//|@import|url\((https?:)?//' "$REPORT"; then
  fail "no external assets"; else pass "no external assets"; fi

CHROME=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$CHROME" ]; then
  fail "headless Chromium is installed (apt-get install chromium)"
else
  FLAGS=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
         --disable-component-update --disable-sync --user-data-dir="$WORK/profile")
  timeout 120 "$CHROME" "${FLAGS[@]}" --window-size=1280,2400 --screenshot="$WORK/audit.png" "file://$REPORT" >/dev/null 2>&1 || true
  if python3 - "$WORK/audit.png" <<'PY'
import sys, struct
data = open(sys.argv[1], "rb").read()
ok = data[:8] == b"\x89PNG\r\n\x1a\n"
w, h = struct.unpack(">II", data[16:24]) if ok else (0, 0)
print(f"   screenshot {w}x{h}, {len(data)} bytes")
sys.exit(0 if ok and w >= 1000 and len(data) > 20000 else 1)
PY
  then pass "Chromium renders a screenshot"; else fail "Chromium renders a screenshot"; fi
  [ -n "${KEEP_SCREENSHOT:-}" ] && cp "$WORK/audit.png" "$KEEP_SCREENSHOT"
  DOM=$(timeout 120 "$CHROME" "${FLAGS[@]}" --dump-dom "file://$REPORT" 2>/dev/null || true)
  if grep -q 'class="sortable services"' <<<"$DOM" && grep -q 'https://eu1.prisma.sh/jane-doe/shop/dev' <<<"$DOM"; then
    pass "services table is in the rendered DOM"; else fail "services table is in the rendered DOM"; fi
  if grep -q '<svg' <<<"$DOM"; then pass "charts are in the rendered DOM"; else fail "charts are in the rendered DOM"; fi
fi

if [ "$failures" -gt 0 ]; then echo "$failures check(s) failed"; exit 1; fi
echo "all checks passed"
