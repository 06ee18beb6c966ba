#include "param.h"

#include <math.h>
#include <string.h>

void params_zero_grad(const Param *params, int n)
{
    for (int i = 0; i < n; i++)
        memset(params[i].grad, 0, param_size(&params[i]) * sizeof(float));
}

size_t params_count(const Param *params, int n)
{
    size_t total = 0;
    for (int i = 0; i < n; i++)
        total += param_size(&params[i]);
    return total;
}

double params_grad_norm(const Param *params, int n)
{
    double sum = 0.0;
    for (int i = 0; i < n; i++)
        for (size_t j = 0; j < param_size(&params[i]); j++)
            sum += (double)params[i].grad[j] * params[i].grad[j];
    return sqrt(sum);
}
