#include "htmlscan.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "error.h"

void html_scan_init(HtmlScan *s, const char *doc, size_t len)
{
    s->doc = doc;
    s->len = len;
    s->pos = 0;
    s->raw_text_end[0] = '\0';
}

/* Case-insensitive search for needle in doc[from, len). */
static size_t find_ci(const HtmlScan *s, size_t from, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = from; i + n <= s->len; i++) {
        size_t k = 0;
        while (k < n && tolower((unsigned char)s->doc[i + k]) == needle[k])
            k++;
        if (k == n)
            return i;
    }
    return s->len;
}

static size_t read_name(const HtmlScan *s, size_t at, char *name)
{
    size_t k = 0;
    while (at < s->len && (isalnum((unsigned char)s->doc[at]) ||
                           s->doc[at] == '-' || s->doc[at] == ':')) {
        if (k + 1 < HTML_NAME_MAX)
            name[k++] = (char)tolower((unsigned char)s->doc[at]);
        at++;
    }
    name[k] = '\0';
    return at;
}

/* The end of a tag that starts at `at`: its '>', quotes respected. */
static size_t tag_end(const HtmlScan *s, size_t at)
{
    char quote = 0;
    for (; at < s->len; at++) {
        char c = s->doc[at];
        if (quote)
            quote = c == quote ? 0 : quote;
        else if (c == '"' || c == '\'')
            quote = c;
        else if (c == '>')
            return at;
    }
    return s->len;
}

bool html_next(HtmlScan *s, HtmlToken *t)
{
    while (s->pos < s->len) {
        const char *p = s->doc + s->pos;
        t->name[0] = '\0';
        if (s->raw_text_end[0]) {
            /* the body of <script> or <style>, up to its end tag */
            size_t end = find_ci(s, s->pos, s->raw_text_end);
            t->kind = HTML_TEXT;
            t->raw = p;
            t->raw_len = end - s->pos;
            s->pos = end;
            s->raw_text_end[0] = '\0';
            if (t->raw_len)
                return true;
            continue;
        }
        if (*p != '<') {
            const char *lt = memchr(p, '<', s->len - s->pos);
            size_t n = lt ? (size_t)(lt - p) : s->len - s->pos;
            t->kind = HTML_TEXT;
            t->raw = p;
            t->raw_len = n;
            s->pos += n;
            return true;
        }
        if (strncmp(p, "<!--", 4) == 0) {
            const char *end = strstr(p + 4, "-->");
            s->pos = end ? (size_t)(end - s->doc) + 3 : s->len;
            continue;
        }
        if (p[1] == '!' || p[1] == '?') {
            s->pos = tag_end(s, s->pos) + 1;
            continue;
        }
        bool end = p[1] == '/';
        size_t at = read_name(s, s->pos + 1 + end, t->name);
        size_t close = tag_end(s, at);
        t->kind = end ? HTML_END : HTML_START;
        t->raw = s->doc + at;
        t->raw_len = close - at;
        s->pos = close < s->len ? close + 1 : s->len;
        if (!end && (strcmp(t->name, "script") == 0 ||
                     strcmp(t->name, "style") == 0))
            snprintf(s->raw_text_end, sizeof s->raw_text_end, "</%s",
                     t->name);
        return true;
    }
    return false;
}

bool html_attr(const HtmlToken *t, const char *name, const char **value,
               size_t *len)
{
    size_t n = strlen(name);
    const char *s = t->raw, *end = t->raw + t->raw_len;
    while (s < end) {
        while (s < end && isspace((unsigned char)*s))
            s++;
        const char *key = s;
        while (s < end && !isspace((unsigned char)*s) && *s != '=' &&
               *s != '/')
            s++;
        size_t key_len = (size_t)(s - key);
        const char *v = s;
        size_t v_len = 0;
        if (s < end && *s == '=') {
            s++;
            char quote = s < end && (*s == '"' || *s == '\'') ? *s++ : 0;
            v = s;
            while (s < end && (quote ? *s != quote
                                     : !isspace((unsigned char)*s)))
                s++;
            v_len = (size_t)(s - v);
            if (quote && s < end)
                s++;
        } else if (key_len == 0) {
            s++; /* a stray '/' */
        }
        if (key_len == n && strncasecmp(key, name, n) == 0) {
            *value = v;
            *len = v_len;
            return true;
        }
    }
    return false;
}

static int hex(int c)
{
    return isdigit(c) ? c - '0' : isxdigit(c) ? tolower(c) - 'a' + 10 : -1;
}

/* Appends the code point as UTF-8. */
static size_t put_utf8(char *o, unsigned long c)
{
    if (c < 0x80) {
        o[0] = (char)c;
        return 1;
    }
    if (c < 0x800) {
        o[0] = (char)(0xC0 | (c >> 6));
        o[1] = (char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        o[0] = (char)(0xE0 | (c >> 12));
        o[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        o[2] = (char)(0x80 | (c & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | (c >> 18));
    o[1] = (char)(0x80 | ((c >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((c >> 6) & 0x3F));
    o[3] = (char)(0x80 | (c & 0x3F));
    return 4;
}

char *html_decode(const char *s, size_t n, bool percent)
{
    static const struct {
        const char *name;
        unsigned long code;
    } named[] = {{"amp;", '&'},   {"lt;", '<'},    {"gt;", '>'},
                 {"quot;", '"'},  {"apos;", '\''}, {"nbsp;", 0xA0}};
    /* no reference is shorter than the UTF-8 it decodes to ("&#9;" is
     * 4 bytes, the longest code point too), so n + 1 bytes suffice */
    char *out = xmalloc(n + 1), *o = out;
    for (size_t i = 0; i < n;) {
        if (percent && s[i] == '%' && i + 2 < n &&
            hex((unsigned char)s[i + 1]) >= 0 &&
            hex((unsigned char)s[i + 2]) >= 0) {
            *o++ = (char)(16 * hex((unsigned char)s[i + 1]) +
                          hex((unsigned char)s[i + 2]));
            i += 3;
            continue;
        }
        if (s[i] != '&') {
            *o++ = s[i++];
            continue;
        }
        size_t done = 0;
        for (size_t k = 0; k < sizeof named / sizeof named[0] && !done; k++) {
            size_t len = strlen(named[k].name);
            if (i + 1 + len <= n && strncmp(s + i + 1, named[k].name, len) == 0) {
                o += put_utf8(o, named[k].code);
                done = 1 + len;
            }
        }
        if (!done && i + 2 < n && s[i + 1] == '#') {
            bool is_hex = s[i + 2] == 'x' || s[i + 2] == 'X';
            size_t j = i + 2 + is_hex;
            unsigned long c = 0;
            while (j < n && (is_hex ? hex((unsigned char)s[j]) >= 0
                                    : isdigit((unsigned char)s[j])) &&
                   c < 0x110000)
                c = c * (is_hex ? 16 : 10) +
                    (unsigned long)hex((unsigned char)s[j++]);
            if (j < n && s[j] == ';' && j > i + 2 + is_hex && c < 0x110000) {
                o += put_utf8(o, c);
                done = j + 1 - i;
            }
        }
        if (done)
            i += done;
        else
            *o++ = s[i++];
    }
    *o = '\0';
    return out;
}

bool html_has_class(const char *value, size_t len, const char *word)
{
    size_t n = strlen(word);
    for (size_t i = 0; i + n <= len; i++)
        if ((i == 0 || isspace((unsigned char)value[i - 1])) &&
            strncmp(value + i, word, n) == 0 &&
            (i + n == len || isspace((unsigned char)value[i + n])))
            return true;
    return false;
}
