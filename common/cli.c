#include "cli.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"

#define CLI_DEFAULT_MAX 64

static const char *cli_prog, *cli_summary;
static const CliOption *cli_options;
static int cli_count;
static char cli_defaults[CLI_DEFAULT_MAX][64];

static void format_value(char *buf, size_t n, const CliOption *o)
{
    switch (o->type) {
    case OPT_FLAG:
        snprintf(buf, n, "%s", *(bool *)o->dest ? "on" : "");
        break;
    case OPT_INT:
        snprintf(buf, n, "%d", *(int *)o->dest);
        break;
    case OPT_LONG:
        snprintf(buf, n, "%ld", *(long *)o->dest);
        break;
    case OPT_U64:
        snprintf(buf, n, "%llu", (unsigned long long)*(uint64_t *)o->dest);
        break;
    case OPT_FLOAT:
        snprintf(buf, n, "%g", (double)*(float *)o->dest);
        break;
    case OPT_STRING: {
        const char *s = *(const char **)o->dest;
        snprintf(buf, n, "%s", s ? s : "");
        break;
    }
    }
}

static void print_usage(FILE *f)
{
    fprintf(f, "usage: %s [options]\n%s\n\noptions:\n", cli_prog,
            cli_summary);
    for (int i = 0; i < cli_count; i++) {
        const CliOption *o = &cli_options[i];
        char left[64];
        snprintf(left, sizeof left, "%s%s%s", o->name,
                 o->metavar ? " " : "", o->metavar ? o->metavar : "");
        fprintf(f, "  %-16s %s", left, o->help);
        if (i < CLI_DEFAULT_MAX && cli_defaults[i][0])
            fprintf(f, " (default %s)", cli_defaults[i]);
        fputc('\n', f);
    }
    fprintf(f, "  %-16s %s\n", "--help", "show this help and exit");
}

void cli_usage_error(const char *fmt, ...)
{
    fprintf(stderr, "%s: ", cli_prog ? cli_prog : error_program());
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    if (cli_options)
        print_usage(stderr);
    exit(2);
}

static void parse_number(const CliOption *o, const char *text)
{
    char *end;
    errno = 0;
    double v = strtod(text, &end);
    bool integral = o->type != OPT_FLOAT;
    if (end == text || *end != '\0' || errno == ERANGE || !isfinite(v))
        cli_usage_error("%s needs a number, not '%s'", o->name, text);
    if (integral && v != floor(v))
        cli_usage_error("%s needs a whole number, not '%s'", o->name,
                        text);
    if (v < o->min || v > o->max)
        cli_usage_error("%s must be between %g and %g, not %s", o->name,
                        o->min, o->max, text);
    switch (o->type) {
    case OPT_INT:
        *(int *)o->dest = (int)v;
        break;
    case OPT_LONG:
        *(long *)o->dest = (long)v;
        break;
    case OPT_U64:
        /* strtod loses precision past 2^53; read the digits exactly */
        *(uint64_t *)o->dest = strtoull(text, NULL, 10);
        break;
    case OPT_FLOAT:
        *(float *)o->dest = (float)v;
        break;
    default:
        break;
    }
}

void cli_parse(int argc, char **argv, const char *prog,
               const char *summary, const CliOption *options, int n)
{
    cli_prog = prog;
    cli_summary = summary;
    cli_options = options;
    cli_count = n;
    error_set_program(prog);
    for (int i = 0; i < n && i < CLI_DEFAULT_MAX; i++)
        format_value(cli_defaults[i], sizeof cli_defaults[i], &options[i]);

    for (int a = 1; a < argc; a++) {
        const char *arg = argv[a];
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            print_usage(stdout);
            exit(0);
        }
        const char *eq = strchr(arg, '=');
        size_t name_len = eq ? (size_t)(eq - arg) : strlen(arg);
        const CliOption *o = NULL;
        for (int i = 0; i < n && !o; i++)
            if (strlen(options[i].name) == name_len &&
                strncmp(options[i].name, arg, name_len) == 0)
                o = &options[i];
        if (!o)
            cli_usage_error(arg[0] == '-' ? "unknown option %s"
                                          : "unexpected argument '%s'",
                            arg);
        if (o->type == OPT_FLAG) {
            if (eq)
                cli_usage_error("%s takes no value", o->name);
            *(bool *)o->dest = true;
            continue;
        }
        const char *value = eq ? eq + 1 : NULL;
        if (!value) {
            if (a + 1 >= argc)
                cli_usage_error("%s needs a value (%s)", o->name,
                                o->metavar);
            value = argv[++a];
        }
        if (o->type == OPT_STRING) {
            if (*value == '\0')
                cli_usage_error("%s needs a non-empty value", o->name);
            *(const char **)o->dest = value;
        } else {
            parse_number(o, value);
        }
    }
}

int cli_default_threads(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}
