/* plot.h - rendering a figure with gnuplot.
 *
 * Each figure has one script, plots/<name>.gp, which reads the run's
 * files from the folder in the gnuplot variable `dir` and writes one
 * PNG to the file in `out`. plot_render runs
 *     gnuplot -e "dir='<dir>'; out='<dir>/<name>.png.<pid>.tmp'" <script>
 * (the temporary of files.h) and renames the PNG into place when
 * gnuplot succeeds. The same
 * scripts run by hand, and `make plots` renders every run's figures.
 */
#ifndef COMMON_PLOT_H
#define COMMON_PLOT_H

#include <stdbool.h>

#include "error.h"

#define PLOT_DIR_ENV "GAN_PLOTS"

/* The folder of gnuplot scripts: $GAN_PLOTS, else this project's
 * plots/ (its absolute path is compiled in). */
const char *plot_dir(void);

/* Renders plots/<name>.gp into <dir>/<name>.png. When gnuplot is not
 * installed it says so in one line and returns 0: a run never fails
 * for want of a figure. Returns -1 with err set when the script is
 * missing, gnuplot reports an error, or the PNG it wrote is incomplete
 * (a full disk; gnuplot does not say so in its exit status): then no
 * PNG is renamed into place. */
int plot_render(const char *name, const char *dir, bool quiet,
                Error *err);

#endif
