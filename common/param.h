/* param.h - a named, trainable tensor and its gradient.
 *
 * Layers hand their Params to an optimiser (which reads grad and
 * updates value) and to a checkpoint (which saves value by name).
 * Every tensor is stored as a (rows, cols) matrix; a vector is one row.
 */
#ifndef COMMON_PARAM_H
#define COMMON_PARAM_H

#include <stddef.h>

#define PARAM_NAME_MAX 48

typedef struct {
    char name[PARAM_NAME_MAX]; /* e.g. "g.fc1.W" */
    float *value;              /* (rows, cols) */
    float *grad;               /* (rows, cols), dL/dvalue */
    int rows, cols;
} Param;

static inline size_t param_size(const Param *p)
{
    return (size_t)p->rows * (size_t)p->cols;
}

/* Sets every grad of params[0..n) to zero. */
void params_zero_grad(const Param *params, int n);

/* Total number of scalars in params[0..n). */
size_t params_count(const Param *params, int n);

/* sqrt(sum of grad^2) over all params: the gradient norm. */
double params_grad_norm(const Param *params, int n);

#endif
