/* image.h - PNG figures of images: one picture, or a grid of tiles.
 *
 * PNGs are encoded by stb_image_write (Debian's libstb) and written
 * through an AtomicFile, so a figure is never half-written; or kept in
 * memory, for a file that holds them inside (tfevents.h).
 */
#ifndef COMMON_IMAGE_H
#define COMMON_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

#define GRID_PAD 2   /* pixels of border between tiles */
#define GRID_ZOOM 2  /* each pixel drawn as a ZOOM x ZOOM square */

/* Writes an 8-bit grey image (h, w), row-major. */
int png_write_gray(const char *path, const uint8_t *pixels, int w, int h,
                   Error *err);

/* Writes n images of (h, w) floats as a grid of `cols` tiles per row
 * (rows as many as needed), mapping lo..hi to black..white; values
 * outside are clipped. Empty tiles and borders are mid-grey.
 *   images: (n, h * w) */
int png_write_grid(const char *path, const float *images, int n, int h,
                   int w, int cols, float lo, float hi, Error *err);

/* An encoded PNG in memory. */
typedef struct {
    uint8_t *bytes; /* free() it */
    size_t size;
    int width, height;
} PngBytes;

/* The PNG png_write_grid would write, byte for byte, into memory. */
int png_encode_grid(PngBytes *png, const float *images, int n, int h,
                    int w, int cols, float lo, float hi, Error *err);

#endif
