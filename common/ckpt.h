/* ckpt.h - checkpoints: named tensors in one checked binary file.
 *
 * Layout (integers little-endian):
 *   "GANCKPT\0"                      8-byte magic
 *   u32 version                      CKPT_VERSION
 *   u64 length                       bytes in the whole file
 *   u32 kind length, kind bytes      who wrote it, e.g. "04-classifier"
 *   u32 tensor count, then each:
 *     u32 name length, name bytes
 *     u32 type, u32 ndim, u64 dims[ndim]
 *     data                           product(dims) elements
 *   u32 CRC-32 (zlib) of every byte before it
 *
 * Saving writes a temporary "<path>.<pid>.tmp" and renames it
 * (files.h), so a crash mid-save keeps the previous checkpoint.
 * Loading refuses, with a message naming the file: a wrong magic,
 * another version, a length that does not match (truncation), a
 * checksum that does not match (corruption), another kind of
 * checkpoint, and, when a tensor is read, another type or shape than
 * the model needs.
 */
#ifndef COMMON_CKPT_H
#define COMMON_CKPT_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "param.h"

#define CKPT_MAGIC "GANCKPT"  /* 7 chars + NUL = 8 bytes */
#define CKPT_VERSION 1u
#define CKPT_MAX_DIMS 4
#define CKPT_NAME_MAX 64

typedef enum { CKPT_F32 = 1, CKPT_I32 = 2, CKPT_U64 = 3 } CkptType;

typedef struct {
    char name[CKPT_NAME_MAX];
    CkptType type;
    int ndim;
    uint64_t dims[CKPT_MAX_DIMS];
    const void *data; /* borrowed when saving; into the file's bytes
                         when loaded; may be unaligned */
} CkptTensor;

typedef struct {
    char kind[CKPT_NAME_MAX];
    int count, cap;
    CkptTensor *tensors; /* (count) */
    uint8_t *bytes;      /* the whole file, after ckpt_load */
    size_t size;         /* its length in bytes */
    char *path;          /* the file, after ckpt_load */
} Ckpt;

void ckpt_init(Ckpt *c, const char *kind);
void ckpt_free(Ckpt *c);

/* Adds a tensor to save. The data is not copied: keep it alive and
 * unchanged until ckpt_save returns. */
void ckpt_add(Ckpt *c, const char *name, CkptType type, const void *data,
              int ndim, const uint64_t *dims);

/* Adds each Param's value as a (rows, cols) float tensor. */
void ckpt_add_params(Ckpt *c, const Param *params, int n);

int ckpt_save(const Ckpt *c, const char *path, Error *err);

/* The bytes ckpt_save would write, in memory (free them): how
 * chapter 15's rank 0 hands its state to the other ranks. */
void ckpt_to_bytes(const Ckpt *c, uint8_t **bytes, size_t *size);

/* Loads and checks a file. expected_kind, when not NULL, must equal the
 * kind it was saved with. */
int ckpt_load(Ckpt *c, const char *path, const char *expected_kind,
              Error *err);

/* ckpt_load from bytes in memory, with every check of a file; takes
 * ownership of bytes (malloc'd) even when it fails. `name` stands for
 * the file in messages. */
int ckpt_from_bytes(Ckpt *c, uint8_t *bytes, size_t size, const char *name,
                    const char *expected_kind, Error *err);

const CkptTensor *ckpt_find(const Ckpt *c, const char *name);

/* The number of elements of this type in all the tensors: the most a
 * model can read from the file, which bounds what a loader may build
 * before reading it. */
uint64_t ckpt_elements(const Ckpt *c, CkptType type);

/* Copies tensor `name` into dst after checking that it exists and has
 * this type and shape. */
int ckpt_read(const Ckpt *c, const char *name, CkptType type, void *dst,
              int ndim, const uint64_t *dims, Error *err);

/* Reads every Param's value by name, checking each shape. */
int ckpt_read_params(const Ckpt *c, const Param *params, int n,
                     Error *err);

#endif
