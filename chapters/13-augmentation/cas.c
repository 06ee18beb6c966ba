/* cas.c - how much of each class the generator captures, as a
 * classifier trained on its images alone sees it.
 *
 * A generator that draws only the easy half of a class, or draws one
 * class looking like another, trains a classifier that fails on the
 * real test images of that class: the per-class accuracies show where.
 */
#include "cas.h"

#include <stdio.h>
#include <stdlib.h>

#include "csvlog.h"
#include "mlp.h"

#include "../11-cgan/state.h"
#include "synth.h"

#define GEN_BATCH 500  /* rows per generator forward pass */
#define CAS_STREAM 0xca5ca5u

// listing: cas
int aug_cas_run(const char *from, const Dataset *ds, long clf_steps,
                uint64_t seed, AugCas *cas, Error *err)
{
    Mlp g;
    float scale;
    if (cgan_generator_load(from, GEN_BATCH, &g, &scale, err) < 0)
        return -1;
    int count = ds->train_images.count;
    int per_class = count / DATASET_CLASSES;
    Rng rng;
    rng_seed(&rng, seed + CAS_STREAM);
    AugSet generated, real;
    aug_synthesize((CganGenerator){&g, scale}, per_class, &rng,
                   &generated.images, &generated.labels);
    mlp_free(&g);
    int *rows = xmalloc((size_t)count * sizeof(int));
    index_identity(rows, count);
    aug_set_build(&real, ds, rows, per_class * DATASET_CLASSES, NULL);
    free(rows);
    cas->images = per_class * DATASET_CLASSES;
    cas->real = aug_judge(&real, clf_steps, seed, ds);
    cas->generated = aug_judge(&generated, clf_steps, seed, ds);
    aug_set_free(&real);
    aug_set_free(&generated);
    return 0;
}
// end-listing: cas

int aug_cas_write(const AugCas *cas, const char *const *names,
                  const char *path, Error *err)
{
    AtomicFile af;
    if (atomic_open(&af, path, err) < 0)
        return -1;
    fprintf(af.f, "class,name,real,generated\n");
    for (int k = 0; k < DATASET_CLASSES; k++)
        fprintf(af.f, "%d,%s,%.4f,%.4f\n", k, names[k],
                cas->real.per_class[k], cas->generated.per_class[k]);
    return atomic_commit(&af, err);
}
