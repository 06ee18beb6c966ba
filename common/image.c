#include "image.h"

#include <stdio.h>
#include <stdlib.h>
#include <stb_image_write.h>
#include <string.h>

#include "files.h"

#define GRID_BACKGROUND 128

static void write_to_file(void *context, void *data, int size)
{
    atomic_write(context, data, (size_t)size);
}

int png_write_gray(const char *path, const uint8_t *pixels, int w, int h,
                   Error *err)
{
    AtomicFile af;
    if (atomic_open(&af, path, err) < 0)
        return -1;
    if (!stbi_write_png_to_func(write_to_file, &af, w, h, 1, pixels, w)) {
        atomic_abort(&af);
        return error_set(err, "cannot encode PNG %s", path);
    }
    return atomic_commit(&af, err);
}

static uint8_t to_byte(float v, float lo, float hi)
{
    float t = (v - lo) / (hi - lo);
    t = t < 0.0f ? 0.0f : t > 1.0f ? 1.0f : t;
    return (uint8_t)(255.0f * t + 0.5f);
}

/* The grid's grey pixels (H, W) in a new buffer (free it). */
static uint8_t *grid_canvas(const float *images, int n, int h, int w,
                            int cols, float lo, float hi, int *width,
                            int *height)
{
    int rows = (n + cols - 1) / cols;
    int tile_w = w * GRID_ZOOM, tile_h = h * GRID_ZOOM;
    int W = cols * tile_w + (cols + 1) * GRID_PAD;
    int H = rows * tile_h + (rows + 1) * GRID_PAD;
    uint8_t *canvas = xmalloc((size_t)W * (size_t)H);
    memset(canvas, GRID_BACKGROUND, (size_t)W * (size_t)H);
    for (int t = 0; t < n; t++) {
        const float *img = images + (size_t)t * h * w;
        int x0 = GRID_PAD + (t % cols) * (tile_w + GRID_PAD);
        int y0 = GRID_PAD + (t / cols) * (tile_h + GRID_PAD);
        for (int y = 0; y < tile_h; y++)
            for (int x = 0; x < tile_w; x++)
                canvas[(size_t)(y0 + y) * W + x0 + x] = to_byte(
                    img[(y / GRID_ZOOM) * w + x / GRID_ZOOM], lo, hi);
    }
    *width = W;
    *height = H;
    return canvas;
}

int png_write_grid(const char *path, const float *images, int n, int h,
                   int w, int cols, float lo, float hi, Error *err)
{
    int W, H;
    uint8_t *canvas = grid_canvas(images, n, h, w, cols, lo, hi, &W, &H);
    int rc = png_write_gray(path, canvas, W, H, err);
    free(canvas);
    return rc;
}

/* stb_image_write hands the PNG over in pieces; they are appended. */
static void append_to_png(void *context, void *data, int size)
{
    PngBytes *png = context;
    uint8_t *grown = realloc(png->bytes, png->size + (size_t)size);
    if (!grown)
        fatal("out of memory for a PNG of %zu bytes",
              png->size + (size_t)size);
    memcpy(grown + png->size, data, (size_t)size);
    png->bytes = grown;
    png->size += (size_t)size;
}

int png_encode_grid(PngBytes *png, const float *images, int n, int h,
                    int w, int cols, float lo, float hi, Error *err)
{
    *png = (PngBytes){0};
    uint8_t *canvas = grid_canvas(images, n, h, w, cols, lo, hi,
                                  &png->width, &png->height);
    int ok = stbi_write_png_to_func(append_to_png, png, png->width,
                                    png->height, 1, canvas, png->width);
    free(canvas);
    if (!ok) {
        int W = png->width, H = png->height;
        free(png->bytes);
        *png = (PngBytes){0};
        return error_set(err, "cannot encode a PNG of %d x %d pixels", W,
                         H);
    }
    return 0;
}
