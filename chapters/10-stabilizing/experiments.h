/* experiments.h - the named experiments of chapter 10's table.
 *
 * Every experiment is its parent's configuration with ONE change, made
 * by its apply function; the root of every chain is the baseline of
 * the target family (chapter 7's GAN on the 2-D targets, chapter 8's
 * GAN on Fashion-MNIST). So each row of the table differs from the row
 * it names as its parent in exactly one thing, and the chain from the
 * baseline to the best configuration is a ladder of single steps.
 */
#ifndef CH10_EXPERIMENTS_H
#define CH10_EXPERIMENTS_H

#include <stdbool.h>

#include "game.h"

typedef enum { FAMILY_TOY, FAMILY_FASHION } Family;

typedef struct {
    const char *name;    /* --experiment NAME */
    const char *parent;  /* the experiment it changes; NULL: baseline */
    const char *change;  /* the one change, in a few words */
    void (*apply)(GameConfig *c, Family f);
    long toy_steps;      /* budget on the ring and the grid, G updates */
    bool fashion;        /* also measured on Fashion-MNIST */
} Experiment;

extern const Experiment stab_experiments[];
extern const int stab_experiment_count;

/* The experiment called name, or NULL. */
const Experiment *stab_experiment_find(const char *name);

/* The configuration of experiment e for the family: the baseline with
 * every change from the root of e's chain down to e, in order. The
 * steps of the run are set by the caller. */
void stab_experiment_config(const Experiment *e, Family f,
                            GameConfig *c);

/* The chain's length: 0 for the baseline. */
int stab_experiment_depth(const Experiment *e);

#endif
