/* pagecheck.h - what a reader would see wrong on a rendered book page.
 *
 * make book-check loads every page in headless Chromium with a probe
 * (pagecheck_probe) that, once the page has loaded, writes into the
 * page what only a browser knows: how wide the laid-out page is and
 * which images failed to decode. Chromium's --dump-dom hands back the
 * document; pagecheck_pages reads those documents and finds
 *   - a formula that did not become MathML: a "$" or a TeX command
 *     (\frac, \mathbb, ...) in the text outside code and math, or a
 *     pandoc math span with no <math> in it;
 *   - an image that is missing, not embedded, of zero bytes, or that
 *     the browser could not decode;
 *   - a link to a page or an anchor that does not exist;
 *   - a listing placeholder or marker that was not woven;
 *   - a page wider than the browser's viewport.
 * It needs no browser itself, so the tests feed it documents directly.
 */
#ifndef BOOK_PAGECHECK_H
#define BOOK_PAGECHECK_H

#include <stdio.h>

/* The id of the element the probe adds, and the viewport it is read in. */
#define PAGECHECK_PROBE_ID "book-check-probe"
#define PAGECHECK_VIEWPORT_WIDTH 1200

typedef struct {
    const char *name; /* the page's file name in the book: "01-neuron.html" */
    const char *dom;  /* the document as Chromium dumped it */
} PageDom;

/* Checks every page, and every link between them; prints one line
 * "NAME: problem" per problem to report and returns how many there
 * were. A relative link to a file that is not a page is looked up in
 * book_dir. */
int pagecheck_pages(const PageDom *pages, int n, const char *book_dir,
                    FILE *report);

/* The page's HTML with the probe added: a <base> so that relative
 * paths resolve from page_dir (an absolute path), and a script that
 * writes the probe's element at the load event. Free the result. */
char *pagecheck_probe(const char *html, const char *page_dir);

/* The laid-out page's height in pixels as the probe measured it, or
 * -1 when the document holds no probe. */
int pagecheck_height(const char *dom);

#endif
