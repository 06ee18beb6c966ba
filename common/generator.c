/* generator.c - loading, sampling and drawing a trained generator,
 * dense or convolutional, with the checks that keep a wrong file from
 * being evaluated. */
#include "generator.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ckpt.h"
#include "idx.h"
#include "image.h"
#include "rng.h"

/* "08-gan-mnist": two digits, a dash, a name. */
static bool is_chapter_kind(const char *kind)
{
    return isdigit((unsigned char)kind[0]) &&
           isdigit((unsigned char)kind[1]) && kind[2] == '-' && kind[3];
}

/* The last block's activation and width, whichever network it is. */
static Activation output_act(const Generator *g)
{
    return g->conv ? g->net.blocks[g->net.nblocks - 1].spec.act
                   : g->mlp.output;
}

static int output_width(const Generator *g)
{
    return g->conv ? convnet_out_size(&g->net)
                   : g->mlp.sizes[g->mlp.nlayers];
}

/* G's input layout, from GENERATOR_LATENT or, without it, all noise;
 * refused unless its parts are sane and add up to G's input. */
static int read_latent(const Ckpt *c, const char *path, int z_dim,
                       GeneratorLatent *latent, Error *err)
{
    *latent = (GeneratorLatent){.noise = z_dim};
    if (!ckpt_find(c, GENERATOR_LATENT))
        return 0;
    int32_t parts[3];
    if (ckpt_read(c, GENERATOR_LATENT, CKPT_I32, parts, 1, (uint64_t[]){3},
                  err) < 0)
        return -1;
    if (parts[0] < 0 || parts[1] < 0 || parts[1] == 1 || parts[2] < 0 ||
        (int64_t)parts[0] + parts[1] + parts[2] != z_dim)
        return error_set(err, "%s: %s says G's input is %d noise, %d "
                         "categories and %d continuous codes; its network "
                         "takes %d numbers", path, GENERATOR_LATENT,
                         parts[0], parts[1], parts[2], z_dim);
    *latent = (GeneratorLatent){parts[0], parts[1], parts[2]};
    return 0;
}

// listing: generator-latent
void generator_latent_draw(const GeneratorLatent *latent, Rng *rng,
                           float *z, int n)
{
    int zdim = latent->noise + latent->categories + latent->continuous;
    if (zdim == latent->noise) { /* all noise: one stream, as always */
        rng_fill_normal(rng, z, (long)n * zdim, 0.0f, 1.0f);
        return;
    }
    for (int i = 0; i < n; i++) {
        float *row = z + (size_t)i * zdim;
        rng_fill_normal(rng, row, latent->noise, 0.0f, 1.0f);
        float *onehot = row + latent->noise;
        memset(onehot, 0, (size_t)latent->categories * sizeof(float));
        if (latent->categories)
            onehot[rng_below(rng, (uint64_t)latent->categories)] = 1.0f;
        float *c = onehot + latent->categories;
        for (int j = 0; j < latent->continuous; j++)
            c[j] = rng_range(rng, -1.0f, 1.0f);
    }
}
// end-listing: generator-latent

void generator_latent_ckpt_add(Ckpt *c, const GeneratorLatent *latent)
{
    ckpt_add(c, GENERATOR_LATENT, CKPT_I32, latent, 1, (uint64_t[]){3});
}

int generator_load(const char *path, int max_batch, Generator *g,
                   Error *err)
{
    return generator_load_of(path, NULL, max_batch, g, err);
}

int generator_load_of(const char *path, const char *program, int max_batch,
                      Generator *g, Error *err)
{
    memset(g, 0, sizeof *g);
    Ckpt c;
    if (ckpt_load(&c, path, NULL, err) < 0)
        return -1;
    if (program && strcmp(c.kind, program) != 0 &&
        strcmp(c.kind, GENERATOR_KIND) != 0) {
        error_set(err, "%s is a checkpoint of %s; a generator comes from "
                  "%s (%s or %s)", path, c.kind, program, program,
                  GENERATOR_KIND);
        ckpt_free(&c);
        return -1;
    }
    int rc = 0;
    bool has_mlp = ckpt_find(&c, GENERATOR_PREFIX ".arch") != NULL;
    bool has_net = convnet_ckpt_has(&c, GENERATOR_PREFIX);
    if ((strcmp(c.kind, GENERATOR_KIND) != 0 && !is_chapter_kind(c.kind)) ||
        (!has_mlp && !has_net))
        rc = error_set(err, "%s is a checkpoint of %s, with no generator "
                       "in it\nHINT: give a generator, e.g. "
                       "out/08-gan-mnist/checkpoint.ckpt or a "
                       "generator-epoch-NNN.ckpt of a GAN chapter",
                       path, c.kind);
    g->conv = has_net;
    g->max_batch = max_batch;
    g->bn = BN_EVAL;
    if (rc == 0 && has_net)
        rc = convnet_ckpt_load(&c, GENERATOR_PREFIX, max_batch, &g->net,
                               err);
    else if (rc == 0)
        rc = mlp_ckpt_load(&c, GENERATOR_PREFIX, max_batch, &g->mlp, err);
    if (rc == 0) {
        g->z_dim = g->conv ? convnet_in_size(&g->net) : g->mlp.sizes[0];
        rc = read_latent(&c, path, g->z_dim, &g->latent, err);
        if (rc < 0)
            generator_free(g);
    }
    if (rc == 0) {
        if (output_width(g) != GENERATOR_PIXELS ||
            output_act(g) != ACT_TANH) {
            rc = error_set(err, "%s: its generator draws %d values%s; "
                           "this evaluation needs %d pixels (28x28) from "
                           "a tanh", path, output_width(g),
                           output_act(g) == ACT_TANH ? ""
                                                     : " not through a tanh",
                           GENERATOR_PIXELS);
            generator_free(g);
        }
    }
    ckpt_free(&c);
    return rc;
}

void generator_free(Generator *g)
{
    if (g->conv && g->net.nblocks)
        convnet_free(&g->net);
    else if (!g->conv && g->mlp.nlayers)
        mlp_free(&g->mlp);
    memset(g, 0, sizeof *g);
}

void generator_use_batch_statistics(Generator *g) { g->bn = BN_BATCH; }

void generator_describe(const Generator *g, char *buf, size_t size)
{
    int len = snprintf(buf, size, "%d", g->z_dim);
    static const char *kinds[] = {"dense", "conv", "convT"};
    int n = g->conv ? g->net.nblocks : g->mlp.nlayers;
    for (int l = 0; l < n && len >= 0 && (size_t)len < size; l++) {
        if (g->conv) {
            const BlockSpec *s = &g->net.blocks[l].spec;
            len += snprintf(buf + len, size - len, "-%s%s(%dx%dx%d)",
                            kinds[s->kind], s->bn ? "+bn" : "", s->h, s->w,
                            s->c);
        } else {
            len += snprintf(buf + len, size - len, "-%d",
                            g->mlp.sizes[l + 1]);
        }
    }
}

// listing: generator-images
void generator_images(Generator *g, const float *z, int n, float *x)
{
    for (int done = 0; done < n; done += g->max_batch) {
        int rows = n - done < g->max_batch ? n - done : g->max_batch;
        const float *zs = z + (size_t)done * g->z_dim;
        /* every image on its own, batch norm by its saved statistics
         * (unless generator_use_batch_statistics said otherwise) */
        const float *y = g->conv ? convnet_forward(&g->net, zs, rows, g->bn)
                                 : mlp_forward(&g->mlp, zs, rows);
        memcpy(x + (size_t)done * GENERATOR_PIXELS, y,
               (size_t)rows * GENERATOR_PIXELS * sizeof(float));
    }
}
// end-listing: generator-images

void generator_draw(Generator *g, uint64_t seed, int n, float *x)
{
    float *z = xmalloc((size_t)g->max_batch * g->z_dim * sizeof(float));
    Rng rng;
    rng_seed(&rng, seed);
    for (int done = 0; done < n; done += g->max_batch) {
        int rows = n - done < g->max_batch ? n - done : g->max_batch;
        generator_latent_draw(&g->latent, &rng, z, rows);
        float *out = x + (size_t)done * GENERATOR_PIXELS;
        generator_images(g, z, rows, out);
        /* tanh's [-1, 1] to the classifier's [0, 1] */
        for (size_t i = 0; i < (size_t)rows * GENERATOR_PIXELS; i++)
            out[i] = 0.5f * (out[i] + 1.0f);
    }
    free(z);
}

static int write_images(const float *x, int n, int cols, const char *path,
                        Error *err)
{
    return png_write_grid(path, x, n, 28, 28, cols, -1.0f, 1.0f, err);
}

int generator_write_grid(Generator *g, int n, uint64_t seed,
                         const char *path, Error *err)
{
    float *z = xmalloc((size_t)n * g->z_dim * sizeof(float));
    float *x = xmalloc((size_t)n * GENERATOR_PIXELS * sizeof(float));
    Rng rng;
    rng_seed(&rng, seed);
    generator_latent_draw(&g->latent, &rng, z, n);
    generator_images(g, z, n, x);
    int rc = write_images(x, n, (int)ceil(sqrt((double)n)), path, err);
    free(z);
    free(x);
    return rc;
}

int generator_write_idx(Generator *g, int n, uint64_t seed,
                        const char *path, Error *err)
{
    float *x = xmalloc((size_t)n * GENERATOR_PIXELS * sizeof(float));
    uint8_t *bytes = xmalloc((size_t)n * GENERATOR_PIXELS);
    generator_draw(g, seed, n, x); /* the noise of generator_write_grid */
    for (size_t i = 0; i < (size_t)n * GENERATOR_PIXELS; i++)
        bytes[i] = (uint8_t)lrintf(255.0f * x[i]);
    int rc = idx_write_images(path, bytes, n, 28, 28, err);
    free(x);
    free(bytes);
    return rc;
}

// listing: interpolate
int generator_write_walks(Generator *g, int rows, int steps, uint64_t seed,
                          const char *path, Error *err)
{
    int zdim = g->z_dim, n = rows * steps;
    float *ends = xmalloc((size_t)2 * zdim * sizeof(float));
    float *z = xmalloc((size_t)n * zdim * sizeof(float));
    float *x = xmalloc((size_t)n * GENERATOR_PIXELS * sizeof(float));
    Rng rng;
    rng_seed(&rng, seed);
    for (int r = 0; r < rows; r++) {
        generator_latent_draw(&g->latent, &rng, ends, 2);
        for (int s = 0; s < steps; s++) {
            float t = (float)s / (float)(steps - 1);
            float *zs = z + ((size_t)r * steps + s) * zdim;
            for (int j = 0; j < zdim; j++)
                zs[j] = (1.0f - t) * ends[j] + t * ends[zdim + j];
        }
    }
    generator_images(g, z, n, x);
    int rc = write_images(x, n, steps, path, err);
    free(ends);
    free(z);
    free(x);
    return rc;
}
// end-listing: interpolate

int generator_save_net(ConvNet *net, const GeneratorLatent *latent,
                       const char *path, Error *err)
{
    Ckpt c;
    ConvNetArch arch;
    Param tensors[CONVNET_MAX_TENSORS];
    ckpt_init(&c, GENERATOR_KIND);
    convnet_ckpt_add(&c, net, GENERATOR_PREFIX, &arch, tensors);
    if (latent)
        generator_latent_ckpt_add(&c, latent);
    int rc = ckpt_save(&c, path, err);
    ckpt_free(&c);
    return rc;
}
