/* table.c - the results table from every experiment's files.
 *
 * Adds: one table built from many runs, so that the sweep can be run
 * piece by piece (or in parallel) and still add up.
 * Leaves out on purpose: any check that the pieces used the same
 * budget; the table shows each row's steps and seeds instead.
 * Build and run: build/bin/10-stabilizing --experiment NAME (the table
 * is rewritten after every run)
 */
#include "table.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "files.h"
#include "mixture.h"

#include "experiments.h"
#include "toy.h"

#define MAX_ROWS 1000
#define ROW_CHARS 512
#define SEEDS_COLUMNS 8 /* seed, steps, then three (modes, hq) pairs */
#define TARGETS 2

typedef struct {
    int seeds;
    double steps;
    double modes, modes_sd, hq, hq_sd;
    int at_target;
    double modes_running, hq_running, modes_small, hq_small;
} TargetRow;

typedef struct {
    int seeds;
    double steps, fcd, fcd_sd, floor;
} FashionRow;

/* Reads the numeric rows of a CSV whose first line is a header; each
 * row into `columns` doubles. Returns the number of rows, or -1 when
 * the file does not exist. */
static int read_rows(const char *path, double *rows, int columns,
                     int max_rows)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char line[ROW_CHARS];
    int n = 0;
    bool header = true;
    while (fgets(line, sizeof line, f) && n < max_rows) {
        if (header) {
            header = false;
            continue;
        }
        char *p = line;
        int k = 0;
        for (; k < columns; k++) {
            char *end;
            rows[(size_t)n * columns + k] = strtod(p, &end);
            if (end == p)
                break;
            p = *end == ',' ? end + 1 : end;
        }
        if (k == columns)
            n++;
    }
    fclose(f);
    return n;
}

/* A count read from a file as a double: -1 unless it is a whole number
 * an int holds (converting any other double to int is undefined). */
static int as_count(double v)
{
    return v >= 0 && v <= INT_MAX && v == floor(v) ? (int)v : -1;
}

static void mean_sd(const double *rows, int n, int column, double *mean,
                    double *sd)
{
    double m = 0.0, ss = 0.0;
    for (int i = 0; i < n; i++)
        m += rows[(size_t)i * SEEDS_COLUMNS + column] / n;
    for (int i = 0; i < n; i++) {
        double d = rows[(size_t)i * SEEDS_COLUMNS + column] - m;
        ss += d * d;
    }
    *mean = m;
    *sd = n > 1 ? sqrt(ss / (n - 1)) : 0.0;
}

static bool read_target(const char *dir, const Mixture *target,
                        TargetRow *row)
{
    char name[MIXTURE_NAME_MAX + 16];
    snprintf(name, sizeof name, "seeds-%.*s.csv", MIXTURE_NAME_MAX - 1,
             target->name);
    char *path = path_join(dir, name);
    double *rows = xmalloc((size_t)MAX_ROWS * SEEDS_COLUMNS *
                           sizeof(double));
    int n = read_rows(path, rows, SEEDS_COLUMNS, MAX_ROWS);
    free(path);
    memset(row, 0, sizeof *row);
    if (n > 0) {
        double unused;
        row->seeds = n;
        row->steps = rows[1];
        mean_sd(rows, n, 2, &row->modes, &row->modes_sd);
        mean_sd(rows, n, 3, &row->hq, &row->hq_sd);
        mean_sd(rows, n, 4, &row->modes_running, &unused);
        mean_sd(rows, n, 5, &row->hq_running, &unused);
        mean_sd(rows, n, 6, &row->modes_small, &unused);
        mean_sd(rows, n, 7, &row->hq_small, &unused);
        for (int i = 0; i < n; i++) {
            ToyScore s = {as_count(rows[(size_t)i * SEEDS_COLUMNS + 2]),
                          rows[(size_t)i * SEEDS_COLUMNS + 3]};
            row->at_target += stab_toy_at_target(target, &s);
        }
    }
    free(rows);
    return n > 0;
}

static bool read_fashion(const char *dir, FashionRow *row)
{
    enum { COLUMNS = 4 }; /* seed, steps, fcd, fcd_floor */
    char *path = path_join(dir, "fashion.csv");
    double *r = xmalloc((size_t)MAX_ROWS * COLUMNS * sizeof(double));
    int n = read_rows(path, r, COLUMNS, MAX_ROWS);
    free(path);
    memset(row, 0, sizeof *row);
    if (n > 0) {
        double ss = 0.0;
        row->seeds = n;
        row->steps = r[1];
        row->floor = r[3];
        for (int i = 0; i < n; i++)
            row->fcd += r[(size_t)i * COLUMNS + 2] / n;
        for (int i = 0; i < n; i++) {
            double d = r[(size_t)i * COLUMNS + 2] - row->fcd;
            ss += d * d;
        }
        row->fcd_sd = n > 1 ? sqrt(ss / (n - 1)) : 0.0;
    }
    free(r);
    return n > 0;
}

/* %.6g, or NaN where there is no number. */
static void put(FILE *f, bool have, double v)
{
    if (have)
        fprintf(f, ",%.6g", v);
    else
        fputs(",NaN", f);
}

static void csv_target(FILE *f, const TargetRow *t)
{
    bool have = t->seeds > 0;
    double v[] = {t->steps, t->seeds, t->modes, t->modes_sd, t->hq,
                  t->hq_sd, t->at_target, t->modes_running,
                  t->hq_running, t->modes_small, t->hq_small};
    for (size_t k = 0; k < sizeof v / sizeof v[0]; k++)
        put(f, have, v[k]);
}

static void md_target(FILE *f, const TargetRow *t)
{
    if (t->seeds == 0) {
        fputs(" | — | — | —", f);
        return;
    }
    fprintf(f, " | %.1f ± %.1f | %.1f ± %.1f | %d/%d", t->modes,
            t->modes_sd, t->hq, t->hq_sd, t->at_target, t->seeds);
}

int stab_table_write(const char *out, Error *err)
{
    char *csv_path = path_join(out, "table.csv");
    char *md_path = path_join(out, "table.md");
    AtomicFile csv, md;
    if (atomic_open(&csv, csv_path, err) < 0) {
        free(csv_path);
        free(md_path);
        return -1;
    }
    if (atomic_open(&md, md_path, err) < 0) {
        atomic_abort(&csv);
        free(csv_path);
        free(md_path);
        return -1;
    }
    free(csv_path);
    free(md_path);
    const char *names[TARGETS] = {"ring", "grid"};
    fputs("experiment,parent", csv.f);
    for (int t = 0; t < TARGETS; t++)
        fprintf(csv.f, ",%s_steps,%s_seeds,%s_modes,%s_modes_sd,%s_hq,"
                "%s_hq_sd,%s_at_target,%s_modes_running,%s_hq_running,"
                "%s_modes_small,%s_hq_small", names[t], names[t],
                names[t], names[t], names[t], names[t], names[t],
                names[t], names[t], names[t], names[t]);
    fputs(",fashion_steps,fashion_seeds,fcd,fcd_sd,fcd_floor\n", csv.f);
    fputs("| experiment | one change, from | steps | ring modes | "
          "ring HQ % | ring at target | grid modes | grid HQ % | "
          "grid at target | FCD |\n|---|---|---|---|---|---|---|---|---|"
          "---|\n", md.f);

    int found = 0;
    for (int i = 0; i < stab_experiment_count; i++) {
        const Experiment *e = &stab_experiments[i];
        char *dir = path_join(out, e->name);
        TargetRow rows[TARGETS];
        bool any = false;
        for (int t = 0; t < TARGETS; t++) {
            Mixture target;
            mixture_parse(names[t], &target);
            any |= read_target(dir, &target, &rows[t]);
        }
        FashionRow fr;
        any |= read_fashion(dir, &fr);
        free(dir);
        if (!any)
            continue;
        found++;
        fprintf(csv.f, "%s,%s", e->name, e->parent ? e->parent : "");
        for (int t = 0; t < TARGETS; t++)
            csv_target(csv.f, &rows[t]);
        double fv[] = {fr.steps, fr.seeds, fr.fcd, fr.fcd_sd, fr.floor};
        for (size_t k = 0; k < sizeof fv / sizeof fv[0]; k++)
            put(csv.f, fr.seeds > 0, fv[k]);
        fputc('\n', csv.f);

        double steps = rows[0].seeds ? rows[0].steps : rows[1].steps;
        fprintf(md.f, "| `%s` | %s%s%s%s | ", e->name, e->change,
                e->parent ? " (`" : "", e->parent ? e->parent : "",
                e->parent ? "`)" : "");
        if (rows[0].seeds || rows[1].seeds)
            fprintf(md.f, "%.0f", steps);
        else
            fputs("—", md.f);
        for (int t = 0; t < TARGETS; t++)
            md_target(md.f, &rows[t]);
        if (fr.seeds > 1)
            fprintf(md.f, " | %.1f ± %.1f (%d seeds) |\n", fr.fcd,
                    fr.fcd_sd, fr.seeds);
        else if (fr.seeds == 1)
            fprintf(md.f, " | %.1f |\n", fr.fcd);
        else
            fputs(" | — |\n", md.f);
    }
    if (atomic_commit(&csv, err) < 0) {
        atomic_abort(&md);
        return -1;
    }
    if (atomic_commit(&md, err) < 0)
        return -1;
    return found;
}
