/* htmlscan.h - the tags and text of an HTML document, one at a time.
 *
 * Enough HTML for documents a browser serialised (Chromium's
 * --dump-dom): every attribute value is quoted, every element that is
 * not void is closed. Comments and the doctype are skipped; the body of
 * <script> and <style> comes back as one text token. Nothing is
 * copied: tokens point into the document.
 */
#ifndef BOOK_HTMLSCAN_H
#define BOOK_HTMLSCAN_H

#include <stdbool.h>
#include <stddef.h>

typedef enum { HTML_START, HTML_END, HTML_TEXT } HtmlKind;

#define HTML_NAME_MAX 32

typedef struct {
    HtmlKind kind;
    char name[HTML_NAME_MAX]; /* tag name in lower case (START, END) */
    const char *raw;          /* the attributes (START) or the text */
    size_t raw_len;
} HtmlToken;

typedef struct {
    const char *doc;
    size_t len, pos;
    char raw_text_end[HTML_NAME_MAX + 3]; /* "</script" inside one */
} HtmlScan;

void html_scan_init(HtmlScan *s, const char *doc, size_t len);

/* The next token; false at the end of the document. */
bool html_next(HtmlScan *s, HtmlToken *t);

/* A start tag's attribute, undecoded, pointing into the document;
 * false when the tag has none of that name. */
bool html_attr(const HtmlToken *t, const char *name, const char **value,
               size_t *len);

/* The text with the character references a serialiser writes (&amp;
 * &lt; &gt; &quot; &nbsp; &#N; &#xN;) decoded, and %XX too when
 * percent is set (for a link's path and anchor). Free the result. */
char *html_decode(const char *s, size_t n, bool percent);

/* Whether the class attribute value holds the word. */
bool html_has_class(const char *value, size_t len, const char *word);

#endif
