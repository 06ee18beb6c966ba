#!/bin/sh
# check-pages.sh BOOK_DIR BOOK_CHECK - make book-check's browser part.
#
# For every BOOK_DIR/*.html: a probed copy (book-check --probe) loaded
# in headless Chromium at 1200 px, whose DOM, once the page has loaded,
# goes to BOOK_DIR/check/; a screenshot of the whole page to
# BOOK_DIR/shots/. Then book-check reads the DOMs and says what is
# wrong; its exit status is this script's.
#
# Chromium runs from the command line only. --no-sandbox because it
# refuses to start as root with its sandbox (these are our own local
# pages); each call is given a time limit, so a hung browser fails the
# check instead of stopping it.
set -eu
book=$1
check=$2
chromium=${CHROMIUM:-chromium}
width=1200
height=900       # the viewport the width is checked in
max_shot=60000   # a cap on the screenshot's height, in pixels
limit=120        # seconds for one browser call

if ! command -v "$chromium" >/dev/null 2>&1; then
  echo "book-check: error: $chromium not found; make deps-book installs it (Debian package chromium)" >&2
  exit 1
fi
ls "$book"/*.html >/dev/null 2>&1 || {
  echo "book-check: error: no pages in $book (make book makes them)" >&2; exit 1; }

abs=$(cd "$book" && pwd)
mkdir -p "$book/check" "$book/shots"
rm -f "$book/check/"*.html "$book/shots/"*.png
log=$book/check/chromium.log
: > "$log"
# a profile of its own, so that two checks at once do not share one
profile=$abs/check/profile
browser() {
  timeout "$limit" "$chromium" --headless --no-sandbox --disable-gpu \
    --hide-scrollbars --no-first-run --disable-extensions \
    --user-data-dir="$profile" "$@" 2>>"$log"
}

pages=0
for page in "$book"/*.html; do
  name=$(basename "$page")
  probed=$abs/check/${name%.html}.probe
  "$check" --probe "$page" "$probed"
  # a file name that does not end in .html is not read as a page below
  mv "$probed" "$probed.htm"
  if ! browser --window-size=$width,$height --dump-dom "file://$probed.htm" \
       > "$book/check/$name"; then
    echo "book-check: $name: chromium failed or took over $limit s (see $log)" >&2
  fi
  rm -f "$probed.htm"
  h=$("$check" --height "$book/check/$name")
  [ "$h" -gt 0 ] 2>/dev/null || h=$height
  [ "$h" -le $max_shot ] || h=$max_shot
  browser --window-size=$width,$h --screenshot="$abs/shots/${name%.html}.png" \
    "file://$abs/$name" >/dev/null || \
    echo "book-check: $name: no screenshot (see $log)" >&2
  pages=$((pages + 1))
done
rm -rf "$profile"
echo "book-check: $pages pages rendered at ${width} px; screenshots in $book/shots/"
"$check" "$book" "$book/check/"*.html
