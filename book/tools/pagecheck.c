#include "pagecheck.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "files.h"
#include "htmlscan.h"

/* Past this many, a page's problems are counted but not printed. */
#define PRINT_MAX 12
#define CONTEXT 40

typedef struct {
    char **items;
    int n, cap;
} Strings;

static void strings_add(Strings *s, char *item)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 64;
        s->items = realloc(s->items, (size_t)s->cap * sizeof *s->items);
        if (!s->items)
            fatal("out of memory checking the book");
    }
    s->items[s->n++] = item;
}

static bool strings_has(const Strings *s, const char *item)
{
    for (int i = 0; i < s->n; i++)
        if (strcmp(s->items[i], item) == 0)
            return true;
    return false;
}

static void strings_free(Strings *s)
{
    for (int i = 0; i < s->n; i++)
        free(s->items[i]);
    free(s->items);
}

typedef struct {
    const char *name;
    FILE *report;
    int problems;
    Strings ids, links, images; /* links: href; images: alt, in order */
    char *text;                 /* all the text, for the markers */
    size_t text_len, text_cap;
    bool has_probe;
    int scroll_width, client_width, broken[64], n_broken;
} PageState;

static void problem(PageState *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void problem(PageState *p, const char *fmt, ...)
{
    if (p->problems++ >= PRINT_MAX)
        return;
    va_list ap;
    va_start(ap, fmt);
    fprintf(p->report, "%s: ", p->name);
    vfprintf(p->report, fmt, ap);
    fputc('\n', p->report);
    va_end(ap);
}

/* CONTEXT bytes either side of s[at], on one line. */
static void context(const char *s, size_t len, size_t at, char *buf,
                    size_t size)
{
    size_t from = at > CONTEXT ? at - CONTEXT : 0;
    size_t to = at + CONTEXT < len ? at + CONTEXT : len;
    snprintf(buf, size, "%.*s", (int)(to - from), s + from);
    for (char *c = buf; *c; c++)
        if (*c == '\n' || *c == '\t')
            *c = ' ';
}

/* Text outside code and math: pandoc turned every formula it read
 * into MathML, so a '$' or a TeX command here is one it did not. */
static void check_prose(PageState *p, const char *text, size_t len)
{
    char ctx[3 * CONTEXT];
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '$') {
            context(text, len, i, ctx, sizeof ctx);
            problem(p, "a '$' in the text, a formula that did not become "
                       "MathML: \"%s\"", ctx);
            return;
        }
        if (text[i] == '\\' && i + 1 < len &&
            isalpha((unsigned char)text[i + 1])) {
            context(text, len, i, ctx, sizeof ctx);
            problem(p, "TeX in the text, a formula that did not become "
                       "MathML: \"%s\"", ctx);
            return;
        }
    }
}

static void append_text(PageState *p, const char *text, size_t len)
{
    if (p->text_len + len + 1 > p->text_cap) {
        p->text_cap = 2 * (p->text_len + len + 1);
        p->text = realloc(p->text, p->text_cap);
        if (!p->text)
            fatal("out of memory checking the book");
    }
    memcpy(p->text + p->text_len, text, len);
    p->text_len += len;
    p->text[p->text_len] = '\0';
}

/* "scroll_width=W client_width=C ... broken=1,3" */
static void read_probe(PageState *p, const char *text)
{
    p->has_probe = true;
    const char *w = strstr(text, "scroll_width="),
               *c = strstr(text, "client_width="),
               *b = strstr(text, "broken=");
    p->scroll_width = w ? atoi(w + strlen("scroll_width=")) : 0;
    p->client_width = c ? atoi(c + strlen("client_width=")) : 0;
    for (const char *s = b ? b + strlen("broken=") : NULL;
         s && isdigit((unsigned char)*s) && p->n_broken < 64;) {
        char *end;
        p->broken[p->n_broken++] = (int)strtol(s, &end, 10);
        s = *end == ',' ? end + 1 : NULL;
    }
}

static void check_image(PageState *p, const HtmlToken *t)
{
    const char *src, *alt;
    size_t src_len, alt_len;
    if (!html_attr(t, "alt", &alt, &alt_len))
        alt = "", alt_len = 0;
    strings_add(&p->images, html_decode(alt, alt_len, false));
    const char *label = p->images.items[p->images.n - 1];
    if (!html_attr(t, "src", &src, &src_len) || src_len == 0) {
        problem(p, "an image with no source (\"%.60s\")", label);
        return;
    }
    if (src_len < 5 || strncmp(src, "data:", 5) != 0) {
        problem(p, "image %.*s is not embedded in the page: pandoc could "
                   "not read it (\"%.60s\")",
                (int)(src_len < 200 ? src_len : 200), src, label);
        return;
    }
    const char *comma = memchr(src, ',', src_len);
    if (!comma || comma + 1 == src + src_len)
        problem(p, "an image of zero bytes (\"%.60s\")", label);
}

/* The elements whose text is not prose: code, math, and what the
 * browser does not show as text. */
static bool is_verbatim(const char *name)
{
    static const char *const tags[] = {"code", "pre",  "math",   "script",
                                       "style", "samp", "kbd",   "svg",
                                       "textarea"};
    for (size_t i = 0; i < sizeof tags / sizeof tags[0]; i++)
        if (strcmp(name, tags[i]) == 0)
            return true;
    return false;
}

static void scan_page(PageState *p, const char *dom)
{
    HtmlScan s;
    html_scan_init(&s, dom, strlen(dom));
    HtmlToken t;
    int verbatim = 0;
    bool want_math = false, in_probe = false;
    char math_for[64] = "";
    while (html_next(&s, &t)) {
        const char *v;
        size_t vlen;
        if (t.kind == HTML_TEXT) {
            char *text = html_decode(t.raw, t.raw_len, false);
            size_t len = strlen(text);
            bool blank = strspn(text, " \t\r\n") == len;
            if (in_probe)
                read_probe(p, text);
            else {
                append_text(p, text, len);
                if (want_math && !blank) {
                    problem(p, "a formula that did not become MathML "
                               "(pandoc left it as TeX): \"%.80s\"", text);
                    want_math = false;
                } else if (verbatim == 0)
                    check_prose(p, text, len);
            }
            free(text);
            continue;
        }
        if (t.kind == HTML_END) {
            if (is_verbatim(t.name) && verbatim > 0)
                verbatim--;
            if (want_math) {
                problem(p, "an empty formula (a %s of class math with no "
                           "<math>)", math_for);
                want_math = false;
            }
            in_probe = false;
            continue;
        }
        if (want_math && strcmp(t.name, "math") != 0)
            problem(p, "a formula that did not become MathML (a %s of "
                       "class math holds <%s>, not <math>)",
                    math_for, t.name);
        want_math = false;
        if (is_verbatim(t.name))
            verbatim++;
        if (html_attr(&t, "id", &v, &vlen)) {
            strings_add(&p->ids, html_decode(v, vlen, false));
            in_probe = vlen == strlen(PAGECHECK_PROBE_ID) &&
                       strncmp(v, PAGECHECK_PROBE_ID, vlen) == 0;
        }
        if (strcmp(t.name, "a") == 0 && html_attr(&t, "name", &v, &vlen))
            strings_add(&p->ids, html_decode(v, vlen, false));
        if (strcmp(t.name, "a") == 0 && html_attr(&t, "href", &v, &vlen))
            strings_add(&p->links, html_decode(v, vlen, false));
        if (strcmp(t.name, "img") == 0)
            check_image(p, &t);
        if (strcmp(t.name, "math") != 0 &&
            html_attr(&t, "class", &v, &vlen) &&
            html_has_class(v, vlen, "math")) {
            want_math = true;
            snprintf(math_for, sizeof math_for, "<%s>", t.name);
        }
    }
}

static void check_markers(PageState *p)
{
    static const char *const markers[] = {"{{listing", "// listing: ",
                                          "// end-listing: "};
    for (size_t i = 0; i < sizeof markers / sizeof markers[0]; i++) {
        const char *at = p->text ? strstr(p->text, markers[i]) : NULL;
        if (at) {
            char ctx[3 * CONTEXT];
            context(p->text, p->text_len, (size_t)(at - p->text), ctx,
                    sizeof ctx);
            problem(p, "a listing marker left unwoven: \"%s\"", ctx);
        }
    }
}

static void check_layout(PageState *p)
{
    if (!p->has_probe) {
        problem(p, "no probe in the document: the page did not finish "
                   "loading in the browser, or it is not a probed copy");
        return;
    }
    if (p->scroll_width > p->client_width)
        problem(p, "the page is %d px wide in a viewport of %d px: "
                   "something does not fit (a table, a formula, an image)",
                p->scroll_width, p->client_width);
    for (int i = 0; i < p->n_broken; i++) {
        int k = p->broken[i] - 1;
        problem(p, "image %d (\"%.60s\") did not load in the browser",
                k + 1, k >= 0 && k < p->images.n ? p->images.items[k] : "?");
    }
}

/* The index of the page whose file name is `name`, or -1. */
static int find_page(const PageDom *pages, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(pages[i].name, name) == 0)
            return i;
    return -1;
}

static bool is_external(const char *href)
{
    size_t n = strspn(href, "abcdefghijklmnopqrstuvwxyz"
                            "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-");
    return n > 0 && href[n] == ':';
}

static void check_links(PageState *states, const PageDom *pages, int n,
                        const char *book_dir)
{
    for (int i = 0; i < n; i++) {
        PageState *p = &states[i];
        for (int k = 0; k < p->links.n; k++) {
            const char *href = p->links.items[k];
            if (is_external(href))
                continue;
            const char *hash = strchr(href, '#');
            size_t path_len = hash ? (size_t)(hash - href) : strlen(href);
            char path[512];
            snprintf(path, sizeof path, "%.*s", (int)path_len, href);
            char *target = html_decode(path, strlen(path), true);
            char *anchor = hash ? html_decode(hash + 1, strlen(hash + 1),
                                              true)
                                : NULL;
            int to = path[0] ? find_page(pages, n, target) : i;
            if (to < 0) {
                char *file = path_join(book_dir, target);
                bool page = strstr(target, ".html") != NULL;
                if (page || !file_exists(file))
                    problem(p, "a link to %s, which is not %s", href,
                            page ? "a page of this book" : "there");
                free(file);
            } else if (anchor && anchor[0] &&
                       !strings_has(&states[to].ids, anchor)) {
                problem(p, "a link to %s, whose anchor #%s is not on %s",
                        href, anchor, pages[to].name);
            }
            free(target);
            free(anchor);
        }
    }
}

int pagecheck_pages(const PageDom *pages, int n, const char *book_dir,
                    FILE *report)
{
    PageState *states = xcalloc((size_t)(n > 0 ? n : 1), sizeof *states);
    for (int i = 0; i < n; i++) {
        states[i].name = pages[i].name;
        states[i].report = report;
        scan_page(&states[i], pages[i].dom);
        check_markers(&states[i]);
        check_layout(&states[i]);
    }
    check_links(states, pages, n, book_dir);
    int total = 0;
    for (int i = 0; i < n; i++) {
        PageState *p = &states[i];
        if (p->problems > PRINT_MAX)
            fprintf(report, "%s: ... and %d more\n", p->name,
                    p->problems - PRINT_MAX);
        total += p->problems;
        strings_free(&p->ids);
        strings_free(&p->links);
        strings_free(&p->images);
        free(p->text);
    }
    free(states);
    return total;
}

/* Runs at the load event, when every image has decoded or failed, and
 * writes what the layout says into an element the dump will hold. */
static const char probe_script[] =
    "<script>\n"
    "window.addEventListener('load', function () {\n"
    "  var d = document.documentElement, imgs = document.images, bad = [];\n"
    "  for (var i = 0; i < imgs.length; i++)\n"
    "    if (!imgs[i].complete || imgs[i].naturalWidth === 0)\n"
    "      bad.push(i + 1);\n"
    "  var p = document.createElement('div');\n"
    "  p.id = '" PAGECHECK_PROBE_ID "';\n"
    "  p.hidden = true;\n"
    "  p.textContent = 'scroll_width=' + d.scrollWidth +\n"
    "    ' client_width=' + d.clientWidth +\n"
    "    ' scroll_height=' + d.scrollHeight +\n"
    "    ' images=' + imgs.length + ' broken=' + bad.join(',');\n"
    "  document.body.appendChild(p);\n"
    "});\n"
    "</script>\n";

char *pagecheck_probe(const char *html, const char *page_dir)
{
    size_t n = strlen(html);
    char base[1024];
    snprintf(base, sizeof base, "<base href=\"file://%s/\">\n", page_dir);
    char *out = xmalloc(n + strlen(base) + sizeof probe_script + 1);
    const char *head = strstr(html, "<head>");
    const char *body = strstr(html, "</body>");
    size_t at_head = head ? (size_t)(head - html) + strlen("<head>") : 0;
    size_t at_body = body ? (size_t)(body - html) : n;
    if (at_body < at_head)
        at_body = n;
    size_t o = 0;
    memcpy(out + o, html, at_head);
    o += at_head;
    memcpy(out + o, base, strlen(base));
    o += strlen(base);
    memcpy(out + o, html + at_head, at_body - at_head);
    o += at_body - at_head;
    memcpy(out + o, probe_script, strlen(probe_script));
    o += strlen(probe_script);
    memcpy(out + o, html + at_body, n - at_body);
    o += n - at_body;
    out[o] = '\0';
    return out;
}

int pagecheck_height(const char *dom)
{
    const char *probe = strstr(dom, "id=\"" PAGECHECK_PROBE_ID "\"");
    const char *h = probe ? strstr(probe, "scroll_height=") : NULL;
    return h ? atoi(h + strlen("scroll_height=")) : -1;
}
