/* test_bookcheck.c - make book-check's reading of rendered pages.
 *
 * The documents here stand for what Chromium's --dump-dom prints for a
 * probed page, so the checks are tested without a browser: a clean
 * page passes, and each way a page can be broken (a formula left as
 * TeX, an image missing or empty, a dead link or anchor, an unwoven
 * listing marker, a page too wide) is reported. make
 * book-check-selftest does the same through the real browser. */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "htmlscan.h"
#include "pagecheck.h"

#define PROBE_OK                                                         \
    "<div id=\"book-check-probe\" hidden=\"\">scroll_width=1200 "       \
    "client_width=1200 scroll_height=3000 images=1 broken=</div>"
#define IMAGE_OK "<img src=\"data:image/png;base64,iVBORw0KGgo=\" alt=\"a\">"

/* A page that is right in every way the checker looks at. */
static const char clean_body[] =
    "<nav id=\"TOC\"><a href=\"#the-loss\">The loss</a></nav>"
    "<h2 id=\"the-loss\">The loss</h2>"
    "<p>It is <span class=\"math inline\"><math display=\"inline\"><mi>L"
    "</mi><annotation encoding=\"application/x-tex\">\\frac{1}{2}"
    "</annotation></math></span>, costs <code>$HOME</code> and "
    "<code>\\n</code>; see <a href=\"02-b.html#top\">the next</a> and "
    "<a href=\"https://example.org/$x\">a paper</a>.</p>"
    "<figure>" IMAGE_OK "<figcaption>a</figcaption></figure>"
    "<pre><code>// listing-free code, a &lt;b&gt; c</code></pre>";

/* The checker's report on page "01-a.html" with the given body and
 * probe, beside a clean second page "02-b.html"; free it. */
static char *report_on(const char *body, const char *probe, int *problems)
{
    char *page1 = xmalloc(strlen(body) + strlen(probe) + 200);
    sprintf(page1, "<html><head><title>01-a</title></head><body>%s%s"
                   "</body></html>", body, probe);
    const char *page2 = "<html><body><h1 id=\"top\">B</h1>"
        "<div id=\"book-check-probe\">scroll_width=1000 client_width=1200 "
        "scroll_height=900 images=0 broken=</div></body></html>";
    PageDom pages[2] = {{"01-a.html", page1}, {"02-b.html", page2}};
    char *text = NULL;
    size_t len = 0;
    FILE *report = open_memstream(&text, &len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(report);
    *problems = pagecheck_pages(pages, 2, "/nonexistent", report);
    fclose(report);
    free(page1);
    return text;
}

/* The body with `what` put in place of the first `where`. */
static char *broken(const char *where, const char *what)
{
    const char *at = strstr(clean_body, where);
    CU_ASSERT_PTR_NOT_NULL_FATAL(at);
    char *s = xmalloc(strlen(clean_body) + strlen(what) + 1);
    sprintf(s, "%.*s%s%s", (int)(at - clean_body), clean_body, what,
            at + strlen(where));
    return s;
}

/* Breaking the clean page one way must give one problem, whose report
 * holds `expect`. */
static void expect_problem(const char *where, const char *what,
                           const char *probe, const char *expect)
{
    char *body = broken(where, what);
    int problems;
    char *text = report_on(body, probe, &problems);
    if (problems != 1 || !strstr(text, expect))
        fprintf(stderr, "\n    wanted one problem with \"%s\", got %d:\n%s",
                expect, problems, text);
    CU_ASSERT_EQUAL(problems, 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(text, expect));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "01-a.html: "));
    free(text);
    free(body);
}

static void test_clean_page_passes(void)
{
    int problems;
    char *text = report_on(clean_body, PROBE_OK, &problems);
    if (problems)
        fprintf(stderr, "\n%s", text);
    CU_ASSERT_EQUAL(problems, 0);
    free(text);
}

static void test_formula_left_as_tex(void)
{
    expect_problem("It is", "It is $ x $ and", PROBE_OK,
                   "a '$' in the text");
    expect_problem("It is", "It is \\frac{1}{2} and", PROBE_OK,
                   "TeX in the text");
    expect_problem("It is", "It is \\mathbb{R} and", PROBE_OK,
                   "TeX in the text");
    /* pandoc's own fallback when it cannot convert a formula */
    expect_problem("It is", "It is <span class=\"math display\">x^^2</span>",
                   PROBE_OK, "did not become MathML");
    expect_problem("<figure>", "<figure><span class=\"math inline\"><b>x"
                   "</b></span>", PROBE_OK, "did not become MathML");
}

static void test_bad_images(void)
{
    expect_problem(IMAGE_OK, "<img src=\"data:image/png;base64,\" alt=\"z\">",
                   PROBE_OK, "zero bytes");
    expect_problem(IMAGE_OK, "<img src=\"out/01/x.png\" alt=\"m\">", PROBE_OK,
                   "not embedded");
    expect_problem(IMAGE_OK, "<img alt=\"n\">", PROBE_OK, "no source");
    /* one the browser could not decode, by the probe's count */
    expect_problem("<figure>", "<figure>", "<div id=\"book-check-probe\">"
                   "scroll_width=1200 client_width=1200 scroll_height=1 "
                   "images=1 broken=1</div>", "image 1 (\"a\") did not load");
}

static void test_dead_links(void)
{
    expect_problem("href=\"#the-loss\"", "href=\"#the-gain\"", PROBE_OK,
                   "anchor #the-gain is not on 01-a.html");
    expect_problem("02-b.html#top", "02-b.html#bottom", PROBE_OK,
                   "anchor #bottom is not on 02-b.html");
    expect_problem("02-b.html#top", "03-c.html", PROBE_OK,
                   "not a page of this book");
    expect_problem("02-b.html#top", "../code/neuron.c", PROBE_OK,
                   "which is not there");
    /* an anchor written with %-escapes is the same anchor */
    char *body = broken("href=\"#the-loss\"", "href=\"#the%2Dloss\"");
    int problems;
    char *text = report_on(body, PROBE_OK, &problems);
    CU_ASSERT_EQUAL(problems, 0);
    free(text);
    free(body);
}

static void test_unwoven_listing(void)
{
    expect_problem("It is", "{{listing chapters/01-neuron/neuron.c step}} It is",
                   PROBE_OK, "listing marker left unwoven");
    expect_problem("// listing-free", "// listing: step\nint x;", PROBE_OK,
                   "listing marker left unwoven");
    expect_problem("// listing-free", "// end-listing: step", PROBE_OK,
                   "listing marker left unwoven");
}

static void test_page_too_wide_or_unprobed(void)
{
    expect_problem("<figure>", "<figure>", "<div id=\"book-check-probe\">"
                   "scroll_width=1480 client_width=1200 scroll_height=1 "
                   "images=1 broken=</div>", "1480 px wide");
    expect_problem("<figure>", "<figure>", "", "no probe");
}

static void test_probe_and_height(void)
{
    const char *page = "<html><head><title>t</title></head><body><p>x</p>"
                       "</body></html>";
    char *probed = pagecheck_probe(page, "/book/dir");
    ASSERT_CONTAINS(probed, "<head><base href=\"file:///book/dir/\">");
    ASSERT_CONTAINS(probed, "<p>x</p><script>");
    ASSERT_CONTAINS(probed, "'" PAGECHECK_PROBE_ID "'");
    ASSERT_CONTAINS(probed, "</script>\n</body></html>");
    free(probed);
    CU_ASSERT_EQUAL(pagecheck_height("<div id=\"" PAGECHECK_PROBE_ID "\">"
                                     "scroll_width=1 scroll_height=4321 "
                                     "</div>"), 4321);
    CU_ASSERT_EQUAL(pagecheck_height("<p>none</p>"), -1);
}

static void test_scanner_and_decoding(void)
{
    const char *doc = "<!doctype html><!-- <p>no --><P CLASS='a  math'>x &lt;"
                      "&amp;&#36;&#x41;&nbsp;</P><script>if (a<b) {}</script>";
    HtmlScan s;
    html_scan_init(&s, doc, strlen(doc));
    HtmlToken t;
    CU_ASSERT_TRUE_FATAL(html_next(&s, &t));
    CU_ASSERT_EQUAL(t.kind, HTML_START);
    CU_ASSERT_STRING_EQUAL(t.name, "p");
    const char *v;
    size_t n;
    CU_ASSERT_TRUE_FATAL(html_attr(&t, "class", &v, &n));
    CU_ASSERT_TRUE(html_has_class(v, n, "math"));
    CU_ASSERT_FALSE(html_has_class(v, n, "mat"));
    CU_ASSERT_TRUE_FATAL(html_next(&s, &t));
    CU_ASSERT_EQUAL(t.kind, HTML_TEXT);
    char *text = html_decode(t.raw, t.raw_len, false);
    CU_ASSERT_STRING_EQUAL(text, "x <&$A\xc2\xa0");
    free(text);
    CU_ASSERT_TRUE_FATAL(html_next(&s, &t));
    CU_ASSERT_EQUAL(t.kind, HTML_END);
    CU_ASSERT_TRUE_FATAL(html_next(&s, &t));
    CU_ASSERT_STRING_EQUAL(t.name, "script");
    CU_ASSERT_TRUE_FATAL(html_next(&s, &t));
    CU_ASSERT_EQUAL(t.kind, HTML_TEXT);
    CU_ASSERT_EQUAL(t.raw_len, strlen("if (a<b) {}"));
    CU_ASSERT_TRUE_FATAL(html_next(&s, &t));
    CU_ASSERT_EQUAL(t.kind, HTML_END);
    CU_ASSERT_FALSE(html_next(&s, &t));
    char *path = html_decode("a%20b%2", strlen("a%20b%2"), true);
    CU_ASSERT_STRING_EQUAL(path, "a b%2");
    free(path);
}

void suite_bookcheck(void)
{
    CU_pSuite s = CU_add_suite("bookcheck", NULL, NULL);
    CU_add_test(s, "a clean page passes", test_clean_page_passes);
    CU_add_test(s, "a formula left as TeX fails", test_formula_left_as_tex);
    CU_add_test(s, "a missing, empty or broken image fails",
                test_bad_images);
    CU_add_test(s, "a dead link or anchor fails", test_dead_links);
    CU_add_test(s, "an unwoven listing marker fails", test_unwoven_listing);
    CU_add_test(s, "a page too wide, or not probed, fails",
                test_page_too_wide_or_unprobed);
    CU_add_test(s, "the probe is added; the height read back",
                test_probe_and_height);
    CU_add_test(s, "tags, attributes and references are read",
                test_scanner_and_decoding);
}
