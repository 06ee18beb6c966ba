#!/bin/sh
# check-selftest.sh DIR WEAVE BOOK_CHECK - make book-check-selftest.
#
# Does make book-check catch a broken page? Scratch copies of chapter 1
# are rendered the way make book-fast renders it ($PANDOC, from the
# Makefile), each broken in one way, and checked in Chromium like the
# book. The unbroken copy must pass; every broken one must fail, with
# its own problem named. A figure that does not exist stops pandoc
# itself, before any browser, so that is tested on pandoc.
set -eu
dir=$1
weave=$2
check=$3
: "${PANDOC:?PANDOC must hold the pandoc command of the Makefile}"
page=book/01-neuron.md
here=$(dirname "$0")

rm -rf "$dir"
mkdir -p "$dir/clean" "$dir/broken" "$dir/src"
: > "$dir/empty.png"

# render NAME BOOK_SUBDIR: $dir/src/NAME.md -> $dir/BOOK_SUBDIR/NAME.html
render() {
  "$weave" --fast "$dir/src/$1.md" "$dir/src/$1.woven.md"
  $PANDOC --metadata pagetitle="$1" -o "$dir/$2/$1.html" "$dir/src/$1.woven.md"
}
# variant NAME TEXT: the chapter with TEXT as a paragraph of its own
variant() {
  { cat "$page"; printf '\n%s\n' "$2"; } > "$dir/src/$1.md"
  render "$1" broken
}

cp "$page" "$dir/src/clean.md"
render clean clean
variant formula-dollar 'A formula that lost its delimiters: $ \frac{1}{2} $.'
variant formula-tex 'TeX outside any formula: \mathbb{R}.'
variant image-empty "![A figure of zero bytes]($dir/empty.png)"
variant anchor 'See [the section that is not there](#no-such-section).'
variant marker ' {{listing chapters/01-neuron/neuron.c neuron-step}}'
variant wide '<div style="width: 1600px">a box wider than the window</div>'

status=0
fail() { echo "book-check-selftest: FAILED: $*" >&2; status=1; }

{ cat "$page"; printf '\n![A figure that is not there](%s/none.png)\n' "$dir"; } \
  > "$dir/src/image-missing.md"
if render image-missing broken 2>"$dir/pandoc.log"; then
  fail "pandoc rendered a page whose figure does not exist"
else
  echo "book-check-selftest: a missing figure stops pandoc: $(tail -1 "$dir/pandoc.log")"
fi

if sh "$here/check-pages.sh" "$dir/clean" "$check" > "$dir/clean.log" 2>&1; then
  echo "book-check-selftest: the unbroken copy of $page passes"
else
  fail "the unbroken copy of $page does not pass:"; cat "$dir/clean.log" >&2
fi

if sh "$here/check-pages.sh" "$dir/broken" "$check" > "$dir/broken.log" 2>&1; then
  fail "book-check passed broken pages"
fi
for expect in "formula-dollar.html: a '\$' in the text" \
              "formula-tex.html: TeX in the text" \
              "image-empty.html: an image of zero bytes" \
              "image-empty.html: image 1 (\"A figure of zero bytes\") did not load" \
              "anchor.html: a link to #no-such-section" \
              "marker.html: a listing marker left unwoven" \
              "wide.html: the page is"; do
  if grep -qF -- "$expect" "$dir/broken.log"; then
    echo "book-check-selftest: caught: $(grep -F -- "$expect" "$dir/broken.log" | head -1 | cut -c1-110)"
  else
    fail "not caught: $expect"
  fi
done
if [ $status != 0 ]; then
  echo "book-check's report:" >&2; cat "$dir/broken.log" >&2
  exit 1
fi
echo "book-check-selftest: passed (screenshots in $dir/broken/shots/)"
