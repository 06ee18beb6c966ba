/* table.h - the chapter's results table, assembled from whatever
 * experiments have been run into one output folder.
 *
 * Each experiment leaves its per-seed scores in <out>/<name>/
 * (seeds-ring.csv, seeds-grid.csv, fashion.csv). The table reads them
 * all, in the order of the experiment list, and writes
 *   table.csv  one row per experiment: its parent, then per target the
 *              steps, seeds, mean and standard deviation of the modes
 *              and of the high-quality share, the seeds at target, the
 *              batch-norm variants' means; then the FCD and its floor
 *              (NaN where an experiment was not run on that target)
 *   table.md   the same as a Markdown table, for the book
 * so that runs made separately, or in parallel, add up to one table.
 */
#ifndef CH10_TABLE_H
#define CH10_TABLE_H

#include "error.h"

/* Returns the number of experiments found, or -1 with err set when a
 * file cannot be read or written. */
int stab_table_write(const char *out, Error *err);

#endif
